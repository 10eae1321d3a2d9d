/**
 * fast-check arbitraries driven by a function's dialect signature (DType): integers over their
 * full range with the edges (min, max, 0, ±1, powers of two and their neighbours) drawn often,
 * booleans, fixed-length arrays and records. Values are produced as canonical IR values (unsigned
 * bigints, nested arrays), which convert.ts turns into the JavaScript values native code takes.
 */
import fc from "fast-check";
import type { DType } from "../../compiler/ir/ir.js";
import type { Value } from "../../compiler/ir/values.js";

/** Interesting values of an integer type: its bounds, 0, ±1 and 2^k ± 1 inside the range. */
export function edgeValues(w: number, signed: boolean): bigint[] {
  const lo = signed ? -(1n << BigInt(w - 1)) : 0n;
  const hi = signed ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
  const out = new Set<bigint>([lo, hi, lo + 1n, hi - 1n, 0n, 1n, -1n, 2n]);
  for (let k = 1; k < w; k++) {
    const p = 1n << BigInt(k);
    for (const v of [p - 1n, p, p + 1n, -p, -p + 1n, -p - 1n]) out.add(v);
  }
  return [...out].filter((v) => v >= lo && v <= hi).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A signed or unsigned integer of width w, as the mathematical value. */
export function intArb(w: number, signed: boolean): fc.Arbitrary<bigint> {
  const lo = signed ? -(1n << BigInt(w - 1)) : 0n;
  const hi = signed ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
  return fc.oneof(
    { weight: 3, arbitrary: fc.bigInt({ min: lo, max: hi }) },
    { weight: 1, arbitrary: fc.constantFrom(...edgeValues(w, signed)) },
  );
}

/** A canonical IR value of dialect type d. */
export function valueArb(d: DType): fc.Arbitrary<Value> {
  switch (d.k) {
    case "int": return intArb(d.w, d.signed).map((x) => BigInt.asUintN(d.w, x));
    case "bool": return fc.boolean().map((b) => (b ? 1n : 0n));
    case "array": return fc.array(valueArb(d.elem), { minLength: d.n, maxLength: d.n });
    case "record": return fc.tuple(...d.fields.map((f) => valueArb(f.type))).map((xs) => xs as Value[]);
  }
}

/** Arguments for a whole signature. */
export function argsArb(params: readonly { type: DType }[]): fc.Arbitrary<Value[]> {
  return fc.tuple(...params.map((p) => valueArb(p.type))).map((xs) => xs as Value[]);
}
