/**
 * Maps TypeScript types (from the checker) to dialect types: the branded integer types of the
 * runtime (recognised by their `__tsfpga_uint` / `__tsfpga_sint` brand), boolean, const enums
 * (width from the member range), records (object types with dialect-typed fields, in declaration
 * order) and fixed-length homogeneous tuples. Anything else has no hardware representation and
 * yields a reason string for a diagnostic. Also maps dialect types to IR types.
 */
import ts = require("typescript"); // a require, not an ESM import: see frontend/program.ts
import type { DType } from "../ir/ir.js";
import { arrayOf, b1, bits, recordOf, type Type } from "../ir/types.js";
import { reprOf } from "./ranges.js";

export type DTypeResult = DType | { error: "widthRequired" | "unsupportedType" | "heteroTuple"; what: string };

function brand(checker: ts.TypeChecker, t: ts.Type, prop: string): number | undefined {
  const p = t.getProperty(prop);
  if (!p) return undefined;
  const pt = checker.getTypeOfSymbol(p);
  return pt.isNumberLiteral() ? pt.value : undefined;
}

export function dtypeOf(checker: ts.TypeChecker, t: ts.Type, depth = 0): DTypeResult {
  const name = () => checker.typeToString(t);
  if (depth > 16) return { error: "unsupportedType", what: name() };
  const u = brand(checker, t, "__tsfpga_uint");
  if (u !== undefined) return { k: "int", w: u, signed: false, big: u > 32 };
  const s = brand(checker, t, "__tsfpga_sint");
  if (s !== undefined) return { k: "int", w: s, signed: true, big: s > 32 };
  if (t.flags & ts.TypeFlags.BooleanLike) return { k: "bool" };
  const memSize = brand(checker, t, "__tsfpga_mem");
  const memElem = t.getProperty("__tsfpga_elem");
  if (memSize !== undefined && memElem) {
    const e = dtypeOf(checker, checker.getTypeOfSymbol(memElem), depth + 1);
    if ("error" in e) return e;
    if (e.k === "mem") return { error: "unsupportedType", what: name() };
    return { k: "mem", elem: e, n: memSize };
  }
  if (t.flags & ts.TypeFlags.EnumLike) {
    const members = t.isUnion() ? t.types : [t];
    const values = members.map((m) => (m.isNumberLiteral() ? BigInt(m.value) : undefined));
    if (values.some((v) => v === undefined)) return { error: "unsupportedType", what: name() };
    const vs = values as bigint[];
    const lo = vs.reduce((a, b) => (a < b ? a : b)), hi = vs.reduce((a, b) => (a > b ? a : b));
    const r = reprOf({ lo: lo < 0n ? lo : 0n, hi });
    return { k: "int", w: r.w, signed: r.signed, big: false };
  }
  if (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) {
    return { error: "widthRequired", what: t.flags & ts.TypeFlags.BigIntLike ? "bigint" : "number" };
  }
  if (checker.isTupleType(t)) {
    const elems = checker.getTypeArguments(t as ts.TypeReference);
    if (elems.length === 0) return { error: "unsupportedType", what: name() };
    const ds = elems.map((e) => dtypeOf(checker, e, depth + 1));
    const bad = ds.find((d) => "error" in d);
    if (bad) return bad;
    const first = JSON.stringify(ds[0]);
    if (!ds.every((d) => JSON.stringify(d) === first)) return { error: "heteroTuple", what: name() };
    return { k: "array", elem: ds[0] as DType, n: elems.length };
  }
  if (t.flags & ts.TypeFlags.Object && !checker.isArrayType(t) && t.getCallSignatures().length === 0) {
    const props = checker.getPropertiesOfType(t);
    if (props.length === 0) return { error: "unsupportedType", what: name() };
    const fields: { name: string; type: DType }[] = [];
    for (const p of props) {
      const d = dtypeOf(checker, checker.getTypeOfSymbol(p), depth + 1);
      if ("error" in d) return d.error === "widthRequired" ? { error: d.error, what: `field '${p.name}' of ${name()}` } : d;
      fields.push({ name: p.name, type: d });
    }
    const sym = t.aliasSymbol ?? t.getSymbol();
    return { k: "record", name: sym && sym.name !== "__type" && sym.name !== "__object" ? sym.name : "record", fields };
  }
  return { error: "unsupportedType", what: name() };
}

export function irTypeOf(d: DType): Type {
  switch (d.k) {
    case "int": return bits(d.w);
    case "bool": return b1;
    case "array": return arrayOf(irTypeOf(d.elem), d.n);
    // A memory field has no bits in the record: it lives in block RAM (KernelInfo.mems).
    case "record": return recordOf(d.fields.filter((f) => f.type.k !== "mem").map((f) => ({ name: f.name, type: irTypeOf(f.type) })));
    case "mem": throw new Error("internal: a memory (Mem) has no IR type");
  }
}

export function dtypeToString(d: DType): string {
  switch (d.k) {
    case "int": return `${d.signed ? "i" : "u"}${d.w}`;
    case "bool": return "boolean";
    case "array": return `Vec<${dtypeToString(d.elem)}, ${d.n}>`;
    case "record": return d.name;
    case "mem": return `Mem<${dtypeToString(d.elem)}, ${d.n}>`;
  }
}
