// Legalisation on a fabric without DSP blocks (the ice40-hx8k model, hasDsp false): a multiply
// whose operands both have more than 4 significant bits becomes 4-bit slices of the narrower
// operand, each a short LUT multiplier, summed by an add tree; divisions by constants become
// reciprocal multiplies split the same way. The legalised IR equals the interpreter on the
// original function for random and edge-case arguments, and the generic model still splits into
// 17-bit DSP tiles.
import { describe, expect, it } from "vitest";
import { compileInterpreter } from "../compiler/interp/interp.js";
import { Builder } from "../compiler/ir/builder.js";
import type { Fn } from "../compiler/ir/ir.js";
import { bits } from "../compiler/ir/types.js";
import { valueEq } from "../compiler/ir/values.js";
import { LUT_MUL_ROWS, legaliseFn } from "../compiler/schedule/legalise.js";
import { significantBits, withDelayModel } from "../compiler/schedule/delay-model.js";
import { randomArgs, rng } from "../compiler/verilog/vectors.js";
import { loadDelayModel } from "../sim/pnr/models.js";

const ICE40 = loadDelayModel("ice40-hx8k");
const narrow = (fn: Fn) => fn.nodes.filter((n) => n.op === "mul").every((n) => Math.min(...n.operands.map(significantBits)) <= LUT_MUL_ROWS);

function equalOnVectors(fn: Fn, leg: Fn, seed: number, edges: bigint[][]) {
  const ref = compileInterpreter({ name: "t", fns: [fn] }, fn);
  const got = compileInterpreter({ name: "t", fns: [leg] }, leg);
  const next = rng(seed);
  for (let i = 0; i < 2000; i++) {
    const args = i < edges.length ? edges[i] : randomArgs(fn, next);
    expect(valueEq(got(args), ref(args)), `${fn.name}(${args.join(", ")})`).toBe(true);
  }
}

describe("legalisation without DSPs (ice40-hx8k)", () => {
  it("the iCE40 HX8K model has no DSPs", () => expect(ICE40.hasDsp).toBe(false));

  it.each([[16, 8, 8], [40, 32, 8], [32, 16, 16], [64, 32, 32], [48, 40, 24], [35, 35, 35], [20, 5, 15]])("mul b%i of %i x %i bits: only ≤ 4-bit LUT multipliers, equal to the interpreter", (w, wa, wb) => {
    const b = new Builder("m");
    const x = b.param("x", bits(wa));
    const y = b.param("y", bits(wb));
    const ext = (n: typeof x, from: number) => (from === w ? n : b.add("zext", [n], { w }));
    const fn = b.finish(b.add("mul", [ext(x, wa), ext(y, wb)]));
    const leg = withDelayModel(ICE40, () => legaliseFn(fn));
    expect(narrow(leg)).toBe(true);
    const slices = Math.ceil(Math.min(wa, wb) / LUT_MUL_ROWS);
    expect(leg.nodes.filter((n) => n.op === "mul").length).toBeLessThanOrEqual(slices);
    expect(leg.nodes.filter((n) => n.op === "add").length).toBeGreaterThan(0);
    const top = (k: number) => (1n << BigInt(k)) - 1n;
    equalOnVectors(fn, leg, w * 1000 + wa, [[0n, 0n], [top(wa), top(wb)], [top(wa), 1n], [1n, top(wb)], [1n << BigInt(wa - 1), 1n << BigInt(wb - 1)]]);
    // The generic model (DSP tiles) is unchanged: 17-bit tiles, so a multiply of ≤ 17 x 17 bits stays whole.
    const generic = legaliseFn(fn);
    const muls = generic.nodes.filter((n) => n.op === "mul");
    expect(muls.every((n) => Math.max(...n.operands.map(significantBits)) <= 17)).toBe(true);
    if (Math.max(wa, wb) <= 17) expect(muls.length).toBe(1);
  });

  it.each([["udiv", 10n], ["umod", 1000n], ["sdiv", -7n], ["smod", 3n]] as const)("%s by %i (a reciprocal multiply) is split into LUT multipliers and equals the interpreter", (op, d) => {
    const W = 32;
    const b = new Builder("f");
    const a = b.param("a", bits(W));
    const fn = b.finish(b.add(op, [a, b.literal(BigInt.asUintN(W, d), W)]));
    fn.sig = { params: [{ name: "a", type: { k: "int", w: W, signed: op.startsWith("s"), big: false } }], ret: { k: "int", w: W, signed: op.startsWith("s"), big: false } };
    const leg = withDelayModel(ICE40, () => legaliseFn(fn));
    expect(leg.nodes.some((n) => n.op === op)).toBe(false);
    expect(narrow(leg)).toBe(true);
    equalOnVectors(fn, leg, Number(BigInt.asUintN(16, d)), [[0n], [1n], [(1n << 32n) - 1n], [1n << 31n], [(1n << 31n) - 1n]]);
  });
});
