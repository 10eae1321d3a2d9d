// Pipelines of kernels (examples/pipeline/watch.ts: the feed handler → a watch kernel that takes its
// ItchRecord stream). Natively the runtime's pipeline is itself a kernel whose records are the
// stages' chained; the interpreter equals native at every kernel boundary on the real capture, the
// bundled one, synthetic feeds with drops and duplicates, and random bytes; in Verilator the top
// module (lint clean, Icarus, latch-free Yosys) equals them end to end, and each kernel's own module,
// fed the records of the boundary before it, equals them at its boundary, under random backpressure
// and bubbles, with backpressure at the end reaching the input. A pipeline of four kernels (one used
// twice) does the same, and so does one whose second kernel keeps a memory (its clear after reset
// holds the pipeline's input). A stage of the wrong type is an error.
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runKernel, type Beat } from "tsfpga";
import { checkFiles, compilePipeline, type PipelineStage } from "../compiler/driver.js";
import { generatePipelineHardware, cfgPortName, type PipelineHw } from "../compiler/verilog/pipeline-hw.js";
import { frameToBeats, interpPipelineStepper, nativePipelineStepper } from "../sim/kernel-sim.js";
import { startKernelRtl } from "../sim/kernel-rtl.js";
import { runKernelStream, type RtlTap } from "../sim/kernel-run.js";
import { readCaptureFile } from "../sim/pcap/read.js";
import { jsonToValue } from "../compiler/interp/convert.js";
import { packValue } from "../compiler/ir/values.js";
import { irTypeOf } from "../compiler/frontend/dtypes.js";
import { FAST_BUILD, FULL, run } from "./cosim-helpers.js";
import { randomFrames, synthFrames } from "./helpers/feed-frames.js";
import { feed } from "../examples/itch/feed.js";
import { watch, feedWatch } from "../examples/pipeline/watch.js";
import { feedCounts } from "../examples/memory/per_symbol.js";

const FILE = "examples/pipeline/watch.ts";
const SHARED_PCAP = "../shared/data/pcap/nasdaq-20160913-moldudp64.pcap";
const FEED_CFG = { dstIp: 0xe9360c6f, dstPort: 26477 };
const frames = (path: string) => [...readCaptureFile(path)].map((f) => f.data.slice());
const p = compilePipeline(FILE, "feedWatch");
const stages = p.stages!;

describe("pipeline feed → watch", () => {
  it("compiles: two stages, the second takes the first's ItchRecord", () => {
    expect(p.diagnostics).toEqual([]);
    expect(stages.map((s) => s.name)).toEqual(["feed", "watch"]);
    expect(stages[1].kernel.input).toEqual(stages[0].kernel.out);
  });

  it("natively, the pipeline is a kernel: its records are the stages' records chained", () => {
    const beats = frames("examples/itch/data/sample.pcap").flatMap((f) => frameToBeats(f)) as unknown as Beat[];
    const wcfg = { locateLo: 1, locateHi: 30 };
    const whole: unknown[] = [];
    runKernel(feedWatch, beats, [FEED_CFG, wcfg], (o) => whole.push(o));
    const mid: unknown[] = [];
    runKernel(feed, beats, FEED_CFG as never, (o) => mid.push(o));
    const chained: unknown[] = [];
    runKernel(watch, mid as never[], wcfg as never, (o) => chained.push(o));
    expect(whole.length).toBeGreaterThan(100);
    expect(whole).toEqual(chained);
  });

  it("natively, every run of a pipeline starts from fresh memories", () => {
    const beats = frames("examples/itch/data/sample.pcap").flatMap((f) => frameToBeats(f)) as unknown as Beat[];
    const once = () => { const out: unknown[] = []; runKernel(feedCounts, beats, [FEED_CFG, undefined], (o) => out.push(o)); return out; };
    const a = once();
    expect(a.length).toBeGreaterThan(1000);
    expect(once()).toEqual(a);
  });

  const inputs: [string, () => Uint8Array[]][] = [
    ["examples/itch/data/sample.pcap", () => frames("examples/itch/data/sample.pcap")],
    ...(existsSync(SHARED_PCAP) ? [[SHARED_PCAP, () => frames(SHARED_PCAP)] as [string, () => Uint8Array[]]] : []),
    ["synthetic feed with drops and duplicates", () => synthFrames("pipe-synth", 4000, { drop: 0.02, dup: 0.05 }, 5)],
    ["random bytes", () => randomFrames(300, 21)],
  ];
  for (const [name, get] of inputs) {
    it(`${name}: native = interpreter at every kernel boundary`, async () => {
      const cfgs = [FEED_CFG, { locateLo: 0, locateHi: 65535 }];
      const r = await runKernelStream({
        frames: get().map((f) => frameToBeats(f)),
        steppers: [{ name: "native", stepper: await nativePipelineStepper(FILE, "feedWatch", stages, cfgs) }, { name: "interp", stepper: interpPipelineStepper(stages, cfgs) }],
        stages: stages.map((s) => s.name),
      });
      expect(r.firstMismatch).toBeUndefined();
      expect(r.mismatches).toBe(0);
      if (name !== "random bytes") expect(r.recordsByStage[1]).toBeGreaterThan(0);
      expect(r.recordsByStage[1]).toBeLessThanOrEqual(r.recordsByStage[0]);
    }, 300_000);
  }
});

