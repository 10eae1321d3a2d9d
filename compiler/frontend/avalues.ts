/**
 * Abstract values of the lowering: what a TypeScript expression denotes at compile time. An
 * integer is an IR node plus its exact range and backing (number or bigint); the node's width is
 * always the representation width of the range. Records and arrays are kept as structures of
 * abstract values (so field and constant-index access cost nothing) and become IR aggregates only
 * at function boundaries and dynamic indexes. This file holds the conversions between the two
 * worlds and the predicated merge (`sel`) used for if/else, early return and break.
 */
import type { Builder } from "../ir/builder.js";
import type { DType, Node } from "../ir/ir.js";
import { toSigned } from "../ir/values.js";
import { irTypeOf } from "./dtypes.js";
import { rangeOfType, reprOf, union, type Range } from "./ranges.js";

export type AV =
  | { readonly k: "int"; readonly node: Node; readonly r: Range; readonly big: boolean }
  | { readonly k: "bool"; readonly node: Node }
  | { readonly k: "record"; readonly name: string; readonly fields: ReadonlyMap<string, AV> }
  | { readonly k: "array"; readonly elems: readonly AV[] }
  /**
   * A memory: in a kernel step, the state field `id` (a path); in a module-level initial state,
   * `mem(n, fill[, table])` with id "" and its fill value (and the table of its first entries).
   */
  | { readonly k: "mem"; readonly id: string; readonly n: number; readonly fill?: AV; readonly table?: readonly AV[] };

export type IntAV = Extract<AV, { k: "int" }>;
export type BoolAV = Extract<AV, { k: "bool" }>;

export function nodeWidth(n: Node): number {
  return n.type.k === "bits" ? n.type.w : 0;
}

/** Re-express a node read with the given signedness as a w-bit vector (value kept mod 2^w). */
export function fitNode(b: Builder, n: Node, signed: boolean, w: number): Node {
  const nw = nodeWidth(n);
  if (nw === w) return n;
  if (nw > w) return b.add("slice", [n], { lo: 0, w });
  return b.add(signed ? "sext" : "zext", [n], { w });
}

export function intAV(b: Builder, node: Node, nodeSigned: boolean, r: Range, big: boolean): IntAV {
  const { w } = reprOf(r);
  return { k: "int", node: fitNode(b, node, nodeSigned, w), r, big };
}

export function constInt(b: Builder, v: bigint, big: boolean): IntAV {
  const { w } = reprOf({ lo: v, hi: v });
  return { k: "int", node: b.literal(v, w), r: { lo: v, hi: v }, big };
}

export function constBool(b: Builder, v: boolean): BoolAV {
  return { k: "bool", node: b.literal(v ? 1n : 0n, 1) };
}

export function isConstInt(av: AV): av is IntAV {
  return av.k === "int" && av.r.lo === av.r.hi;
}
export function boolConst(av: AV): boolean | undefined {
  return av.k === "bool" && av.node.op === "literal" ? av.node.attrs.value === 1n : undefined;
}

/** The node of an integer at width w (sign- or zero-extended per its range, or truncated). */
export function intAt(b: Builder, av: IntAV, w: number): Node {
  return fitNode(b, av.node, av.r.lo < 0n, w);
}

/** Merge under a condition: c ? t : f, element-wise for aggregates. */
export function merge(b: Builder, c: BoolAV, t: AV, f: AV): AV {
  const cv = boolConst(c);
  if (cv !== undefined) return cv ? t : f;
  if (t === f) return t;
  if (t.k === "int" && f.k === "int") {
    const r = union(t.r, f.r);
    const { w } = reprOf(r);
    return { k: "int", node: b.add("sel", [c.node, intAt(b, t, w), intAt(b, f, w)]), r, big: t.big };
  }
  if (t.k === "bool" && f.k === "bool") return { k: "bool", node: b.add("sel", [c.node, t.node, f.node]) };
  if (t.k === "record" && f.k === "record") {
    const fields = new Map<string, AV>();
    for (const [k, v] of t.fields) fields.set(k, merge(b, c, v, f.fields.get(k)!));
    return { k: "record", name: t.name, fields };
  }
  if (t.k === "array" && f.k === "array") return { k: "array", elems: t.elems.map((e, i) => merge(b, c, e, f.elems[i])) };
  // Two references to the same memory are the same memory (kernel.ts checks the state keeps its own).
  if (t.k === "mem" && f.k === "mem" && t.id === f.id && t.id !== "") return t;
  throw new Error(`internal: cannot merge ${t.k} with ${f.k}`);
}

