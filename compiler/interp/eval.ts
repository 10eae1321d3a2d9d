/**
 * The meaning of every IR op, written once. This is the semantic oracle of tsfpga: the
 * interpreter evaluates functions with it, constant folding calls it, and the Verilog backend is
 * tested against it. Bits are canonical unsigned bigints; the result of each op is wrapped to its
 * result width. Division by zero is defined (udiv → all ones, umod → dividend, sdiv/smod → 0 /
 * dividend) although the front end never emits it (divisors are non-zero constants).
 */
import type { Attrs, OpName } from "../ir/ops.js";
import type { Type } from "../ir/types.js";
import { mask, toSigned, wrap, type Value } from "../ir/values.js";

export type EvalFn = (args: Value[], attrs: Attrs, type: Type, operandTypes: Type[]) => Value;

const W = (t: Type) => (t.k === "bits" ? t.w : 0);
const B = (v: Value) => v as bigint;
const bin = (f: (a: bigint, b: bigint, w: number) => bigint): EvalFn =>
  (a, _at, t, ot) => wrap(f(B(a[0]), B(a[1]), W(ot[0])), W(t));
const cmp = (f: (a: bigint, b: bigint) => boolean, signed: boolean): EvalFn =>
  (a, _at, _t, ot) => {
    const w = W(ot[0]);
    const x = signed ? toSigned(B(a[0]), w) : B(a[0]);
    const y = signed ? toSigned(B(a[1]), w) : B(a[1]);
    return f(x, y) ? 1n : 0n;
  };
const amount = (v: bigint, w: number) => (v >= BigInt(w) ? w : Number(v));

function fieldIndex(t: Type, name: unknown): number {
  if (t.k !== "record") throw new Error("internal: field of non-record");
  return t.fields.findIndex((f) => f.name === name);
}
function clampIndex(i: bigint, n: number): number {
  return i >= BigInt(n) ? n - 1 : Number(i);
}

export const EVAL: Record<OpName, EvalFn> = {
  literal: (_a, at, t) => (t.k === "bits" ? wrap(BigInt(at.value), t.w) : (() => { throw new Error("internal: aggregate literal"); })()),
  param: () => { throw new Error("internal: param has no value of its own"); },
  add: bin((a, b) => a + b),
  sub: bin((a, b) => a - b),
  mul: bin((a, b) => a * b),
  neg: (a, _at, t) => wrap(-B(a[0]), W(t)),
  udiv: bin((a, b, w) => (b === 0n ? mask(w) : a / b)),
  umod: bin((a, b) => (b === 0n ? a : a % b)),
  sdiv: bin((a, b, w) => (b === 0n ? 0n : toSigned(a, w) / toSigned(b, w))),
  smod: bin((a, b, w) => (b === 0n ? a : toSigned(a, w) % toSigned(b, w))),
  and: bin((a, b) => a & b),
  or: bin((a, b) => a | b),
  xor: bin((a, b) => a ^ b),
  not: (a, _at, t) => wrap(~B(a[0]), W(t)),
  shl: (a, _at, t) => wrap(B(a[0]) << BigInt(amount(B(a[1]), W(t))), W(t)),
  shrl: (a, _at, t) => B(a[0]) >> BigInt(amount(B(a[1]), W(t))),
  shra: (a, _at, t) => wrap(toSigned(B(a[0]), W(t)) >> BigInt(amount(B(a[1]), W(t))), W(t)),
  eq: cmp((a, b) => a === b, false),
  ne: cmp((a, b) => a !== b, false),
  ult: cmp((a, b) => a < b, false),
  ule: cmp((a, b) => a <= b, false),
  slt: cmp((a, b) => a < b, true),
  sle: cmp((a, b) => a <= b, true),
  zext: (a) => a[0],
  sext: (a, _at, t, ot) => wrap(toSigned(B(a[0]), W(ot[0])), W(t)),
  slice: (a, at) => wrap(B(a[0]) >> BigInt(at.lo), Number(at.w)),
  concat: (a, _at, _t, ot) => {
    let acc = 0n;
    a.forEach((v, i) => { acc = (acc << BigInt(W(ot[i]))) | B(v); });
    return acc;
  },
  sel: (a) => (B(a[0]) !== 0n ? a[1] : a[2]),
  record: (a) => a.slice(),
  field: (a, at, _t, ot) => (a[0] as Value[])[fieldIndex(ot[0], at.name)],
  setfield: (a, at, _t, ot) => {
    const r = (a[0] as Value[]).slice();
    r[fieldIndex(ot[0], at.name)] = a[1];
    return r;
  },
  array: (a) => a.slice(),
  index: (a, _at, t, ot) => {
    const arr = a[0] as Value[];
    return arr[clampIndex(B(a[1]), ot[0].k === "array" ? ot[0].n : arr.length)];
  },
  update: (a) => {
    const arr = (a[0] as Value[]).slice();
    const i = B(a[1]);
    if (i < BigInt(arr.length)) arr[Number(i)] = a[2];
    return arr;
  },
  invoke: () => { throw new Error("internal: invoke is evaluated by the interpreter"); },
  memread: () => { throw new Error("internal: memread is evaluated by a kernel stepper, which holds the memory"); },
};

/** Sanity check that an evaluated value matches its type (used by tests and the verifier). */
export function valueHasType(v: Value, t: Type): boolean {
  if (t.k === "bits") return typeof v === "bigint" && v >= 0n && v <= mask(t.w);
  if (!Array.isArray(v)) return false;
  if (t.k === "array") return v.length === t.n && v.every((e) => valueHasType(e, t.elem));
  return v.length === t.fields.length && v.every((e, i) => valueHasType(e, t.fields[i].type));
}