describe("pipeline feed → watch in RTL", () => {
  const hw = generatePipelineHardware("feedWatch", stages, { clockMhz: 200, source: FILE, sourceHash: "test" });

  it("one top module: lint clean, Icarus, Yosys without latches", () => {
    expect(hw.diagnostics).toEqual([]);
    const dir = join("build", "test-pipeline");
    mkdirSync(dir, { recursive: true });
    const paths = hw.files!.map((f) => { const v = join(dir, `${f.module}.v`); writeFileSync(v, f.verilog); return v; });
    expect(hw.files!.map((f) => f.module)).toEqual(["feed", "watch", "feedWatch"]);
    const lint = run("verilator", ["--lint-only", "-Wall", "--top-module", "feedWatch", ...paths]);
    expect(lint.out).toBe("");
    expect(run("iverilog", ["-g2005", "-o", "/dev/null", ...paths]).code).toBe(0);
    const y = run("yosys", ["-q", "-p", `read_verilog ${paths.join(" ")}; synth -top feedWatch; select -assert-none t:$dlatch t:$_DLATCH_*; check -assert`]);
    expect(y.out).toBe("");
    expect(y.code).toBe(0);
    expect(hw.signature!.config!.map((c) => c.name)).toEqual(["cfg_feed", "cfg_watch"]);
    expect(hw.files![2].verilog).not.toMatch(/startup_busy/); // no memory: nothing waits after reset
  });

  // The sample.pcap case (about a minute) runs in make test-full; make test keeps the synthetic one.
  const cases: [string, () => Uint8Array[], { locateLo: number; locateHi: number }, number, boolean][] = [
    ["sample.pcap, every locate, 60% backpressure (make test-full)", () => frames("examples/itch/data/sample.pcap"), { locateLo: 0, locateHi: 65535 }, 0.6, FULL],
    ["synthetic feed, locates 3..9, 30% stalls", () => synthFrames("pipe-rtl", 3000, { drop: 0.02, dup: 0.05 }, 9), { locateLo: 3, locateHi: 9 }, 0.3, true],
  ];
  for (const [name, get, wcfg, pressure, enabled] of cases) {
    it.runIf(enabled)(`${name}: top module and each kernel equal native at every boundary`, async () => {
      const r = await rtlRun(FILE, "feedWatch", stages, hw, [FEED_CFG, wcfg], get(), pressure);
      expect(r.rtls[0].summary.records).toBe(r.recordsByStage[1]);
      expect(r.rtls[1].summary.records).toBe(r.recordsByStage[0]);
      expect(r.rtls[2].summary.records).toBe(r.recordsByStage[1]);
      expect(r.recordsByStage[1]).toBeGreaterThan(50);
      // End to end: never faster than the two kernels' stages; with every record kept and heavy
      // backpressure, the stall at the end reaches the input.
      expect(r.latency.summary()!.min).toBeGreaterThanOrEqual(hw.latencyCycles!);
      if (pressure >= 0.5) expect(r.rtls[0].summary.inputReadyLowCycles).toBeGreaterThan(0);
    }, 900_000);
  }
});

