/**
 * Verilog expressions for IR ops: one function per op (keyed by the op table, so a new op without
 * a translation is a compile error), each bit-exact with interp/eval.ts. Operands arrive as
 * references that know how to print themselves whole or as a constant part-select (literals are
 * folded into sized constants, so no select is ever applied to an expression). Division guards
 * reproduce the interpreter's defined results for a zero divisor.
 */
import type { Node } from "../ir/ir.js";
import type { OpName } from "../ir/ops.js";
import { flatWidth } from "../ir/types.js";
import { mask } from "../ir/values.js";

/** An operand as seen from the stage that reads it. */
export interface Ref {
  width: number;
  /** The literal's value, when the operand is a literal. */
  value?: bigint;
  /** Bits [lo, lo+w) as Verilog text. */
  part(lo: number, w: number): string;
  whole(): string;
}

/** The prefix of every signal of a kernel memory (the state field path, dots as underscores). */
export const memSignal = (name: string): string => `mem_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;

export const constant = (w: number, v: bigint): string => `${w}'h${BigInt.asUintN(w, v).toString(16)}`;

const isPow2 = (v: bigint | undefined): v is bigint => v !== undefined && v > 0n && (v & (v - 1n)) === 0n;
const log2 = (v: bigint) => v.toString(2).length - 1;
const W = (n: Node) => flatWidth(n.type);

type Gen = (n: Node, a: Ref[]) => string;

const bin = (op: string): Gen => (_n, [a, b]) => `${a.whole()} ${op} ${b.whole()}`;
const sbin = (op: string): Gen => (_n, [a, b]) => `$signed(${a.whole()}) ${op} $signed(${b.whole()})`;

function fieldLo(n: Node): [number, number] {
  const t = n.operands[0].type;
  let lo = 0;
  if (t.k === "record") for (const f of t.fields) {
    if (f.name === n.attrs.name) return [lo, flatWidth(f.type)];
    lo += flatWidth(f.type);
  }
  throw new Error(`internal: no field ${n.attrs.name}`);
}

/** `{hi part, middle, lo part}` replacing bits [lo, lo+w) of `a` by `mid`. */
function splice(a: Ref, lo: number, w: number, mid: string): string {
  const parts: string[] = [];
  if (lo + w < a.width) parts.push(a.part(lo + w, a.width - lo - w));
  parts.push(mid);
  if (lo > 0) parts.push(a.part(0, lo));
  return parts.length === 1 ? parts[0] : `{${parts.join(", ")}}`;
}

function elemGeom(n: Node): { n: number; ew: number } {
  const t = n.operands[0].type;
  if (t.k !== "array") throw new Error("internal: index of non-array");
  return { n: t.n, ew: flatWidth(t.elem) };
}

/** Number of array elements an index of `wi` bits can address. */
const reachable = (count: number, wi: number) => (wi >= 31 ? count : Math.min(count, 2 ** wi));

/**
 * A variable index as a balanced tree of 2:1 muxes on the index bits, most significant first, so
 * an n-way select is ceil(log2 n) mux levels (the delay model's muxLevels), never an n-deep chain.
 * An index at or above n reads element n − 1, as in the interpreter: leaves past the end are that
 * element (equal subtrees collapse), and index bits above the tree select it when any is set.
 */
function muxTree(arr: Ref, i: Ref, g: { n: number; ew: number }): string {
  const elem = (k: number) => arr.part(Math.min(k, g.n - 1) * g.ew, g.ew);
  if (g.n === 1) return elem(0);
  const bits = Math.min(i.width, Math.ceil(Math.log2(g.n)));
  const bit = (b: number) => (i.width === 1 ? i.whole() : i.part(b, 1));
  const pad = (d: number) => "\n" + "  ".repeat(4 + d);
  const tree = (b: number, base: number, d: number): string => {
    if (b < 0 || base >= g.n - 1) return elem(base);
    const lo = tree(b - 1, base, d + 1);
    const hi = tree(b - 1, base + 2 ** b, d + 1);
    if (lo === hi) return lo;
    const wrap = (x: string) => (x.includes("?") ? `(${x})` : x);
    return b === 0 ? `${bit(b)} ? ${hi} : ${lo}` : `${bit(b)} ?${pad(d)}${wrap(hi)} :${pad(d)}${wrap(lo)}`;
  };
  const t = tree(bits - 1, 0, 0);
  if (bits >= i.width) return t;
  const above = i.part(bits, i.width - bits);
  return `(${above} != ${constant(i.width - bits, 0n)}) ? ${elem(g.n - 1)} :\n        ${t.includes("?") ? `(${t})` : t}`;
}

function signedDiv(n: Node, [a, b]: Ref[]): string {
  const w = W(n);
  const v = b.value;
  if (v !== undefined && v !== 0n) {
    const sv = BigInt.asIntN(w, v);
    if (sv > 0n && isPow2(sv) && sv > 1n) {
      const bias = `(${a.part(w - 1, 1)} ? ${constant(w, sv - 1n)} : ${constant(w, 0n)})`;
      return `$unsigned($signed(${a.whole()} + ${bias}) >>> ${log2(sv)})`;
    }
    return `$unsigned($signed(${a.whole()}) / $signed(${b.whole()}))`;
  }
  const zero = constant(w, 0n);
  const safe = `(${b.whole()} == ${zero} ? ${constant(w, 1n)} : ${b.whole()})`;
  return `(${b.whole()} == ${zero}) ? ${zero} : $unsigned($signed(${a.whole()}) / $signed(${safe}))`;
}

