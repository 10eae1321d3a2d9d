// Memories of many shapes, written the way a user would (test/fixtures/programs/mem_*.ts, each with
// a header saying what it checks): element types u1, boolean, u64, an enum, a record, a Vec; 2, 3,
// 1000 and 65,536 entries; indexes from a field, from bits/cat of fields, from the configuration
// mixed with the input; writes in an if, a switch, after an early return; a memory in a nested
// state record, one filled from a table, one only read; two memories with different index widths;
// a memory only written; the same index read twice; reads in exclusive branches sharing the one read port; a memory in
// the second kernel of a pipeline with record input. For each: native Node, the interpreter and
// Verilator under random bubbles and backpressure give the same records (and native and the
// interpreter the same final memories); the Verilog is lint clean, Icarus accepts it, Yosys finds
// no latch. Programs one port cannot serve are TSF4020 at the line (test/diagnostics/TSF4020-*.ts).
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { compileKernel, compilePipeline } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { generatePipelineHardware } from "../compiler/verilog/pipeline-hw.js";
import { runKernelInterp, runKernelNative, frameToBeats, interpPipelineStepper, nativePipelineStepper } from "../sim/kernel-sim.js";
import { runKernelRtl, startKernelRtl } from "../sim/kernel-rtl.js";
import { runKernelStream, type RtlTap } from "../sim/kernel-run.js";
import { FAST_BUILD, lint } from "./cosim-helpers.js";
import { prng } from "./helpers/feed-frames.js";

const DIR = join("build", "test-mem-shapes");
const P = "test/fixtures/programs";

function toolChecks(vpath: string, module: string): { lint: string; icarus: string; yosys: string } {
  const ic = spawnSync("iverilog", ["-g2005", "-o", "/dev/null", vpath], { encoding: "utf8" });
  const y = spawnSync("yosys", ["-q", "-p", `read_verilog ${vpath}; hierarchy -top ${module}; proc; opt; select -assert-none t:$dlatch t:$_DLATCH_*; check -assert`], { encoding: "utf8" });
  return { lint: lint(vpath), icarus: ic.status === 0 ? "" : ic.stdout + ic.stderr, yosys: y.status === 0 ? "" : y.stdout + y.stderr };
}

/** n one-beat frames of 8 random bytes; with probability `repeat` a beat keeps the previous beat's first two bytes (the same key back to back). */
function beats(n: number, seed: number, repeat = 0.5, mask: number[] = []): Uint8Array[] {
  const rnd = prng(seed);
  let prev = [0, 0];
  return Array.from({ length: n }, () => {
    const b = Array.from({ length: 8 }, (_, i) => Math.floor(rnd() * 256) & (mask[i] ?? 255));
    if (rnd() < repeat) [b[0], b[1]] = prev;
    prev = [b[0], b[1]];
    return Uint8Array.from(b);
  });
}

/** native = interpreter = Verilator (bubbles and backpressure p) on these frames; returns the native run and the hardware. */
async function allEngines(file: string, frames: Uint8Array[], opts: { cfg?: unknown; p?: number; mhz?: number; seed?: number } = {}) {
  const k = compileKernel(file, undefined);
  expect(k.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([]);
  const hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: opts.mhz ?? 150, source: file, sourceHash: "test" });
  expect(hw.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([]);
  const src = frames.map((data) => ({ data }));
  const nat = await runKernelNative(file, k.kernel!, src, opts.cfg);
  const int = runKernelInterp(k.pkg!, k.fn!, k.kernel!, src, opts.cfg);
  expect(int.records).toEqual(nat.records);
  expect(int.finalState).toEqual(nat.finalState);
  const name = /^module (\w+)/m.exec(hw.verilog!)![1];
  mkdirSync(DIR, { recursive: true });
  const v = join(DIR, `${name}.v`);
  writeFileSync(v, hw.verilog!);
  expect(toolChecks(v, name)).toEqual({ lint: "", icarus: "", yosys: "" });
  const p = opts.p ?? 0.35;
  const r = await runKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, frames, cfg: opts.cfg, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: p, bubbles: p, seed: opts.seed ?? 4, workDir: DIR, buildFlags: FAST_BUILD });
  expect(r.protocolErrors).toBe(0);
  expect(r.hung).toBe(false);
  expect(r.records).toEqual(nat.records);
  return { nat, hw, k };
}

const mems = (hw: Awaited<ReturnType<typeof allEngines>>["hw"]) => hw.report!.kernel!.memories.map((m) => [m.name, m.depth, m.addrWidth]);

