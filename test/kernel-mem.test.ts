// Memories in kernel state (Mem<T, N>, docs/dialect.md §9c): examples/memory/totals.ts keeps a
// running total per 10-bit key in a 1024-entry Mem. Native Node, the interpreter and Verilator
// (with and without random bubbles and backpressure) give the same records and the same final
// memory, on random beats in which the same key often comes on consecutive beats (the RTL's
// forwarding path) and on a run of one key only. The Verilog is lint clean and latch free, and
// Yosys maps the memory to block RAM on iCE40 (SB_RAM40_4K) and ECP5 (DP16KD). A write followed
// by a read in the same step reads the value written, in every engine.
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { runKernelInterp, runKernelNative } from "../sim/kernel-sim.js";
import { runKernelRtl } from "../sim/kernel-rtl.js";
import { runYosysScript } from "../sim/yosys.js";
import { spawnSync } from "node:child_process";
import { FAST_BUILD, FULL, lint } from "./cosim-helpers.js";
import { prng } from "./helpers/feed-frames.js";

const FILE = "examples/memory/totals.ts";

/**
 * Lint, Icarus, and Yosys's latch check after `proc` (the generic `synth` of toolChecks would map
 * the memory to thousands of flip-flops and take a minute; the block-RAM synthesis is tested below).
 */
function toolChecks(vpath: string, module: string): { lint: string; icarus: string; yosys: string } {
  const ic = spawnSync("iverilog", ["-g2005", "-o", "/dev/null", vpath], { encoding: "utf8" });
  const y = spawnSync("yosys", ["-q", "-p", `read_verilog ${vpath}; hierarchy -top ${module}; proc; opt; select -assert-none t:$dlatch t:$_DLATCH_*; check -assert`], { encoding: "utf8" });
  return { lint: lint(vpath), icarus: ic.status === 0 ? "" : ic.stdout + ic.stderr, yosys: y.status === 0 ? "" : y.stdout + y.stderr };
}
const DIR = join("build", "test-mem");

/** Frames of 8-byte messages {key lo, key hi, amount lo, amount hi, op}; keys repeat back to back often. */
function totalsFrames(n: number, seed: number, keys = 40): Uint8Array[] {
  const rnd = prng(seed);
  const frames: Uint8Array[] = [];
  let key = 0;
  for (let left = n; left > 0;) {
    const count = Math.min(left, 1 + Math.floor(rnd() * 4));
    const f = new Uint8Array(8 * count);
    for (let i = 0; i < count; i++) {
      if (rnd() >= 0.4) key = Math.floor(rnd() * keys) * 25 % 1024; // else: the same key as the beat before
      const amount = Math.floor(rnd() * 65536);
      const r = rnd();
      const op = r < 0.6 ? 0 : r < 0.8 ? 1 : r < 0.9 ? 2 : 3;
      f.set([key & 255, key >> 8, amount & 255, amount >> 8, op, 0, 0, 0], 8 * i);
    }
    frames.push(f);
    left -= count;
  }
  return frames;
}