/**
 * Run a pipeline natively and in Verilator (the top module on the frames, and each kernel's module
 * on the native records of the boundary before it) with stalls; every record must match.
 */
async function rtlRun(file: string, name: string, st: PipelineStage[], hw: PipelineHw, cfgs: unknown[], fs: Uint8Array[], pressure: number) {
  const rtls: RtlTap[] = [];
  const stops: (() => void)[] = [];
  try {
    const tap = async (label: string, from: number, to: number, args: Omit<Parameters<typeof startKernelRtl>[0], "onRecord" | "backpressure" | "bubbles" | "seed" | "workDir" | "buildFlags">) => {
      let cb: (rec: unknown, lat: number | null) => void = () => {};
      const stream = await startKernelRtl({ ...args, backpressure: pressure, bubbles: 0.3, seed: 5 + rtls.length, workDir: "build/test-pipeline", buildFlags: FAST_BUILD, onRecord: (r, l) => cb(r, l) });
      stops.push(() => stream.kill());
      rtls.push({ label, stream, attach: (f) => { cb = f; }, from, to });
    };
    const cfgPorts: Record<string, bigint> = {};
    st.forEach((s, i) => { if (s.kernel.cfg) cfgPorts[cfgPortName(s.name)] = packValue(jsonToValue(cfgs[i], s.kernel.cfg, "cfg"), irTypeOf(s.kernel.cfg)); });
    const last = st.length - 1;
    await tap(name, -1, last, { k: { ...st[0].kernel, name, out: st[last].kernel.out, cfg: undefined }, verilog: hw.verilog!, signature: hw.signature, cfg: undefined, cfgPorts, gapCycles: 3 });
    for (let i = 0; i < st.length; i++) await tap(st[i].name, i - 1, i, { k: { ...st[i].kernel, name: hw.stages![i].module! }, verilog: hw.stages![i].verilog!, signature: hw.stages![i].signature, cfg: cfgs[i], gapCycles: i === 0 ? 3 : 0 });
    const r = await runKernelStream({
      frames: fs.map((f) => frameToBeats(f)),
      steppers: [{ name: "native", stepper: await nativePipelineStepper(file, name, st, cfgs) }],
      rtls, stages: st.map((s) => s.name),
    });
    expect(r.firstMismatch).toBeUndefined();
    expect(r.mismatches).toBe(0);
    for (const t of r.rtls) { expect(t.summary.protocolErrors).toBe(0); expect(t.summary.hung).toBe(false); }
    return r;
  } finally {
    for (const s of stops) s();
  }
}

describe("a pipeline of four kernels, one used twice (test/fixtures/pipeline/four.ts)", () => {
  const FOUR = "test/fixtures/pipeline/four.ts";
  const q = compilePipeline(FOUR, "four");
  const cfgs = [FEED_CFG, { locateLo: 0, locateHi: 65535 }, { n: 3 }, { n: 2 }];
  it("stages are named by kernel, a repeated one with its index; one module per kernel", () => {
    expect(q.diagnostics).toEqual([]);
    expect(q.stages!.map((s) => s.name)).toEqual(["feed", "watch", "every_2", "every_3"]);
    const hw = generatePipelineHardware("four", q.stages!, { clockMhz: 200, source: FOUR, sourceHash: "test" });
    expect(hw.files!.map((f) => f.module)).toEqual(["feed", "watch", "every", "four"]);
    expect(hw.signature!.config!.map((c) => c.name)).toEqual(["cfg_feed", "cfg_watch", "cfg_every_2", "cfg_every_3"]);
  });
  it("native = interpreter at every boundary; RTL (top and each kernel) = native with 40% stalls (RTL: make test-full)", async () => {
    const fs = synthFrames("pipe-four", 3000, { drop: 0.02, dup: 0.05 }, 13);
    const st = q.stages!;
    const sw = await runKernelStream({
      frames: fs.map((f) => frameToBeats(f)),
      steppers: [{ name: "native", stepper: await nativePipelineStepper(FOUR, "four", st, cfgs) }, { name: "interp", stepper: interpPipelineStepper(st, cfgs) }],
      stages: st.map((s) => s.name),
    });
    expect(sw.mismatches).toBe(0);
    expect(sw.recordsByStage[3]).toBeGreaterThan(100);
    expect(sw.recordsByStage[2]).toBe(Math.ceil(sw.recordsByStage[1] / 3));
    // The RTL half in make test-full only (TSFPGA_TEST_FULL=1): feed → watch above covers the RTL in make test.
    if (!FULL) return;
    const hw = generatePipelineHardware("four", st, { clockMhz: 200, source: FOUR, sourceHash: "test" });
    const r = await rtlRun(FOUR, "four", st, hw, cfgs, fs, 0.4);
    expect(r.rtls.map((t) => t.summary.records)).toEqual([sw.recordsByStage[3], ...sw.recordsByStage]);
  }, 900_000);
});

