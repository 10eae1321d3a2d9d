/**
 * Deterministic sample arguments for a function signature (used by the demo and the benchmark):
 * a small seeded generator that covers each dialect type's range, edges included.
 */
import type { DType } from "../compiler/ir/ir.js";
import type { Value } from "../compiler/ir/values.js";

export function rng(seed: number): () => bigint {
  let s = BigInt(seed) | 1n;
  return () => {
    s ^= (s << 13n) & 0xffffffffffffffffn; s ^= s >> 7n; s ^= (s << 17n) & 0xffffffffffffffffn;
    return s & 0xffffffffffffffffn;
  };
}

export function randomValue(d: DType, next: () => bigint): Value {
  switch (d.k) {
    case "int": {
      const pick = next() % 8n;
      const m = (1n << BigInt(d.w)) - 1n;
      if (pick === 0n) return 0n;
      if (pick === 1n) return m;
      if (pick === 2n && d.signed) return 1n << BigInt(d.w - 1);
      return (next() | (next() << 64n)) & m;
    }
    case "bool": return next() & 1n;
    case "array": return Array.from({ length: d.n }, () => randomValue(d.elem, next));
    case "record": return d.fields.map((f) => randomValue(f.type, next));
    case "mem": throw new Error("internal: a memory (Mem) has no value of its own");
  }
}

export function sampleArgs(types: DType[], seed: number): Value[] {
  const next = rng(seed);
  return types.map((t) => randomValue(t, next));
}
