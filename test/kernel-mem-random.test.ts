// Random memory kernels (test/helpers/mem-programs.ts): one or two memories of random element type
// and size, read and written in random valid shapes (read-modify-write, exclusive reads in if/else,
// switch, ?:, around an early return and in a loop with break, the same read on two paths, a write
// then a read, the identical index read or written twice). Each
// compiles without a diagnostic; native Node and the interpreter give the same records and final
// memories on random beats; the first 2 (40 with TSFPGA_TEST_FULL=1) also run in Verilator
// under random bubbles and backpressure (at 50 MHz: timing is not the subject; a u64 update in a
// loop needs more than 150 MHz allows, TSF4003), lint clean, and equal native.
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { runKernelInterp, runKernelNative } from "../sim/kernel-sim.js";
import { runKernelRtl } from "../sim/kernel-rtl.js";
import { FAST_BUILD, FULL, lint } from "./cosim-helpers.js";
import { prng } from "./helpers/feed-frames.js";
import { memProgram } from "./helpers/mem-programs.js";

const DIR = join("build", "test-mem-random");
const SOFTWARE = FULL ? 200 : 30;
const RTL = FULL ? 40 : 2;

function beats(n: number, seed: number): Uint8Array[] {
  const rnd = prng(seed);
  let prev = [0, 0, 0];
  return Array.from({ length: n }, () => {
    const b = Array.from({ length: 8 }, () => Math.floor(rnd() * 256));
    if (rnd() < 0.5) [b[0], b[1], b[2]] = prev; // the same entries on consecutive beats (forwarding)
    prev = [b[0], b[1], b[2]];
    return Uint8Array.from(b);
  });
}

describe(`random memory kernels: ${SOFTWARE} in native and the interpreter, ${RTL} also in Verilator`, () => {
  mkdirSync(DIR, { recursive: true });
  for (let seed = 1; seed <= SOFTWARE; seed++) {
    const p = memProgram(seed);
    it(`seed ${seed} (${p.shape})`, async () => {
      const file = join(DIR, `${p.name}.ts`);
      writeFileSync(file, p.source);
      const k = compileKernel(file, undefined);
      expect(k.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`), p.source).toEqual([]);
      const fs = beats(seed <= RTL ? 800 : 400, seed);
      const src = fs.map((data) => ({ data }));
      const nat = await runKernelNative(file, k.kernel!, src, p.cfg);
      const int = runKernelInterp(k.pkg!, k.fn!, k.kernel!, src, p.cfg);
      expect(int.records).toEqual(nat.records);
      expect(int.finalState).toEqual(nat.finalState);
      if (seed > RTL) return;
      const hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 50, source: file, sourceHash: "test" });
      expect(hw.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([]);
      const v = join(DIR, `${p.name}.v`);
      writeFileSync(v, hw.verilog!);
      expect(lint(v)).toBe("");
      const r = await runKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, frames: fs, cfg: p.cfg, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: 0.35, bubbles: 0.35, seed, workDir: DIR, buildFlags: FAST_BUILD });
      expect(r.protocolErrors).toBe(0);
      expect(r.hung).toBe(false);
      expect(r.records).toEqual(nat.records);
    }, 300_000);
  }
});
