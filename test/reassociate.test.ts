/**
 * The reassociate pass (tree-height reduction): seeded random chains of xor/and/or/add — adds
 * widened through zext the way the front end writes exact sums, same-width modular adds, selects
 * whose arms differ by a constant, shifts and slices by constants (a CRC's shape), predicated
 * accumulations `c ? acc ⊕ t : acc` (a masked byte sum's shape), min/max chains — keep the
 * interpreter's results bit for bit after the pass, verify, and get shallower. On the examples,
 * a CRC-32 over 12 bytes drops from 21 stages to 1 at 250 MHz; FNV-1a, whose per-byte
 * xor-then-multiply does not reassociate, keeps its chain (22 stages, with demanded-bits); a min over 16 prices drops from 6 to 2.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Builder } from "../compiler/ir/builder.js";
import type { Fn, Node, Package } from "../compiler/ir/ir.js";
import { compileInterpreter } from "../compiler/interp/interp.js";
import { bits } from "../compiler/ir/types.js";
import { valueEq, type Value } from "../compiler/ir/values.js";
import { verifyPackage } from "../compiler/ir/verifier.js";
import { PASSES } from "../compiler/passes/pipeline.js";
import { generateHardware } from "../compiler/verilog/backend.js";
import { compileTop } from "../compiler/driver.js";
import { clonePackage, EXAMPLES_DIR, ROOT, bitsWidth, rng } from "./helpers/ir-tools.js";
import { join } from "node:path";
import { compileHw, cosim, lint } from "./cosim-helpers.js";

const w = bitsWidth;

/** Logic depth the way the pass counts it (wiring and constant shifts free). */
function depth(fn: Fn): number {
  const d = new Map<Node, number>();
  const free = new Set(["literal", "param", "zext", "sext", "slice", "concat", "not"]);
  for (const n of fn.nodes) {
    const base = Math.max(0, ...n.operands.map((o) => d.get(o) ?? 0));
    const isFree = free.has(n.op) || (["shl", "shrl", "shra"].includes(n.op) && n.operands[1].op === "literal");
    d.set(n, base + (isFree ? 0 : 1));
  }
  return d.get(fn.ret)!;
}