describe("Mem in kernel state: per-key totals", () => {
  const k = compileKernel(FILE, undefined);
  const hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 100, source: FILE, sourceHash: "test" });

  it("compiles: the read is issued one stage ahead of the state loop, the memory is cleared after reset", () => {
    expect(k.diagnostics).toEqual([]);
    expect(hw.diagnostics).toEqual([]);
    expect(hw.report!.kernel).toMatchObject({ loopStage: 2, memories: [{ name: "totals", depth: 1024, addrWidth: 10, reads: 1, writes: 1 }], clearCycles: 1024 });
    mkdirSync(DIR, { recursive: true });
    const v = join(DIR, "totals.v");
    writeFileSync(v, hw.verilog!);
    expect(toolChecks(v, "totals")).toEqual({ lint: "", icarus: "", yosys: "" });
  });

  it("native and interpreter agree record for record and on the final memory", async () => {
    const src = totalsFrames(3000, 5).map((data) => ({ data }));
    const nat = await runKernelNative(FILE, k.kernel!, src, undefined);
    const int = runKernelInterp(k.pkg!, k.fn!, k.kernel!, src, undefined);
    expect(nat.records.length).toBe(3000);
    expect(int.records).toEqual(nat.records);
    expect(int.finalState).toEqual(nat.finalState);
    expect((nat.finalState as Record<string, unknown[]>)["mem:totals"].length).toBeGreaterThan(10);
    // The totals really accumulate: some key's total exceeds one amount.
    expect(nat.records.some((r) => (r as { total: number }).total > 65535)).toBe(true);
  });

  it.each([[0, 1], [0.3, 2], [0.6, 3]])("Verilator matches native under bubbles and backpressure %s", async (p, seed) => {
    const fs = totalsFrames(2500, 10 + seed);
    const nat = await runKernelNative(FILE, k.kernel!, fs.map((data) => ({ data })), undefined);
    const r = await runKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, frames: fs, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: p, bubbles: p, seed, workDir: DIR, buildFlags: FAST_BUILD });
    expect(r.protocolErrors).toBe(0);
    expect(r.hung).toBe(false);
    expect(r.records).toEqual(nat.records);
    if (p === 0) {
      expect(r.inputReadyLowCycles).toBe(1024); // the clear after reset, then line rate: no stall for forwarding
      expect(Math.min(...r.latencyCycles)).toBe(hw.schedule!.stages);
    }
  });

  it("one key on every beat (each read needs the write of the beat just before it)", async () => {
    const fs = totalsFrames(600, 99, 1);
    const nat = await runKernelNative(FILE, k.kernel!, fs.map((data) => ({ data })), undefined);
    for (const p of [0, 0.5]) {
      const r = await runKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, frames: fs, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: p, bubbles: p, seed: 7, workDir: DIR, buildFlags: FAST_BUILD });
      expect(r.records).toEqual(nat.records);
    }
  });

  it.each([["ice40", "SB_RAM40_4K", 8], ["ecp5", "DP16KD", 2]] as const)("Yosys synth_%s maps the memory to %s block RAM", async (family, cell, count) => {
    const res = await runYosysScript({ "totals.v": hw.verilog! }, `synth_${family} -top totals`);
    expect(res.ok).toBe(true);
    expect(Number(new RegExp(`${cell}\\s+(\\d+)`).exec(res.stat)?.[1])).toBe(count);
  });
});

describe("Mem: a write then a read in the same step", () => {
  const FIX = "test/fixtures/programs/mem_same_step.ts";
  const k = compileKernel(FIX, undefined);
  const hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 100, source: FIX, sourceHash: "test" });

  it("reads the value just written in native, interpreter and Verilator (random bubbles and backpressure)", async () => {
    expect(k.diagnostics).toEqual([]);
    expect(hw.diagnostics).toEqual([]);
    const rnd = prng(3);
    const fs = Array.from({ length: 300 }, () => Uint8Array.from([rnd() * 8, rnd() * 8, rnd() * 256, rnd() * 2, 0, 0, 0, 0].map(Math.floor)));
    const src = fs.map((data) => ({ data }));
    const nat = await runKernelNative(FIX, k.kernel!, src, undefined);
    const int = runKernelInterp(k.pkg!, k.fn!, k.kernel!, src, undefined);
    expect(int.records).toEqual(nat.records);
    expect(int.finalState).toEqual(nat.finalState);
    // Where the write index equals the read index and the write happens, the read is the value written.
    fs.forEach((f, i) => { if (f[3] === 1 && f[0] === f[1]) expect((nat.records[i] as { read: number }).read).toBe(f[2]); });
    mkdirSync(DIR, { recursive: true });
    const v = join(DIR, "same.v");
    writeFileSync(v, hw.verilog!);
    expect(toolChecks(v, "same")).toEqual({ lint: "", icarus: "", yosys: "" });
    const r = await runKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, frames: fs, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: 0.4, bubbles: 0.4, seed: 5, workDir: DIR, buildFlags: FAST_BUILD });
    expect(r.records).toEqual(nat.records);
  });
});

/** Frames of one 8-byte beat each, from a generator of beat bytes. */
function beatFrames(n: number, seed: number, bytes: (rnd: () => number) => number[]): Uint8Array[] {
  const rnd = prng(seed);
  return Array.from({ length: n }, () => Uint8Array.from([...bytes(rnd), 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 8)));
}

