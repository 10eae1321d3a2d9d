/**
 * Variable array indexes in the Verilog backend (compiler/verilog/expr.ts, muxTree): an n-way select
 * is a balanced tree of 2:1 muxes, ceil(log2 n) levels deep as the delay model's muxLevels assumes,
 * not an n-deep `?:` chain (the feed handler's 64-way byte select over its message buffer was one,
 * and it set the routed clock). Checked with Yosys `ltp` (the longest path of cells before
 * technology mapping) and, for indexes narrower, equal to and wider than the array needs (an index
 * past the end reads the last element, as in the interpreter), lint, Icarus and Verilator against
 * the interpreter.
 */
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Builder } from "../compiler/ir/builder.js";
import type { Package } from "../compiler/ir/ir.js";
import { arrayOf, bits } from "../compiler/ir/types.js";
import { generateHardware } from "../compiler/verilog/backend.js";
import { cosim, run, ROOT, toolChecks, type HwDesign } from "./cosim-helpers.js";

/** `pick(a: [b<ew>; n], i: b<wi>) = a[i]` at 250 MHz, written to build/test-hw/mux-tree/. */
function design(n: number, ew: number, wi: number): HwDesign {
  const top = `pick${n}x${ew}i${wi}`;
  const b = new Builder(top);
  const a = b.param("a", arrayOf(bits(ew), n)), i = b.param("i", bits(wi));
  const fn = b.finish(b.add("index", [a, i]));
  const int = (w: number) => ({ k: "int", w, signed: false, big: w > 32 }) as const;
  fn.sig = { params: [{ name: "a", type: { k: "array", elem: int(ew), n } }, { name: "i", type: int(wi) }], ret: int(ew) };
  const pkg: Package = { name: top, fns: [fn] };
  const hw = generateHardware(fn, { clockMhz: 250, source: "mux-tree", sourceHash: "" });
  expect(hw.diagnostics).toEqual([]);
  const dir = join(ROOT, "build/test-hw/mux-tree");
  mkdirSync(dir, { recursive: true });
  const vpath = join(dir, `${top}.v`);
  writeFileSync(vpath, hw.verilog!);
  return { file: "mux-tree", top, mhz: 250, pkg, fn, hw: hw as HwDesign["hw"], vpath };
}

/** Yosys' longest path of word-level cells (no flip-flops), i.e. the mux depth of the select. */
function longestPath(d: HwDesign): number {
  const y = run("yosys", ["-p", `read_verilog ${d.vpath}; hierarchy -top ${d.hw.module}; proc; opt_clean; ltp -noff`]);
  const m = [...y.out.matchAll(/Longest topological path in \S+ \(length=(\d+)\)/g)];
  expect(m.length, y.out).toBeGreaterThan(0);
  return Math.max(...m.map((x) => Number(x[1])));
}

describe("variable index: balanced mux tree", () => {
  it("a 64-way byte select is a few levels of cells, not a 64-deep chain", () => {
    const d = design(64, 8, 6);
    expect(d.hw.verilog).not.toMatch(/== 6'h/);
    // 6 mux levels plus the design's handshake logic on the same path (the chain measured 66).
    expect(longestPath(d)).toBeLessThanOrEqual(12);
  });

  it.each([[64, 8, 6], [5, 8, 8], [5, 3, 3], [2, 8, 1], [3, 32, 4], [26, 32, 5], [7, 8, 3]] as const)(
    "%i × b%i indexed by b%i: lint clean, latch-free, Icarus accepts it, equal to the interpreter in Verilator",
    async (n, ew, wi) => {
      const d = design(n, ew, wi);
      expect(toolChecks(d.vpath, d.hw.module)).toEqual({ lint: "", icarus: "", yosys: "" });
      const r = await cosim(d, 1500, 0.2, n * 100 + wi);
      expect(r.summary).toBe("1500 outputs match");
    },
    600_000,
  );
});
