// Kernels with input stages: at 250 and 400 MHz frame_sum's byte sum (logic that reads only the
// beat) no longer fits the one-cycle state loop, so the backend computes it in input stages ahead
// of the loop and the loop only adds registered values. Checked: the clock is met by the model,
// the added input latency is reported, the Verilog is lint clean, accepted by Icarus and latch-free
// in Yosys, and in Verilator every record equals the native run's with and without stalls, with the
// input never stalling at line rate and the latency equal to the stage count. Also: a kernel whose
// update fits one cycle gets no input stage, a state path the clock cannot hold is TSF4003, and a sum
// written with the state term first still keeps only one add in the loop.
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { runKernelNative } from "../sim/kernel-sim.js";
import { runKernelRtl } from "../sim/kernel-rtl.js";
import { toolChecks } from "./cosim-helpers.js";
import { randomFrames } from "./helpers/feed-frames.js";

const FILE = "examples/kernels/frame_sum.ts";
const k = compileKernel(FILE, undefined);


describe("a sum written state first", () => {
  // s.total + b0 + b1 + b2 + b3: reassociation adds the state last, so the four bytes are summed in
  // an input stage and the loop holds a single add (at 700 MHz, 0.979 ns usable, one 32-bit add fits
  // and two do not).
  it("keeps one add in the state loop at 700 MHz and equals the native run in Verilator", async () => {
    const F = "test/fixtures/programs/running-total.ts";
    const rk = compileKernel(F, undefined);
    const hw = generateKernelHardware(rk.fn!, rk.kernel!, { clockMhz: 700, source: F, sourceHash: "test" });
    expect(hw.diagnostics).toEqual([]);
    expect(hw.report!.kernel!.inputStages).toBeGreaterThan(0);
    expect(hw.report!.kernel!.stateLoopNs).toBeLessThanOrEqual(hw.schedule!.budgetNs);
    const fs = randomFrames(200, 33);
    const nat = await runKernelNative(F, rk.kernel!, fs.map((data) => ({ data })), undefined);
    for (const p of [0, 0.3]) {
      const r = await runKernelRtl({ k: rk.kernel!, verilog: hw.verilog!, signature: hw.signature, frames: fs, cfg: undefined, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: p, bubbles: p, seed: 8, workDir: "build/test-kernels/running" });
      expect(r.protocolErrors).toBe(0);
      expect(r.records).toEqual(nat.records);
    }
  });
});

describe("frame_sum with input stages ahead of the state loop", () => {
  it("at 100 MHz the whole update fits one cycle: no input stage", () => {
    const hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 100, source: FILE, sourceHash: "test" });
    expect(hw.report!.kernel).toEqual({ inputStages: 0, loopStage: 1, outputStages: 0, stateLoopNs: hw.report!.kernel!.stateLoopNs, memories: [], clearCycles: 0, configStages: 1 });
    expect(hw.verilog).toContain("else if (s_axis_tvalid && s_axis_tready) state_q <=");
  });

  it("at 1000 MHz the state path itself (1.184 ns) cannot fit: TSF4003", () => {
    const bad = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 1000, source: FILE, sourceHash: "test" });
    expect(bad.diagnostics.map((d) => d.code)).toEqual(["TSF4003"]);
    expect(bad.diagnostics[0].message).toContain("takes 1.184 ns");
  });

  // At 250 and 400 MHz the byte sum (beat-only logic) no longer fits the loop stage: it is
  // computed in input stages ahead of the state loop, which then only adds registered values.
  describe.each([250, 400])("at %i MHz, with beat-only logic in input stages ahead of the state loop", (mhz) => {
    const fast = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: mhz, source: FILE, sourceHash: "test" });
    it("meets the clock by the model; the added input latency is reported", () => {
      expect(fast.diagnostics).toEqual([]);
      const kr = fast.report!.kernel!;
      expect(kr.inputStages).toBeGreaterThan(0);
      expect(kr.loopStage).toBe(kr.inputStages + 1);
      expect(kr.stateLoopNs).toBeLessThanOrEqual(fast.schedule!.budgetNs);
      expect(Math.max(...fast.report!.perStage.map((s) => s.estimatedDelayNs))).toBeLessThanOrEqual(fast.schedule!.budgetNs);
      expect(fast.verilog).toContain(`read in stage ${kr.loopStage} after ${kr.inputStages} input stage(s)`);
      const dir = join("build", "test-kernels", `mhz${mhz}`);
      mkdirSync(dir, { recursive: true });
      const v = join(dir, "frameSum.v");
      writeFileSync(v, fast.verilog!);
      expect(toolChecks(v, "frameSum")).toEqual({ lint: "", icarus: "", yosys: "" });
    });
    it.each([0, 0.3])("matches the native run record for record (stalls %s)", async (p) => {
      const fs = randomFrames(300, 21);
      const nat = await runKernelNative(FILE, k.kernel!, fs.map((data) => ({ data })), { bias: 9 });
      const r = await runKernelRtl({ k: k.kernel!, verilog: fast.verilog!, signature: fast.signature, frames: fs, cfg: { bias: 9 }, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: p, bubbles: p, seed: 5, workDir: "build/test-kernels" });
      expect(r.protocolErrors).toBe(0);
      expect(r.hung).toBe(false);
      expect(r.records).toEqual(nat.records);
      if (p === 0) {
        expect(r.inputReadyLowCycles).toBe(0);
        expect(Math.min(...r.latencyCycles)).toBe(fast.schedule!.stages);
      }
    });
  });

});
