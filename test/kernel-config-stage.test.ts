// Configuration stages: logic of a kernel's `cfg` alone is computed once from the port, registered
// by free-running registers, and read from those registers in every stage, so it is off the state
// loop and is not carried through the pipeline with each beat. The fixture's threshold
// (`limit * scale + base`, compared with the state) used to sit in the loop stage: compared with the
// per-beat form (`configStage: false`), the loop stage's delay by the model drops to the state path
// alone and at 300 MHz the input stage it forced is gone. At 400 MHz the threshold takes two
// configuration stages (a change of cfg takes effect 2 cycles later). Verilator, native and the
// interpreter agree record for record, with and without stalls; the Verilog is lint clean,
// accepted by Icarus and latch-free in Yosys.
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { runKernelInterp, runKernelNative } from "../sim/kernel-sim.js";
import { runKernelRtl } from "../sim/kernel-rtl.js";
import { FAST_BUILD, toolChecks } from "./cosim-helpers.js";
import { randomFrames } from "./helpers/feed-frames.js";

const F = "test/fixtures/programs/config-threshold.ts";
const k = compileKernel(F, undefined);
const gen = (clockMhz: number, configStage = true) => generateKernelHardware(k.fn!, k.kernel!, { clockMhz, source: F, sourceHash: "test", configStage });

describe("configuration-only logic is registered once, off the state loop", () => {
  it("at 100 MHz the loop stage holds only the state path (1.184 ns), not the threshold (3.522 ns per beat before)", () => {
    const before = gen(100, false), now = gen(100);
    expect(before.report!.perStage.map((s) => s.estimatedDelayNs)).toEqual([3.522]);
    expect(now.report!.perStage.map((s) => s.estimatedDelayNs)).toEqual([now.report!.kernel!.stateLoopNs]);
    expect(now.report!.kernel).toMatchObject({ inputStages: 0, loopStage: 1, stateLoopNs: 1.184, configStages: 1 });
    expect(now.signature!).toMatchObject({ kernel: { configLatencyCycles: 1 } });
  });

  it("at 300 MHz the input stage the threshold forced is gone: latency 2 → 1 cycle", () => {
    const before = gen(300, false), now = gen(300);
    expect(before.report!.kernel!.inputStages).toBe(1);
    expect(before.schedule!.stages).toBe(2);
    expect(now.report!.kernel!.inputStages).toBe(0);
    expect(now.schedule!.stages).toBe(1);
    // The threshold is one register loaded every cycle (no reset, no per-stage copy).
    const v = now.verilog!;
    expect(v).toContain("===== Configuration stage 1 of 1");
    expect(v).toMatch(/^ {8}(\w+_cfg) <= \w+;$/m);
    const reg = /^ {8}(\w+_cfg) <= \w+;$/m.exec(v)![1];
    expect(v).toContain(`assign ult = ${reg} < `);
    expect(v).not.toMatch(/_cfg_r\d/);
    const names = now.names!.entries.filter((e) => e.stage === 0);
    expect(names.some((e) => e.name === reg && e.kind === "reg" && e.role === "configuration stage 1")).toBe(true);
  });

  const at400 = gen(400);
  it("at 400 MHz the threshold takes two configuration stages; tools accept the Verilog", () => {
    expect(at400.diagnostics).toEqual([]);
    expect(at400.report!.kernel).toMatchObject({ inputStages: 0, configStages: 2 });
    expect(at400.signature!).toMatchObject({ kernel: { configLatencyCycles: 2 } });
    expect(at400.verilog).toContain("===== Configuration stage 2 of 2");
    const dir = join("build", "test-kernels", "config");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "threshold.v"), at400.verilog!);
    expect(toolChecks(join(dir, "threshold.v"), "threshold")).toEqual({ lint: "", icarus: "", yosys: "" });
  });

  it.each([0, 0.3])("Verilator, native and the interpreter agree record for record (stalls %s)", async (p) => {
    const cfg = { limit: 700, scale: 3, base: 11 };
    const fs = randomFrames(150, 17);
    const nat = await runKernelNative(F, k.kernel!, fs.map((data) => ({ data })), cfg);
    const int = runKernelInterp(k.pkg!, k.fn!, k.kernel!, fs.map((data) => ({ data })), cfg);
    expect(int.records).toEqual(nat.records);
    expect(nat.records.some((r) => (r as { over: number }).over > 0)).toBe(true);
    const r = await runKernelRtl({ k: k.kernel!, verilog: at400.verilog!, signature: at400.signature, frames: fs, cfg, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: p, bubbles: p, seed: 6, workDir: "build/test-kernels/config", buildFlags: FAST_BUILD });
    expect(r.protocolErrors).toBe(0);
    expect(r.records).toEqual(nat.records);
    if (p === 0) expect(Math.min(...r.latencyCycles)).toBe(at400.schedule!.stages);
  });
});