function signedMod(n: Node, [a, b]: Ref[]): string {
  const w = W(n);
  const v = b.value;
  if (v !== undefined && v !== 0n) {
    const sv = BigInt.asIntN(w, v);
    if (sv > 0n && isPow2(sv)) {
      if (sv === 1n) return constant(w, 0n);
      const m = constant(w, sv - 1n);
      const low = `(${a.whole()} & ${m})`;
      return `(${a.part(w - 1, 1)} && (${low} != ${constant(w, 0n)})) ? (${low} | ${constant(w, ~(sv - 1n))}) : ${low}`;
    }
    return `$unsigned($signed(${a.whole()}) % $signed(${b.whole()}))`;
  }
  const zero = constant(w, 0n);
  const safe = `(${b.whole()} == ${zero} ? ${constant(w, 1n)} : ${b.whole()})`;
  return `(${b.whole()} == ${zero}) ? ${a.whole()} : $unsigned($signed(${a.whole()}) % $signed(${safe}))`;
}

export const EXPR: Record<OpName, Gen> = {
  literal: (n) => constant(W(n), BigInt(n.attrs.value)),
  param: () => { throw new Error("internal: params are printed by the module printer"); },
  add: bin("+"),
  sub: bin("-"),
  mul: bin("*"),
  neg: (_n, [a]) => `-${a.whole()}`,
  udiv: (n, [a, b]) => {
    if (isPow2(b.value)) return b.value === 1n ? a.whole() : `${a.whole()} >> ${log2(b.value)}`;
    if (b.value !== undefined && b.value !== 0n) return `${a.whole()} / ${b.whole()}`;
    return `(${b.whole()} == ${constant(W(n), 0n)}) ? ${constant(W(n), mask(W(n)))} : ${a.whole()} / ${b.whole()}`;
  },
  umod: (n, [a, b]) => {
    if (isPow2(b.value)) return `${a.whole()} & ${constant(W(n), b.value - 1n)}`;
    if (b.value !== undefined && b.value !== 0n) return `${a.whole()} % ${b.whole()}`;
    return `(${b.whole()} == ${constant(W(n), 0n)}) ? ${a.whole()} : ${a.whole()} % ${b.whole()}`;
  },
  sdiv: signedDiv,
  smod: signedMod,
  and: bin("&"),
  or: bin("|"),
  xor: bin("^"),
  not: (_n, [a]) => `~${a.whole()}`,
  shl: bin("<<"),
  shrl: bin(">>"),
  shra: (_n, [a, b]) => `$unsigned($signed(${a.whole()}) >>> ${b.whole()})`,
  eq: bin("=="),
  ne: bin("!="),
  ult: bin("<"),
  ule: bin("<="),
  slt: sbin("<"),
  sle: sbin("<="),
  zext: (n, [a]) => (W(n) === a.width ? a.whole() : `{${constant(W(n) - a.width, 0n)}, ${a.whole()}}`),
  sext: (n, [a]) => (W(n) === a.width ? a.whole() : `{{${W(n) - a.width}{${a.part(a.width - 1, 1)}}}, ${a.whole()}}`),
  slice: (n, [a]) => a.part(Number(n.attrs.lo), Number(n.attrs.w)),
  concat: (_n, a) => (a.length === 1 ? a[0].whole() : `{${a.map((x) => x.whole()).join(", ")}}`),
  sel: (_n, [c, a, b]) => `${c.whole()} ? ${a.whole()} : ${b.whole()}`,
  record: (_n, a) => (a.length === 1 ? a[0].whole() : `{${[...a].reverse().map((x) => x.whole()).join(", ")}}`),
  array: (_n, a) => (a.length === 1 ? a[0].whole() : `{${[...a].reverse().map((x) => x.whole()).join(", ")}}`),
  field: (n, [r]) => {
    const [lo, w] = fieldLo(n);
    return r.part(lo, w);
  },
  setfield: (n, [r, v]) => {
    const [lo, w] = fieldLo(n);
    return splice(r, lo, w, v.whole());
  },
  index: (n, [arr, i]) => {
    const g = elemGeom(n);
    if (i.value !== undefined) {
      const k = i.value >= BigInt(g.n) ? g.n - 1 : Number(i.value);
      return arr.part(k * g.ew, g.ew);
    }
    return muxTree(arr, i, g);
  },
  update: (n, [arr, i, v]) => {
    const g = elemGeom(n);
    if (i.value !== undefined) return i.value >= BigInt(g.n) ? arr.whole() : splice(arr, Number(i.value) * g.ew, g.ew, v.whole());
    const m = reachable(g.n, i.width);
    const elems: string[] = [];
    for (let k = g.n - 1; k >= 0; k--)
      elems.push(k < m ? `(${i.whole()} == ${constant(i.width, BigInt(k))}) ? ${v.whole()} : ${arr.part(k * g.ew, g.ew)}` : arr.part(k * g.ew, g.ew));
    return elems.length === 1 ? elems[0] : `{${elems.map((e) => `(${e})`).join(",\n        ")}}`;
  },
  invoke: () => { throw new Error("internal: invoke reached the Verilog backend (functions are inlined first)"); },
  // The RAM's registered output, or the write made at the edge the read was issued (forwarding).
  memread: (n, [a]) => {
    const m = memSignal(String(n.attrs.mem));
    return `(${m}_fwd_valid && ${m}_fwd_addr == ${a.whole()}) ? ${m}_fwd_data : ${m}_q`;
  },
};