/** A chain of 6–24 steps over random terms; one of several shapes per seed. */
function chainPackage(seed: number): Package {
  const r = rng(seed);
  const b = new Builder("f");
  const W = r.pick([8, 16, 32, 33, 64]);
  const params = [0, 1, 2].map((i) => b.param(`p${i}`, bits(r.pick([1, 8, 16, W]))));
  const term = (width: number): Node => {
    const p = r.pick(params);
    if (w(p) === width) return p;
    return w(p) > width ? b.add("slice", [p], { lo: r.int(w(p) - width + 1), w: width }) : b.add("zext", [p], { w: width });
  };
  const shape = seed % 6;
  let acc = term(shape === 1 ? 8 : W);
  const steps = 6 + r.int(19);
  for (let k = 0; k < steps; k++) {
    if (shape === 0) { // one op, same width (modular for add)
      const op = r.pick(["xor", "and", "or", "add"] as const);
      acc = b.add(r.int(3) ? (seed % 8 < 4 ? "add" : op) : op, [acc, r.int(4) ? term(W) : b.literal(BigInt(r.int(1 << 20)), W)]);
    } else if (shape === 1) { // an exact sum that grows a bit per step (what the front end writes)
      const nw = Math.min(w(acc) + 1, 70);
      const t = term(8);
      acc = b.add("add", [b.add("zext", [acc], { w: nw }), b.add("zext", [r.int(3) ? t : b.add("and", [t, b.literal(BigInt(r.int(256)), 8)])], { w: nw })]);
      if (nw === 70) acc = b.add("slice", [acc], { lo: 0, w: 64 });
    } else if (shape === 2) { // a CRC-like step: sel(bit, (x >> 1) ^ K, x >> 1)
      const bit = b.add("ne", [b.add("slice", [acc], { lo: 0, w: 1 }), b.literal(0n, 1)]);
      const sh = b.add("zext", [b.add("slice", [b.add("shrl", [acc, b.literal(1n, 7)])], { lo: 0, w: W - 1 })], { w: W });
      const k = b.literal(BigInt(r.int(1 << 30)) | 1n, W);
      acc = b.add("sel", [bit, b.add("xor", [sh, k]), sh]);
      if (r.int(3) === 0) acc = b.add("xor", [acc, term(W)]);
    } else if (shape === 5) { // min or max chains: strict or not, unsigned or signed, either operand order
      const t = term(W);
      const cmp = r.pick(["ult", "ule", "slt", "sle"] as const);
      const [p, q] = r.int(2) ? [acc, t] : [t, acc];
      const c = b.add(cmp, [p, q]);
      acc = seed % 12 < 6 ? b.add("sel", [c, p, q]) : b.add("sel", [c, q, p]);
    } else if (shape === 4) { // predicated accumulation: c ? acc ⊕ t : acc, sums growing exactly or wrapping
      const op = r.pick(["add", "add", "xor", "or", "and"] as const);
      const grow = op === "add" && r.int(2) === 0 && w(acc) < 64;
      const a = grow ? b.add("zext", [acc], { w: w(acc) + 1 }) : acc;
      const t = term(w(a));
      const c = b.add("slice", [r.pick(params)], { lo: 0, w: 1 });
      const f = b.add(op, r.int(2) ? [a, t] : [t, a]);
      acc = r.int(2) ? b.add("sel", [c, f, a]) : b.add("sel", [c, a, f]);
    } else { // mixed: xor with shifted terms, masks and nots
      const t = term(W);
      const u = r.pick([t, b.add("shl", [t, b.literal(BigInt(r.int(W)), 7)]), b.add("not", [t]), b.add("and", [t, b.literal(BigInt(r.int(1 << 16)), W)])]);
      acc = b.add(r.int(5) ? "xor" : "or", [acc, u]);
    }
  }
  return { name: "f", fns: [b.finish(acc)] };
}

describe("reassociate keeps the meaning of random chains and lowers their depth", () => {
  const SEEDS = Array.from({ length: 120 }, (_, i) => i + 1);
  it.each(SEEDS)("chain #%i", (seed) => {
    const pkg = chainPackage(seed);
    verifyPackage(pkg);
    const fn = pkg.fns[0];
    const argArb = fc.tuple(...fn.params.map((p) => fc.bigInt({ min: 0n, max: (1n << BigInt(w(p))) - 1n }))).map((xs) => xs as Value[]);
    const inputs = [...fc.sample(argArb, { seed, numRuns: 80 }), fn.params.map((p) => (1n << BigInt(w(p))) - 1n), fn.params.map(() => 0n)];
    const base = compileInterpreter(pkg, fn);
    const p = clonePackage(pkg);
    PASSES.get("reassociate")!.run(p, "f");
    verifyPackage(p);
    const run = compileInterpreter(p, p.fns[0]);
    for (const a of inputs) if (!valueEq(run(a), base(a))) expect.fail(`seed ${seed}: args ${a.map(String).join(", ")}: got ${String(run(a))}, want ${String(base(a))}`);
    expect(depth(p.fns[0])).toBeLessThanOrEqual(depth(fn));
    if (process.env.SHOW_DEPTH) console.log(`seed ${seed} shape ${seed % 6}: ${depth(fn)} -> ${depth(p.fns[0])}`);
  });

  it("a min over 16 values: 15 compare-and-selects deep before, a tournament 4 deep after", () => {
    const b = new Builder("f");
    const ps = Array.from({ length: 16 }, (_, i) => b.param(`p${i}`, bits(32)));
    let acc: Node = ps[0];
    for (let i = 1; i < 16; i++) acc = b.add("sel", [b.add("ult", [ps[i], acc]), ps[i], acc]);
    const pkg: Package = { name: "f", fns: [b.finish(acc)] };
    expect(depth(pkg.fns[0])).toBe(30);
    const p = clonePackage(pkg);
    PASSES.get("reassociate")!.run(p, "f");
    verifyPackage(p);
    expect(depth(p.fns[0])).toBe(8);
    for (let k = 0; k < 50; k++) {
      const args = ps.map((_, i) => BigInt(((i + 3) * 2654435761 * (k + 1)) % 4294967296)) as Value[];
      expect(valueEq(compileInterpreter(p, p.fns[0])(args), compileInterpreter(pkg, pkg.fns[0])(args))).toBe(true);
    }
  });

  it("rebalances long chains: 16 same-width xors take 4 levels, an exact sum of 16 bytes 4 adds deep", () => {
    for (const op of ["xor", "add"] as const) {
      const b = new Builder("f");
      const ps = Array.from({ length: 16 }, (_, i) => b.param(`p${i}`, bits(8)));
      let acc: Node = op === "xor" ? ps[0] : b.add("zext", [ps[0]], { w: 8 });
      for (let i = 1; i < 16; i++) {
        if (op === "xor") acc = b.add("xor", [acc, ps[i]]);
        else { const nw = Math.min(8 + i, 12); acc = b.add("add", [b.add("zext", [acc], { w: nw }), b.add("zext", [ps[i]], { w: nw })]); }
      }
      const pkg: Package = { name: "f", fns: [b.finish(acc)] };
      expect(depth(pkg.fns[0])).toBe(15);
      const p = clonePackage(pkg);
      PASSES.get("reassociate")!.run(p, "f");
      verifyPackage(p);
      expect(depth(p.fns[0]), op).toBe(4);
      const args = ps.map((_, i) => BigInt((i * 37 + 255) % 256)) as Value[];
      expect(valueEq(compileInterpreter(p, p.fns[0])(args), compileInterpreter(pkg, pkg.fns[0])(args))).toBe(true);
    }
  });
});

