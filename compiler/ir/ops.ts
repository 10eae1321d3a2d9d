/**
 * The op table: every IR operation is defined here once — its name, operand count, attributes,
 * result-type rule and flags. The printer, parser, verifier, interpreter (interp/eval.ts), delay
 * model and Verilog emitter all key off these names, and TypeScript's exhaustiveness checks make
 * a missing case in any of them a compile error. Adding an op is one row here plus its semantics.
 */
import { b1, bits, typeEq, typeToString, type Type } from "./types.js";

export type AttrValue = number | bigint | string;
export type Attrs = Readonly<Record<string, AttrValue>>;

interface OpDef {
  /** Number of operands, or "variadic" (at least `minArity`). */
  readonly arity: number | "variadic";
  readonly minArity?: number;
  /** Attribute names the op carries (all required). */
  readonly attrs: readonly string[];
  /** Result type from operand types and attrs; a string is a verifier error message. */
  readonly typeOf: (ops: readonly Type[], attrs: Attrs, declared: Type) => Type | string;
  readonly commutative?: boolean;
  /** Its value needs more than its operands (another function): never constant-folded. */
  readonly opaque?: boolean;
}

const isBits = (t: Type) => t.k === "bits";
const w = (t: Type) => (t.k === "bits" ? t.w : -1);

function sameBits(ops: readonly Type[]): Type | string {
  if (!ops.every(isBits)) return "operands must be bits";
  if (!ops.every((t) => w(t) === w(ops[0]))) return `operand widths differ: ${ops.map(typeToString).join(", ")}`;
  return ops[0];
}
function compare(ops: readonly Type[]): Type | string {
  const r = sameBits(ops);
  return typeof r === "string" ? r : b1;
}
function shift(ops: readonly Type[]): Type | string {
  return ops.every(isBits) ? ops[0] : "operands must be bits";
}
function extend(ops: readonly Type[], a: Attrs): Type | string {
  if (!isBits(ops[0])) return "operand must be bits";
  return Number(a.w) >= w(ops[0]) ? bits(Number(a.w)) : `cannot extend b${w(ops[0])} to b${a.w}`;
}
const declaredOnly = (_o: readonly Type[], _a: Attrs, d: Type) => d;

export const OPS = {
  literal: { arity: 0, attrs: ["value"], typeOf: declaredOnly },
  param: { arity: 0, attrs: ["index"], typeOf: declaredOnly },
  add: { arity: 2, attrs: [], typeOf: sameBits, commutative: true },
  sub: { arity: 2, attrs: [], typeOf: sameBits },
  mul: { arity: 2, attrs: [], typeOf: sameBits, commutative: true },
  neg: { arity: 1, attrs: [], typeOf: sameBits },
  udiv: { arity: 2, attrs: [], typeOf: sameBits },
  sdiv: { arity: 2, attrs: [], typeOf: sameBits },
  umod: { arity: 2, attrs: [], typeOf: sameBits },
  smod: { arity: 2, attrs: [], typeOf: sameBits },
  and: { arity: 2, attrs: [], typeOf: sameBits, commutative: true },
  or: { arity: 2, attrs: [], typeOf: sameBits, commutative: true },
  xor: { arity: 2, attrs: [], typeOf: sameBits, commutative: true },
  not: { arity: 1, attrs: [], typeOf: sameBits },
  shl: { arity: 2, attrs: [], typeOf: shift },
  shrl: { arity: 2, attrs: [], typeOf: shift },
  shra: { arity: 2, attrs: [], typeOf: shift },
  eq: { arity: 2, attrs: [], typeOf: compare, commutative: true },
  ne: { arity: 2, attrs: [], typeOf: compare, commutative: true },
  ult: { arity: 2, attrs: [], typeOf: compare },
  ule: { arity: 2, attrs: [], typeOf: compare },
  slt: { arity: 2, attrs: [], typeOf: compare },
  sle: { arity: 2, attrs: [], typeOf: compare },
  zext: { arity: 1, attrs: ["w"], typeOf: extend },
  sext: { arity: 1, attrs: ["w"], typeOf: extend },
  slice: {
    arity: 1, attrs: ["lo", "w"],
    typeOf: (o: readonly Type[], a: Attrs) =>
      isBits(o[0]) && Number(a.lo) >= 0 && Number(a.w) >= 1 && Number(a.lo) + Number(a.w) <= w(o[0])
        ? bits(Number(a.w)) : `slice [${a.lo} +: ${a.w}] out of ${typeToString(o[0])}`,
  },
  concat: {
    arity: "variadic", minArity: 1, attrs: [],
    typeOf: (o: readonly Type[]) => (o.every(isBits) ? bits(o.reduce((s, t) => s + w(t), 0)) : "operands must be bits"),
  },
  sel: {
    arity: 3, attrs: [],
    typeOf: (o: readonly Type[]) =>
      w(o[0]) !== 1 ? "selector must be b1" : typeEq(o[1], o[2]) ? o[1] : `arms differ: ${typeToString(o[1])} vs ${typeToString(o[2])}`,
  },
  record: {
    arity: "variadic", minArity: 1, attrs: [],
    typeOf: (o: readonly Type[], _a: Attrs, d: Type) =>
      d.k === "record" && d.fields.length === o.length && d.fields.every((f, i) => typeEq(f.type, o[i])) ? d : "record fields do not match its type",
  },
  field: {
    arity: 1, attrs: ["name"],
    typeOf: (o: readonly Type[], a: Attrs) => {
      const r = o[0];
      const f = r.k === "record" ? r.fields.find((x) => x.name === a.name) : undefined;
      return f ? f.type : `no field ${a.name} in ${typeToString(r)}`;
    },
  },
  setfield: {
    arity: 2, attrs: ["name"],
    typeOf: (o: readonly Type[], a: Attrs) => {
      const r = o[0];
      const f = r.k === "record" ? r.fields.find((x) => x.name === a.name) : undefined;
      return f && typeEq(f.type, o[1]) ? r : `cannot set field ${a.name} of ${typeToString(r)} to ${typeToString(o[1])}`;
    },
  },
  array: {
    arity: "variadic", minArity: 1, attrs: [],
    typeOf: (o: readonly Type[], _a: Attrs, d: Type) =>
      d.k === "array" && d.n === o.length && o.every((t) => typeEq(t, d.elem)) ? d : "array elements do not match its type",
  },
  index: {
    arity: 2, attrs: [],
    typeOf: (o: readonly Type[]) => (o[0].k === "array" && isBits(o[1]) ? o[0].elem : "index needs an array and a bits index"),
  },
  update: {
    arity: 3, attrs: [],
    typeOf: (o: readonly Type[]) =>
      o[0].k === "array" && isBits(o[1]) && typeEq(o[0].elem, o[2]) ? o[0] : "update needs an array, a bits index and an element",
  },
  invoke: { arity: "variadic", minArity: 0, attrs: ["fn"], typeOf: declaredOnly, opaque: true },
  /** Entry `addr` of kernel memory `mem` as it was before the step (interp/kernel.ts gives it the memory). */
  memread: {
    arity: 1, attrs: ["mem"], opaque: true,
    typeOf: (o: readonly Type[], _a: Attrs, d: Type) => (isBits(o[0]) ? d : "memread needs a bits address"),
  },
} satisfies Record<string, OpDef>;

export type OpName = keyof typeof OPS;
export const OP_NAMES = Object.keys(OPS) as OpName[];
export function opDef(op: OpName): OpDef {
  return OPS[op];
}
export function isOpName(s: string): s is OpName {
  return Object.prototype.hasOwnProperty.call(OPS, s);
}
