/**
 * The IR's data structures: a Package of Functions, each a list of SSA Nodes in topological
 * order ending in a return node. A Node names its op (from ops.ts), operands, attributes, result
 * type, an optional name hint taken from the TypeScript source (used for readable Verilog) and
 * the source location it came from. Functions also carry their dialect-level signature so engines
 * can convert JSON arguments and results without looking at TypeScript again.
 */
import type { Attrs, OpName } from "./ops.js";
import type { Type } from "./types.js";

export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface Node {
  id: number;
  op: OpName;
  type: Type;
  operands: Node[];
  attrs: Attrs;
  name?: string;
  loc?: Loc;
}

/** Dialect-level type of a parameter or result: how a bit pattern reads as a JS value. */
export type DType =
  | { readonly k: "int"; readonly w: number; readonly signed: boolean; readonly big: boolean }
  | { readonly k: "bool" }
  | { readonly k: "array"; readonly elem: DType; readonly n: number }
  | { readonly k: "record"; readonly name: string; readonly fields: readonly { readonly name: string; readonly type: DType }[] }
  /** A memory (`Mem<T, N>`, a kernel state field only): no bits of its own in the state register. */
  | { readonly k: "mem"; readonly elem: DType; readonly n: number };

export interface Fn {
  name: string;
  params: Node[];
  nodes: Node[];
  ret: Node;
  /** Dialect types of params and result, when lowered from TypeScript. */
  sig?: { params: { name: string; type: DType }[]; ret: DType };
  loc?: Loc;
}

/** A streaming kernel: `step` applied to every accepted input beat, state reset to `init`. */
export interface KernelInfo {
  name: string;
  /** The IR function (state, input[, cfg]) -> {state, out, valid}. */
  step: string;
  init: import("./values.js").Value;
  state: DType;
  input: DType;
  cfg?: DType;
  out: DType;
  /** The memories of the state (`Mem<T, N>` fields, which `state` leaves out), in field order. */
  mems: MemInfo[];
  /** Top-level state fields made readable in hardware (an output port each: kernel(…, { readable })). */
  readable?: string[];
  /** Stages between the loop stage and the record logic that reads the state (kernel(…, { outputStages })). */
  outputStages?: number;
}

/**
 * One memory of a kernel's state. The step reads it with `memread` nodes (attr `mem` = name) and
 * writes it through the field `mem:<name>` = {en, addr, data} that its result record carries
 * after `state`, `out` and `valid`.
 */
export interface MemInfo {
  /** The state field's path ("table", or "book.orders" inside a nested record). */
  name: string;
  elem: DType;
  n: number;
  /** Address width: bits of n − 1 (at least 1). */
  addrWidth: number;
  /** The value of every entry at reset… */
  fill: import("./values.js").Value;
  /** …except the first ones, which start as this table's entries (`mem(n, fill, TABLE)`). */
  table?: import("./values.js").Value[];
}

/** The result field through which a kernel step writes memory `name`. */
export const memWriteField = (name: string) => `mem:${name}`;

export interface Package {
  name: string;
  fns: Fn[];
  kernel?: KernelInfo;
}

export function findFn(pkg: Package, name: string): Fn | undefined {
  return pkg.fns.find((f) => f.name === name);
}

/** Users of every node in a function (node id → users, in order). */
export function usersOf(fn: Fn): Map<number, Node[]> {
  const m = new Map<number, Node[]>();
  for (const n of fn.nodes) for (const o of n.operands) {
    const l = m.get(o.id);
    if (l) l.push(n); else m.set(o.id, [n]);
  }
  return m;
}

/** A node's printable name: its hint or op, then its id (`price.12`, `add.7`). */
export function nodeRef(n: Node): string {
  return `${n.name ?? n.op}.${n.id}`;
}

/** Replace every use of `from` by `to` in fn (including the return). */
export function replaceUses(fn: Fn, from: Node, to: Node): void {
  for (const n of fn.nodes) n.operands = n.operands.map((o) => (o === from ? to : o));
  if (fn.ret === from) fn.ret = to;
}

export function nextId(fns: Fn[]): number {
  let max = 0;
  for (const f of fns) for (const n of f.nodes) max = Math.max(max, n.id);
  return max + 1;
}