describe("Mem of records, and a memory of 65,536 entries", () => {
  /** native = interpreter = Verilator (bubbles and backpressure p) on these frames; returns the native records. */
  async function allEngines(file: string, name: string, frames: Uint8Array[], p: number, mhz: number) {
    const k = compileKernel(file, undefined);
    expect(k.diagnostics).toEqual([]);
    const hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: mhz, source: file, sourceHash: "test" });
    expect(hw.diagnostics).toEqual([]);
    const src = frames.map((data) => ({ data }));
    const nat = await runKernelNative(file, k.kernel!, src, undefined);
    const int = runKernelInterp(k.pkg!, k.fn!, k.kernel!, src, undefined);
    expect(int.records).toEqual(nat.records);
    expect(int.finalState).toEqual(nat.finalState);
    mkdirSync(DIR, { recursive: true });
    const v = join(DIR, `${name}.v`);
    writeFileSync(v, hw.verilog!);
    expect(toolChecks(v, name)).toEqual({ lint: "", icarus: "", yosys: "" });
    const r = await runKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, frames, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: p, bubbles: p, seed: 4, workDir: DIR, buildFlags: FAST_BUILD });
    expect(r.hung).toBe(false);
    expect(r.records).toEqual(nat.records);
    return { nat, hw };
  }

  it("an order table of records keyed by a hashed reference (adds, executions, misses; the same order back to back)", async () => {
    const refs: number[] = [];
    const frames = beatFrames(3000, 21, (rnd) => {
      let ref = Math.floor(rnd() * 65536);
      if (refs.length && rnd() < 0.7) ref = refs[refs.length - 1 - Math.floor(rnd() * Math.min(refs.length, 3))];
      else refs.push(ref);
      const shares = Math.floor(rnd() * 300);
      return [ref & 255, ref >> 8, shares & 255, shares >> 8, rnd() < 0.4 ? 65 : 69, rnd() < 0.5 ? 66 : 83];
    });
    const { nat } = await allEngines("test/fixtures/programs/mem_orders.ts", "book", frames, 0.4, 150);
    const hits = nat.records.filter((r) => (r as { hit: boolean }).hit).length;
    expect(hits).toBeGreaterThan(300); // executions find their orders, often the one added on the beat before
  });

  it("two memories of different sizes and types (reset value 7 in one): all engines agree", async () => {
    let a = 0, b = 0;
    const frames = beatFrames(2500, 31, (rnd) => {
      if (rnd() < 0.5) a = Math.floor(rnd() * 256);
      if (rnd() < 0.5) b = Math.floor(rnd() * 4096);
      return [a, b & 255, b >> 8, Math.floor(rnd() * 256), Math.floor(rnd() * 256), Math.floor(rnd() * 4)];
    });
    const { hw } = await allEngines("test/fixtures/programs/mem_two.ts", "two", frames, 0.4, 150);
    expect(hw.report!.kernel!.memories.map((m) => m.name)).toEqual(["counts", "last"]);
    expect(hw.report!.kernel!.clearCycles).toBe(4096);
  });

  it("a memory filled at reset from a module-level table (mem(n, fill, TABLE)): all engines agree", async () => {
    const frames = beatFrames(600, 41, (rnd) => [Math.floor(rnd() * 16), Math.floor(rnd() * 30)]);
    const { nat } = await allEngines("test/fixtures/programs/mem_table.ts", "limits", frames, 0.3, 150);
    // The first spend of key 3 starts from the table's 65535, of key 9 from the fill value 100.
    const first = (key: number) => nat.records.findIndex((r) => (r as { key: number }).key === key);
    expect((nat.records[first(3)] as { left: number }).left).toBe(65535 - frames[first(3)][1]);
    expect((nat.records[first(9)] as { left: number }).left).toBe(100 - frames[first(9)][1]);
  });

  it("writes in a loop, each followed by break, count once (find-first): all engines agree", async () => {
    let key = 0;
    const frames = beatFrames(1500, 51, (rnd) => {
      if (rnd() < 0.5) key = Math.floor(rnd() * 64);
      return [key & 255, key >> 8, Math.floor(rnd() * 256), Math.floor(rnd() * 256), Math.floor(rnd() * 4)];
    });
    const { nat } = await allEngines("test/fixtures/programs/mem_first_free.ts", "firstFree", frames, 0.3, 150);
    const stored = nat.records.filter((r) => (r as { stored: boolean }).stored).length;
    expect(stored).toBeGreaterThan(50);
    expect(stored).toBeLessThan(1500);
  });

  it("a memory only written (no RAM) beside one only read (its reset table): lint clean, all engines agree", async () => {
    const frames = beatFrames(400, 61, (rnd) => [Math.floor(rnd() * 256), Math.floor(rnd() * 256), Math.floor(rnd() * 4)]);
    const { hw } = await allEngines("test/fixtures/programs/mem_write_only.ts", "k", frames, 0.3, 100);
    expect(hw.report!.kernel!.memories.map((m) => m.name)).toEqual(["r"]);
    expect(hw.verilog).not.toContain("mem_w_");
  });

  it("Mem<boolean, 65536>: all engines agree; Yosys maps it to 16 SB_RAM40_4K and 4 DP16KD", async () => {
    let key = 0;
    const frames = beatFrames(2000, 8, (rnd) => {
      if (rnd() < 0.6) key = Math.floor(rnd() * (rnd() < 0.5 ? 50 : 65536));
      return [key & 255, key >> 8];
    });
    const { hw } = await allEngines("test/fixtures/programs/mem_seen.ts", "seen", frames, 0.3, 150);
    expect(hw.report!.kernel!.clearCycles).toBe(65536);
    for (const [family, cell, count] of [["ice40", "SB_RAM40_4K", 16], ["ecp5", "DP16KD", 4]] as const) {
      const res = await runYosysScript({ "seen.v": hw.verilog! }, `synth_${family} -top seen`);
      expect(Number(new RegExp(`${cell}\\s+(\\d+)`).exec(res.stat)?.[1])).toBe(count);
    }
  });
});

