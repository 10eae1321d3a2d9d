/**
 * Conversions between JSON/JavaScript values and IR values, driven by a function's dialect
 * signature: arguments given as JSON (numbers up to 2^53, decimal or 0x strings for any width; a
 * JSON number beyond 2^53 is refused, as it has already lost digits; booleans, arrays, objects)
 * are checked against their type — a wrong type or an out-of-range value is a clear ArgumentError
 * — and results are rendered back (≤ 32-bit integers as numbers, wider ones as decimal strings,
 * records as objects). The same conversions feed native execution.
 */
import type { DType } from "../ir/ir.js";
import { toSigned, wrap, type Value } from "../ir/values.js";

export class ArgumentError extends Error {}

function typeName(d: DType): string {
  return d.k === "int" ? `${d.signed ? "i" : "u"}${d.w}` : d.k === "bool" ? "boolean" : d.k === "array" ? `an array of ${d.n}` : d.k === "mem" ? `Mem of ${d.n}` : d.name;
}

/** JSON argument → IR value (canonical bits). */
export function jsonToValue(v: unknown, d: DType, where: string): Value {
  switch (d.k) {
    case "int": {
      let x: bigint;
      if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v))
        throw new ArgumentError(`${where}: a JSON number beyond 2^53 has lost digits (this one reads as ${BigInt(v)}); give ${typeName(d)} values beyond 2^53 as a decimal or 0x string, e.g. "18446744073709551615"`);
      if (typeof v === "number" && Number.isSafeInteger(v)) x = BigInt(v);
      else if (typeof v === "bigint") x = v;
      else if (typeof v === "string" && /^-?(\d+|0x[0-9a-f]+)$/i.test(v.trim())) x = v.trim().startsWith("-") ? -BigInt(v.trim().slice(1)) : BigInt(v.trim());
      else throw new ArgumentError(`${where}: expected an integer (${typeName(d)}), got ${JSON.stringify(v)}`);
      const lo = d.signed ? -(1n << BigInt(d.w - 1)) : 0n;
      const hi = d.signed ? (1n << BigInt(d.w - 1)) - 1n : (1n << BigInt(d.w)) - 1n;
      if (x < lo || x > hi) throw new ArgumentError(`${where}: ${x} is out of range for ${typeName(d)} (${lo}..${hi})`);
      return wrap(x, d.w);
    }
    case "bool":
      if (typeof v !== "boolean") throw new ArgumentError(`${where}: expected a boolean, got ${JSON.stringify(v)}`);
      return v ? 1n : 0n;
    case "array":
      if (!Array.isArray(v) || v.length !== d.n) throw new ArgumentError(`${where}: expected an array of ${d.n} elements, got ${JSON.stringify(v)?.slice(0, 60)}`);
      return v.map((e, i) => jsonToValue(e, d.elem, `${where}[${i}]`));
    case "record": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ArgumentError(`${where}: expected an object (${d.name}), got ${JSON.stringify(v)?.slice(0, 60)}`);
      const o = v as Record<string, unknown>;
      const extra = Object.keys(o).filter((k) => !d.fields.some((f) => f.name === k));
      if (extra.length) throw new ArgumentError(`${where}: ${d.name} has no field '${extra[0]}'`);
      return d.fields.map((f) => {
        if (!(f.name in o)) throw new ArgumentError(`${where}: missing field '${f.name}' of ${d.name}`);
        return jsonToValue(o[f.name], f.type, `${where}.${f.name}`);
      });
    }
    case "mem": throw new ArgumentError(`${where}: a memory (Mem) cannot be given as a value`);
  }
}

/** IR value → the JavaScript value the runtime uses (number/bigint/boolean/array/object). */
export function valueToJs(v: Value, d: DType): unknown {
  switch (d.k) {
    case "int": {
      const x = d.signed ? toSigned(v as bigint, d.w) : (v as bigint);
      return d.big ? x : Number(x);
    }
    case "bool": return v === 1n;
    case "array": return (v as Value[]).map((e) => valueToJs(e, d.elem));
    case "record": return Object.fromEntries(d.fields.map((f, i) => [f.name, valueToJs((v as Value[])[i], f.type)]));
    case "mem": throw new Error("internal: a memory (Mem) has no value of its own");
  }
}

/** A JavaScript value computed natively → IR value, checking it has the declared shape and range. */
export function jsToValue(v: unknown, d: DType, where: string): Value {
  if (d.k === "int" && typeof v === "number" && d.big) throw new ArgumentError(`${where}: expected a bigint for ${typeName(d)}, got the number ${v}`);
  if (d.k === "int" && typeof v === "bigint" && !d.big) throw new ArgumentError(`${where}: expected a number for ${typeName(d)}, got ${v}n`);
  return jsonToValue(v, d, where);
}

/** JSON rendering of a JavaScript dialect value (bigints as decimal strings). */
export function jsToJson(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Object.is(v, -0) ? 0 : v;
  if (Array.isArray(v)) return v.map(jsToJson);
  // A runtime Mem (duck-typed: interp/ does not import the runtime): the entries that differ from reset.
  if (v && typeof v === "object" && typeof (v as { changed?: unknown }).changed === "function" && "fillValue" in v)
    return { changed: jsToJson((v as unknown as { changed(): unknown[] }).changed()) };
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsToJson(x)]));
  return v;
}

/** IR value → JSON for printing: ≤ 32-bit integers as numbers, wider as decimal strings. */
export function valueToJson(v: Value, d: DType): unknown {
  return jsToJson(valueToJs(v, d));
}