describe("a pipeline with a memory (examples/memory/per_symbol.ts: feed → per-locate counts in a 65,536-entry block RAM)", () => {
  const LOC = "examples/memory/per_symbol.ts";
  const q = compilePipeline(LOC, "feedCounts");
  const hw = generatePipelineHardware("feedCounts", q.stages!, { clockMhz: 200, source: LOC, sourceHash: "test" });
  it("the top's input waits for the clear after reset; lint clean, Icarus", () => {
    expect(q.diagnostics).toEqual([]);
    expect(hw.diagnostics).toEqual([]);
    const top = hw.files!.find((f) => f.module === "feedCounts")!.verilog;
    expect(top).toMatch(/assign s_axis_tready = first_tready && !startup_busy;/);
    const dir = join("build", "test-pipeline");
    mkdirSync(dir, { recursive: true });
    const paths = hw.files!.map((f) => { const v = join(dir, `${f.module}.v`); writeFileSync(v, f.verilog); return v; });
    expect(run("verilator", ["--lint-only", "-Wall", "--top-module", "feedCounts", ...paths]).out).toBe("");
    expect(run("iverilog", ["-g2005", "-o", "/dev/null", ...paths]).code).toBe(0);
  });
  it("native = interpreter = RTL (top and each kernel) at every boundary with 30% stalls; no record waits for the clear", async () => {
    const fs = frames("examples/itch/data/sample.pcap");
    const st = q.stages!;
    const cfgs = [FEED_CFG, undefined];
    const sw = await runKernelStream({
      frames: fs.map((f) => frameToBeats(f)),
      steppers: [{ name: "native", stepper: await nativePipelineStepper(LOC, "feedCounts", st, cfgs) }, { name: "interp", stepper: interpPipelineStepper(st, cfgs) }],
      stages: st.map((s) => s.name),
    });
    expect(sw.mismatches).toBe(0);
    expect(sw.recordsByStage[1]).toBeGreaterThan(1000);
    const r = await rtlRun(LOC, "feedCounts", st, hw, cfgs, fs, 0.3);
    expect(r.rtls[0].summary.records).toBe(sw.recordsByStage[1]);
    expect(r.rtls[0].summary.inputReadyLowCycles).toBeGreaterThanOrEqual(65536);
    expect(r.latency.summary()!.max).toBeLessThan(100);
  }, 900_000);
});

describe("pipeline errors", () => {
  it("a stage whose input is not the previous stage's output is TSF1013 at the stage", () => {
    const r = compilePipeline("test/fixtures/pipeline/mismatch.ts", "bad");
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(["TSF1013 6:35"]);
    expect(r.diagnostics[0].message).toMatch(/frameSum takes Beat.*feed outputs ItchRecord/);
  });
  it("check reports it too", () => {
    const r = checkFiles(["test/fixtures/pipeline/mismatch.ts"]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(["TSF1013 6:35"]);
    expect(checkFiles([FILE]).diagnostics).toEqual([]);
  });
  it("a stage that is not a kernel is an error at the argument", () => {
    const r = compilePipeline("test/fixtures/pipeline/not-kernel.ts", "bad");
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics[0].line).toBe(9);
  });
});