describe("stage counts of the checksum examples at 250 MHz", () => {
  const stages = (top: string) => {
    const r = compileTop(join(EXAMPLES_DIR, "checksums.ts"), top);
    const hw = generateHardware(r.fn!, { clockMhz: 250, source: "checksums.ts", sourceHash: "" });
    expect(hw.diagnostics).toEqual([]);
    return hw.schedule!.stages;
  };
  it("CRC-32 over 12 bytes is one stage (21 before tree-height reduction)", () => {
    expect(stages("crc32Of12")).toBe(1);
  });
  it("a min over 16 prices and a signed max over 16 values: 2 stages (6 before), same results", () => {
    for (const [top, pick] of [["min16", (xs: bigint[]) => xs.reduce((a, b) => (b < a ? b : a))], ["max16", (xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a))]] as const) {
      const r = compileTop(join(ROOT, "test/fixtures/programs/min-max.ts"), top);
      const hw = generateHardware(r.fn!, { clockMhz: 250, source: "min-max.ts", sourceHash: "" });
      expect(hw.diagnostics).toEqual([]);
      expect(hw.schedule!.stages, top).toBe(2);
      const run = compileInterpreter(r.pkg!, r.fn!);
      const next = fc.sample(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 16, maxLength: 16 }), { seed: 7, numRuns: 200 });
      for (const xs of next) {
        const raw = xs.map(BigInt);
        const val = top === "min16" ? raw : raw.map((x) => BigInt.asIntN(32, x));
        const got = run([raw] as Value[]) as bigint;
        expect(top === "min16" ? got : BigInt.asIntN(32, got)).toBe(pick(val));
      }
    }
  });
  it("the signed max tournament equals the interpreter in Verilator (250 MHz, with and without stalls)", async () => {
    const d = compileHw("test/fixtures/programs/min-max.ts", "max16", 250);
    expect(lint(d.vpath)).toBe("");
    for (const p of [0, 0.3]) expect((await cosim(d, 3000, p, 41)).summary).toBe("3000 outputs match");
  }, 300_000);
  it("FNV-1a over 16 bytes keeps its serial xor-multiply chain (24 stages; 22 once demanded-bits computes each product in the 32 bits kept)", () => {
    expect(stages("fnv1aOf16")).toBe(22);
  });
});