describe("memories of many shapes: native = interpreter = Verilator (random bubbles and backpressure)", () => {
  it("Mem<u1, 2> read-modify-write, Mem<boolean, 3> indexed by a remainder, a memory only written", async () => {
    const { nat, hw } = await allEngines(`${P}/mem_small.ts`, beats(800, 1));
    expect(mems(hw)).toEqual([["flip", 2, 1], ["seen", 3, 2]]); // log is never read: no RAM
    expect((nat.finalState as Record<string, unknown[]>)["mem:log"].length).toBe(3);
    expect(new Set(nat.records.map((r) => (r as { flag: boolean }).flag))).toEqual(new Set([true, false]));
  });

  it("Mem<u64, 1000>: index from bits/cat narrowed by an if, writes in a switch", async () => {
    const { nat, hw } = await allEngines(`${P}/mem_wide.ts`, beats(1500, 2, 0.5, [255, 3]));
    expect(mems(hw)).toEqual([["acc", 1000, 10]]);
    expect(nat.records.some((r) => !(r as { ok: boolean }).ok)).toBe(true); // keys 1000…1023 refused
    expect(nat.records.some((r) => BigInt((r as { before: bigint | number }).before) > 0xffffffffn)).toBe(true);
  });

  it("Mem of an enum and Mem of records, indexed by the input XOR the configuration; an early return before the writes", async () => {
    await allEngines(`${P}/mem_enum_rec.ts`, beats(1500, 3, 0.5, [15, 7, 1]), { cfg: { salt: 0x5a, recSalt: 0x133 } });
  });

  it("Mem<Vec<u8, 4>, 64>: read a row, change one lane, write it back", async () => {
    await allEngines(`${P}/mem_vec.ts`, beats(1200, 4, 0.5, [63]));
  });

  it("a memory in a nested state record (65,536 entries, from a table) beside a 16-entry one", async () => {
    const { hw } = await allEngines(`${P}/mem_nested.ts`, beats(1200, 5, 0.5, [7, 255]));
    expect(mems(hw)).toEqual([["tab.big", 65536, 16], ["small", 16, 4]]);
  });

  it("the same index read twice (one read port) and written twice (one write port), and a memory only read", async () => {
    const { hw, nat } = await allEngines(`${P}/mem_same_index.ts`, beats(1000, 6, 0.5, [31]));
    expect(hw.report!.kernel!.memories.map((m) => [m.name, m.reads, m.writes])).toEqual([["counts", 1, 1], ["prices", 1, 0]]);
    // The second write replaced the first: some count jumped by 100 from one beat of its key to the next.
    expect(nat.records.some((r) => (r as { count: number }).count >= 100)).toBe(true);
  });

  it("reads in exclusive branches (if/else, switch, after an early return, ?:) share the read port", async () => {
    const { hw } = await allEngines(`${P}/mem_exclusive.ts`, beats(2000, 7, 0.5, [15, 15]));
    expect(hw.report!.kernel!.memories.map((m) => [m.name, m.reads, m.writes])).toEqual([["m", 1, 1], ["t", 1, 1]]);
  });
});

describe("a memory in the second kernel of a pipeline, with record input (test/fixtures/programs/mem_pipe.ts)", () => {
  it("native = interpreter at both boundaries; the top module in Verilator = native (30% bubbles and backpressure)", async () => {
    const FILE = `${P}/mem_pipe.ts`;
    const q = compilePipeline(FILE, "parseTally");
    expect(q.diagnostics).toEqual([]);
    const st = q.stages!;
    const fs = beats(1500, 9, 0.5, [255, 1, 255, 255, 1]);
    const cfgs = [undefined, undefined];
    const sw = await runKernelStream({
      frames: fs.map((f) => frameToBeats(f)),
      steppers: [{ name: "native", stepper: await nativePipelineStepper(FILE, "parseTally", st, cfgs) }, { name: "interp", stepper: interpPipelineStepper(st, cfgs) }],
      stages: st.map((s) => s.name),
    });
    expect(sw.mismatches).toBe(0);
    expect(sw.recordsByStage[1]).toBeGreaterThan(1000);
    expect(sw.recordsByStage[1]).toBeLessThan(1500); // parse drops beats whose bytes[5] is 0
    const hw = generatePipelineHardware("parseTally", st, { clockMhz: 150, source: FILE, sourceHash: "test" });
    expect(hw.diagnostics).toEqual([]);
    mkdirSync(DIR, { recursive: true });
    const paths = hw.files!.map((f) => { const v = join(DIR, `${f.module}.v`); writeFileSync(v, f.verilog); return v; });
    expect(spawnSync("verilator", ["--lint-only", "-Wall", "--top-module", "parseTally", ...paths], { encoding: "utf8" }).stderr).toBe("");
    let cb: (rec: unknown, lat: number | null) => void = () => {};
    const stream = await startKernelRtl({ k: { ...st[0].kernel, name: "parseTally", out: st[1].kernel.out, cfg: undefined }, verilog: hw.verilog!, signature: hw.signature, cfg: undefined, cfgPorts: {}, backpressure: 0.3, bubbles: 0.3, seed: 11, workDir: DIR, buildFlags: FAST_BUILD, onRecord: (r, l) => cb(r, l) });
    try {
      const rtls: RtlTap[] = [{ label: "parseTally", stream, attach: (f) => { cb = f; }, from: -1, to: 1 }];
      const r = await runKernelStream({ frames: fs.map((f) => frameToBeats(f)), steppers: [{ name: "native", stepper: await nativePipelineStepper(FILE, "parseTally", st, cfgs) }], rtls, stages: st.map((s) => s.name) });
      expect(r.firstMismatch).toBeUndefined();
      expect(r.rtls[0].summary.records).toBe(sw.recordsByStage[1]);
      expect(r.rtls[0].summary.protocolErrors).toBe(0);
      expect(r.rtls[0].summary.hung).toBe(false);
    } finally {
      stream.kill();
    }
  });
});