describe("Mem: the read issued two input stages ahead, and a kernel with a memory in a pipeline", () => {
  it("a hashed slot at 400 MHz: loop stage 3, all engines agree with and without stalls", async () => {
    const FIX = "test/fixtures/programs/mem_hashed.ts";
    const k = compileKernel(FIX, undefined);
    const hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 400, source: FIX, sourceHash: "test" });
    expect(hw.diagnostics).toEqual([]);
    expect(hw.report!.kernel!.loopStage).toBe(3);
    let key = 0, b = 0;
    const frames = beatFrames(2500, 12, (rnd) => {
      if (rnd() < 0.5) { key = Math.floor(rnd() * 65536); b = Math.floor(rnd() * 4); }
      return [key & 255, key >> 8, b];
    });
    const src = frames.map((data) => ({ data }));
    const nat = await runKernelNative(FIX, k.kernel!, src, undefined);
    const int = runKernelInterp(k.pkg!, k.fn!, k.kernel!, src, undefined);
    expect(int.records).toEqual(nat.records);
    for (const p of [0, 0.5]) {
      const r = await runKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, frames, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: p, bubbles: p, seed: 6, workDir: DIR, buildFlags: FAST_BUILD });
      expect(r.records).toEqual(nat.records);
    }
  });

  // test/pipeline.test.ts runs the same pipeline in every engine under stalls in make test; this CLI run is in make test-full.
  it.runIf(FULL)("feed → per-locate counts (examples/memory/per_symbol.ts) on the bundled capture through the CLI: 0 mismatches at every boundary, no record waits out the clear (make test-full)", () => {
    const r = spawnSync("node", ["bin/tsfpga.js", "simulate", "examples/memory/per_symbol.ts", "--top", "feedCounts", "--pcap", "examples/itch/data/sample.pcap",
      "--engine", "all", "--config", '{"feed":{"dstIp":0,"dstPort":0}}', "--backpressure", "0.3", "--bubbles", "0.2", "--json"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { mismatches: number; records: number; latencyCycles: { max: number }; inputReadyLowCycles: number };
    expect(j.mismatches).toBe(0);
    expect(j.records).toBe(2933);
    expect(j.latencyCycles.max).toBeLessThan(100); // the pipeline takes no input while perLocate clears its 65,536 entries
    expect(j.inputReadyLowCycles).toBeGreaterThanOrEqual(65536);
  });
});
