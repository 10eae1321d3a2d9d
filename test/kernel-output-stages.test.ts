// Kernel output stages (kernel(INIT, step, { outputStages: N }), docs/backend.md "Streaming
// kernels"): the record logic that reads the state but does not feed the next state starts N stages
// after the loop stage. frame_sum with one output stage at 100 MHz: 2 stages instead of 1, the
// record's add of the configuration in stage 2, the next state still in stage 1; lint, Icarus and
// Yosys accept it; in Verilator every record equals the native run's with and without stalls, with
// a latency of 2 cycles when nothing stalls. A value outside 0..4 is a one-line error.
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { runKernelNative } from "../sim/kernel-sim.js";
import { runKernelRtl } from "../sim/kernel-rtl.js";
import { toolChecks } from "./cosim-helpers.js";
import { randomFrames } from "./helpers/feed-frames.js";

const FILE = "test/fixtures/programs/frame-sum-out-stage.ts";

describe("kernel output stages", () => {
  const k = compileKernel(FILE, undefined);
  const hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 100, source: FILE, sourceHash: "test" });

  it("puts the record logic that reads the state one stage after the loop", () => {
    expect(k.diagnostics).toEqual([]);
    expect(k.kernel!.outputStages).toBe(1);
    expect(hw.diagnostics).toEqual([]);
    expect(hw.report!.kernel).toMatchObject({ inputStages: 0, loopStage: 1, outputStages: 1 });
    expect(hw.report!.stages).toBe(2);
    const plain = generateKernelHardware(k.fn!, { ...k.kernel!, outputStages: undefined }, { clockMhz: 100, source: FILE, sourceHash: "test" });
    expect(plain.report!.stages).toBe(1);
    expect(hw.verilog).toContain("else if (s_axis_tvalid && s_axis_tready) state_q <=");
    const dir = join("build", "test-kernels", "out-stage");
    mkdirSync(dir, { recursive: true });
    const v = join(dir, "frameSumOut.v");
    writeFileSync(v, hw.verilog!);
    expect(toolChecks(v, "frameSumOut")).toEqual({ lint: "", icarus: "", yosys: "" });
  });

  it.each([0, 0.3])("matches the native run record for record (stalls %s)", async (p) => {
    const fs = randomFrames(300, 23);
    const nat = await runKernelNative(FILE, k.kernel!, fs.map((data) => ({ data })), { bias: 9 });
    const r = await runKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, frames: fs, cfg: { bias: 9 }, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: p, bubbles: p, seed: 6, workDir: "build/test-kernels/out-stage" });
    expect(r.protocolErrors).toBe(0);
    expect(r.hung).toBe(false);
    expect(r.records).toEqual(nat.records);
    if (p === 0) expect(Math.max(...r.latencyCycles)).toBe(2);
  }, 300_000);

  it("refuses a value outside 0..4 with one line naming the position", () => {
    const bad = compileKernel("test/fixtures/programs/output-stages-bad.ts", undefined);
    expect(bad.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(["TSF1013 13:59"]);
    expect(bad.diagnostics[0].message).toContain("outputStages that is not one integer literal from 0 to 4");
  });
});
