// Readable state: `kernel(INIT, step, { readable: ["f", …] })` gives each named state field an
// output port `state_<f>` driven by its bits of the state register, listed in the signature
// (`status` and `kernel.readable`); the Verilator harness reads those ports at the end of a run,
// and the values equal the native and interpreter final state. A name that is not a field of the
// state is TSF1013 at its position. (The feed handler's `stats` port: test/kernel-rtl.test.ts, and
// simulate --pcap's comparison of it below.)
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { runKernelInterp, runKernelNative } from "../sim/kernel-sim.js";
import { runKernelRtl } from "../sim/kernel-rtl.js";
import { FAST_BUILD, toolChecks } from "./cosim-helpers.js";
import { randomFrames } from "./helpers/feed-frames.js";

const F = "test/fixtures/programs/readable-count.ts";

describe("readable state fields", () => {
  const k = compileKernel(F, undefined);
  const hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 200, source: F, sourceHash: "test" });

  it("are output ports of the state register's bits, listed in the signature; tools accept the Verilog", () => {
    expect(k.kernel!.readable).toEqual(["frames", "beats"]);
    expect(hw.verilog).toContain("output wire [15:0] state_frames,");
    expect(hw.verilog).toContain("assign state_frames = state_q[47:32];");
    expect(hw.verilog).toContain("assign state_beats = state_q[31:0];");
    const sig = hw.signature as unknown as { status: unknown; ports: unknown[]; kernel: { readable: unknown } };
    expect(sig.status).toEqual([{ name: "state_frames", width: 16 }, { name: "state_beats", width: 32 }]);
    expect(sig.ports).toContainEqual({ name: "state_beats", dir: "output", width: 32 });
    expect(sig.kernel.readable).toEqual([
      { port: "state_frames", field: "frames", stateLsb: 32, width: 16, fields: [{ path: "", lsb: 0, width: 16, signed: false }] },
      { port: "state_beats", field: "beats", stateLsb: 0, width: 32, fields: [{ path: "", lsb: 0, width: 32, signed: false }] },
    ]);
    const dir = join("build", "test-kernels", "readable");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "counted.v"), hw.verilog!);
    expect(toolChecks(join(dir, "counted.v"), "counted")).toEqual({ lint: "", icarus: "", yosys: "" });
  });

  it("read after a Verilator run with stalls, equal the native and interpreter final state", async () => {
    const fs = randomFrames(120, 5);
    const nat = await runKernelNative(F, k.kernel!, fs.map((data) => ({ data })), undefined);
    const int = runKernelInterp(k.pkg!, k.fn!, k.kernel!, fs.map((data) => ({ data })), undefined);
    expect(int.finalState).toEqual(nat.finalState);
    const r = await runKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, frames: fs, cfg: undefined, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: 0.3, bubbles: 0.3, seed: 4, workDir: "build/test-kernels/readable", buildFlags: FAST_BUILD });
    expect(r.records).toEqual(nat.records);
    const st = nat.finalState as { beats: number; frames: number };
    expect(r.readable).toEqual({ frames: st.frames, beats: st.beats });
    expect(st.frames).toBe(120);
  });

  it("a kernel with a memory takes the options too", () => {
    const m = compileKernel("test/fixtures/programs/readable-mem.ts", undefined);
    expect(m.diagnostics).toEqual([]);
    const mh = generateKernelHardware(m.fn!, m.kernel!, { clockMhz: 100, source: "readable-mem.ts", sourceHash: "test" });
    expect(mh.diagnostics).toEqual([]);
    expect(mh.verilog).toContain("assign state_count = state_q[31:0];");
  });

  it("a name that is not a field of the state is TSF1013 at its position", () => {
    const bad = compileKernel("test/fixtures/programs/readable-bad.ts", undefined);
    expect(bad.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(["TSF1013 13:58"]);
    expect(bad.diagnostics[0].message).toContain("'counts' that is not a register field of the kernel state");
  });
});

describe("simulate --pcap compares the readable state", () => {
  // The feed handler's state_stats, read after the Verilator run, against the native final state
  // (a difference would be a mismatch naming the field; docs/simulation.md).
  it("the feed handler on the bundled capture: 0 mismatches with state_stats read from the RTL", () => {
    const r = spawnSync(process.execPath, ["bin/tsfpga.js", "simulate", "examples/itch/feed.ts", "--pcap", "examples/itch/data/sample.pcap", "--engine", "all", "--clock-mhz", "100", "--json"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { mismatches: number; stats: { frames: number } };
    expect(j.mismatches).toBe(0);
    expect(j.stats.frames).toBe(178);
  }, 300_000);
});
