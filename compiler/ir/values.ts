/**
 * Run-time values of the IR, shared by the interpreter, constant folding and the engines that
 * compare results: bits are canonical unsigned bigints in [0, 2^w), arrays and records are plain
 * arrays of values (record fields in declaration order). Conversions between signed and unsigned
 * readings live here so there is exactly one definition of two's complement in the compiler.
 */
import { flatWidth, type Type } from "./types.js";

export type Value = bigint | Value[];

export function mask(w: number): bigint {
  return (1n << BigInt(w)) - 1n;
}
/** Wrap any integer to the canonical unsigned w-bit form. */
export function wrap(x: bigint, w: number): bigint {
  return BigInt.asUintN(w, x);
}
/** Read a canonical w-bit value as two's complement. */
export function toSigned(x: bigint, w: number): bigint {
  return BigInt.asIntN(w, x);
}

export function valueEq(a: Value, b: Value): boolean {
  if (typeof a === "bigint" || typeof b === "bigint") return a === b;
  return a.length === b.length && a.every((x, i) => valueEq(x, b[i]));
}

export function valueToString(v: Value): string {
  return typeof v === "bigint" ? `0x${v.toString(16)}` : `[${v.map(valueToString).join(", ")}]`;
}

/** Pack a value flat into one bigint (records and arrays: element 0 in the low bits). */
export function packValue(v: Value, t: Type): bigint {
  if (t.k === "bits") return v as bigint;
  const parts = v as Value[];
  let acc = 0n;
  let shift = 0n;
  const types = t.k === "array" ? parts.map(() => t.elem) : t.fields.map((f) => f.type);
  parts.forEach((p, i) => {
    acc |= packValue(p, types[i]) << shift;
    shift += BigInt(flatWidth(types[i]));
  });
  return acc;
}

export function unpackValue(x: bigint, t: Type): Value {
  if (t.k === "bits") return wrap(x, t.w);
  const types = t.k === "array" ? Array.from({ length: t.n }, () => t.elem) : t.fields.map((f) => f.type);
  const out: Value[] = [];
  let shift = 0n;
  for (const ty of types) {
    out.push(unpackValue(x >> shift, ty));
    shift += BigInt(flatWidth(ty));
  }
  return out;
}
