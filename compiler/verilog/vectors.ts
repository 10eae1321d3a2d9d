/**
 * Test vectors at the stream boundary: packing a call's arguments into s_axis_tdata and a
 * result into m_axis_tdata (flat, first parameter in the low bits, as packValue), and seeded
 * random arguments for a function (every bit pattern of a parameter is a valid dialect value).
 */
import type { Fn } from "../ir/ir.js";
import { flatWidth, recordOf, type Type } from "../ir/types.js";
import { packValue, unpackValue, type Value } from "../ir/values.js";

export function paramsType(fn: Fn): Type {
  return recordOf(fn.params.map((p, i) => ({ name: `p${i}`, type: p.type })));
}

export function packArgs(fn: Fn, args: Value[]): bigint {
  return fn.params.length ? packValue(args, paramsType(fn)) : 0n;
}

export function packResult(fn: Fn, v: Value): bigint {
  return packValue(v, fn.ret.type);
}

export function unpackResult(fn: Fn, x: bigint): Value {
  return unpackValue(x, fn.ret.type);
}

/** Seeded xorshift64* generator of 64-bit words. */
export function rng(seed: number): () => bigint {
  let s = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 1n);
  return () => {
    s ^= s >> 12n;
    s = BigInt.asUintN(64, s ^ (s << 25n));
    s ^= s >> 27n;
    return BigInt.asUintN(64, s * 0x2545f4914f6cdd1dn);
  };
}

/** Random arguments; a third of the draws bias each word towards edge values (0, all ones, top bit). */
export function randomArgs(fn: Fn, next: () => bigint): Value[] {
  const w = fn.params.reduce((s, p) => s + flatWidth(p.type), 0);
  if (w === 0) return [];
  let x = 0n;
  for (let b = 0; b < w; b += 64) {
    const r = next();
    const mode = Number(r & 7n);
    const word = mode === 0 ? 0n : mode === 1 ? (1n << 64n) - 1n : mode === 2 ? (r & 1n ? 1n << 63n : (1n << 63n) - 1n) : next();
    x |= word << BigInt(b);
  }
  x = BigInt.asUintN(w, x);
  return unpackValue(x, paramsType(fn)) as Value[];
}