/** An IR node holding av in the representation of dialect type d (av must fit d). */
export function materialize(b: Builder, av: AV, d: DType): Node {
  switch (d.k) {
    case "int": {
      if (av.k !== "int") throw new Error(`internal: expected an integer, got ${av.k}`);
      return intAt(b, av, d.w);
    }
    case "bool":
      if (av.k !== "bool") throw new Error(`internal: expected a boolean, got ${av.k}`);
      return av.node;
    case "array": {
      if (av.k !== "array" || av.elems.length !== d.n) throw new Error("internal: array shape mismatch");
      return b.add("array", av.elems.map((e) => materialize(b, e, d.elem)), {}, irTypeOf(d));
    }
    case "record": {
      if (av.k !== "record") throw new Error(`internal: expected a record, got ${av.k}`);
      return b.add("record", d.fields.filter((f) => f.type.k !== "mem").map((f) => materialize(b, av.fields.get(f.name)!, f.type)), {}, irTypeOf(d));
    }
    case "mem": throw new Error("internal: a memory (Mem) has no node");
  }
}

/** The abstract value of an IR node of dialect type d (a parameter, a call result). */
export function fromNode(b: Builder, n: Node, d: DType, path = ""): AV {
  switch (d.k) {
    case "int": return { k: "int", node: n, r: rangeOfType(d.w, d.signed), big: d.big };
    case "bool": return { k: "bool", node: n };
    case "array":
      return { k: "array", elems: Array.from({ length: d.n }, (_, i) => fromNode(b, b.add("index", [n, b.literal(BigInt(i), Math.max(1, Math.ceil(Math.log2(d.n))))]), d.elem)) };
    case "record": {
      const fields = new Map<string, AV>();
      for (const f of d.fields) {
        const p = path ? `${path}.${f.name}` : f.name;
        fields.set(f.name, f.type.k === "mem" ? { k: "mem", id: p, n: f.type.n } : fromNode(b, b.add("field", [n], { name: f.name }), f.type, p));
      }
      return { k: "record", name: d.name, fields };
    }
    case "mem": return { k: "mem", id: path, n: d.n };
  }
}

/** The dialect type that holds av exactly (for arrays built from literals, dynamic indexing). */
export function dtypeOfAV(av: AV): DType {
  switch (av.k) {
    case "int": { const r = reprOf(av.r); return { k: "int", w: r.w, signed: r.signed, big: av.big }; }
    case "bool": return { k: "bool" };
    // Every element must fit the element type, not just the first (a ROM of records {a: 1}, {a: 4}).
    case "array": return { k: "array", elem: av.elems.map(dtypeOfAV).reduce(joinDType), n: av.elems.length };
    case "record": return { k: "record", name: av.name, fields: [...av.fields].map(([name, v]) => ({ name, type: dtypeOfAV(v) })) };
    case "mem": return { k: "mem", n: av.n, elem: av.fill ? dtypeOfAV(av.fill) : { k: "bool" } };
  }
}

/** The least dialect type holding the values of both a and b (same shape). */
function joinDType(a: DType, b: DType): DType {
  if (a.k === "int" && b.k === "int") {
    const r = reprOf(union(rangeOfType(a.w, a.signed), rangeOfType(b.w, b.signed)));
    return { k: "int", w: r.w, signed: r.signed, big: a.big };
  }
  if (a.k === "array" && b.k === "array") return { k: "array", elem: joinDType(a.elem, b.elem), n: a.n };
  if (a.k === "record" && b.k === "record") return { ...a, fields: a.fields.map((f, i) => ({ name: f.name, type: joinDType(f.type, b.fields[i].type) })) };
  return a;
}

/** The constant value of an integer abstract value, if known. */
export function intConst(av: AV): bigint | undefined {
  if (av.k !== "int") return undefined;
  if (av.r.lo === av.r.hi) return av.r.lo;
  if (av.node.op === "literal") {
    const w = nodeWidth(av.node);
    const v = BigInt(av.node.attrs.value);
    return av.r.lo < 0n ? toSigned(v, w) : v;
  }
  return undefined;
}
