/**
 * Bit-level facts about a function, for the demanded-bits pass. Forward, `knownBits`: which bits
 * of each bits-typed node are constant on every input (from literals, masks, extensions, constant
 * shifts, sums and products whose bounds leave high bits zero, remainders, selects). Backward,
 * `demandedBits`: which bits of each node any reader can observe, structurally (an add's low k
 * result bits read the low k bits of its operands, a slice reads its window, a compare reads every
 * bit). Demand never relies on known bits, so a rewrite that keeps a node's value on its demanded
 * bits and reads only its operands' demanded bits keeps the function's value (see
 * demanded-bits.ts). Aggregates count as fully demanded, except an array node read only by
 * `index`, whose elements are demanded as the reads' union.
 */
import type { Fn, Node } from "../ir/ir.js";
import { mask } from "../ir/values.js";

/** Bits known to be 0 and bits known to be 1 (disjoint masks). */
export interface Known { zero: bigint; one: bigint }

const width = (n: Node) => (n.type.k === "bits" ? n.type.w : 0);
const lit = (n: Node): bigint | undefined => (n.op === "literal" ? BigInt(n.attrs.value) : undefined);
export const bitLen = (x: bigint) => (x <= 0n ? 0 : x.toString(2).length);
/** Number of trailing zero bits of x (w when x is 0). */
const tz = (x: bigint, w: number) => { let i = 0; while (i < w && !((x >> BigInt(i)) & 1n)) i++; return i; };

/** The largest value a node can have given its known bits. */
export const upperBound = (k: Known, w: number) => mask(w) & ~k.zero;
/** Bits at and above `from` in a w-bit mask. */
const above = (from: number, w: number) => (from >= w ? 0n : mask(w) & ~mask(from));

export function knownBits(fn: Fn): Map<Node, Known> {
  const kb = new Map<Node, Known>();
  const NONE: Known = { zero: 0n, one: 0n };
  const get = (n: Node): Known => kb.get(n) ?? NONE;
  for (const n of fn.nodes) {
    if (n.type.k !== "bits") continue;
    const w = width(n), M = mask(w);
    const [a, b, c] = n.operands;
    let k: Known = NONE;
    switch (n.op) {
      case "literal": { const v = BigInt(n.attrs.value); k = { zero: M & ~v, one: v }; break; }
      case "and": { const x = get(a), y = get(b); k = { zero: x.zero | y.zero, one: x.one & y.one }; break; }
      case "or": { const x = get(a), y = get(b); k = { zero: x.zero & y.zero, one: x.one | y.one }; break; }
      case "xor": { const x = get(a), y = get(b); k = { zero: (x.zero & y.zero) | (x.one & y.one), one: (x.zero & y.one) | (x.one & y.zero) }; break; }
      case "not": { const x = get(a); k = { zero: x.one, one: x.zero }; break; }
      case "zext": { const x = get(a); k = { zero: x.zero | above(width(a), w), one: x.one }; break; }
      case "sext": {
        const x = get(a), s = BigInt(width(a) - 1), hi = above(width(a), w);
        k = { zero: x.zero | ((x.zero >> s) & 1n ? hi : 0n), one: x.one | ((x.one >> s) & 1n ? hi : 0n) };
        break;
      }
      case "slice": { const x = get(a), lo = BigInt(n.attrs.lo); k = { zero: (x.zero >> lo) & M, one: (x.one >> lo) & M }; break; }
      case "concat": {
        let z = 0n, o = 0n;
        for (const p of n.operands) { const x = get(p); z = (z << BigInt(width(p))) | x.zero; o = (o << BigInt(width(p))) | x.one; }
        k = { zero: z, one: o };
        break;
      }
      case "shl": case "shrl": case "shra": {
        const x = get(a), amt = lit(b);
        if (amt !== undefined) {
          const s = BigInt(amt >= BigInt(w) ? w : Number(amt));
          if (n.op === "shl") k = { zero: ((x.zero << s) | mask(Number(s))) & M, one: (x.one << s) & M };
          else if (n.op === "shrl") k = { zero: (x.zero >> s) | above(w - Number(s), w), one: x.one >> s };
          else {
            const sb = BigInt(w - 1), fill = above(w - Number(s), w);
            k = { zero: (x.zero >> s) | ((x.zero >> sb) & 1n ? fill : 0n), one: (x.one >> s) | ((x.one >> sb) & 1n ? fill : 0n) };
          }
        } else if (n.op === "shl") {
          k = { zero: mask(tz(~x.zero & M, w)), one: 0n }; // trailing zeros stay
        } else if (n.op === "shrl") {
          k = { zero: above(bitLen(upperBound(x, w)), w), one: 0n }; // leading zeros stay
        }
        break;
      }
      case "add": {
        const x = get(a), y = get(b);
        const t = Math.min(tz(~x.zero & M, w), tz(~y.zero & M, w));
        const ub = upperBound(x, w) + upperBound(y, w);
        k = { zero: mask(t) | (ub <= M ? above(bitLen(ub), w) : 0n), one: 0n };
        break;
      }
      case "sub": {
        const x = get(a), y = get(b);
        k = { zero: mask(Math.min(tz(~x.zero & M, w), tz(~y.zero & M, w))), one: 0n };
        break;
      }
      case "mul": {
        const x = get(a), y = get(b);
        const t = Math.min(w, tz(~x.zero & M, w) + tz(~y.zero & M, w));
        const ub = upperBound(x, w) * upperBound(y, w);
        k = { zero: mask(t) | (ub <= M ? above(bitLen(ub), w) : 0n), one: 0n };
        break;
      }
      case "udiv": { // a quotient is at most the dividend, unless the divisor may be 0 (all ones)
        if (get(b).one !== 0n) k = { zero: above(bitLen(upperBound(get(a), w)), w), one: 0n };
        break;
      }
      case "umod": {
        const d = lit(b), ub = upperBound(get(a), w);
        const bound = d !== undefined && d > 0n && d - 1n < ub ? d - 1n : ub;
        k = { zero: above(bitLen(bound), w), one: 0n };
        break;
      }
      case "sel": {
        const s = get(a), x = get(b), y = get(c);
        if (s.one & 1n) k = x;
        else if (s.zero & 1n) k = y;
        else k = { zero: x.zero & y.zero, one: x.one & y.one };
        break;
      }
      case "index": {
        if (a.op !== "array") break;
        const els = a.operands.map(get);
        k = { zero: els.reduce((s, e) => s & e.zero, M), one: els.reduce((s, e) => s & e.one, M) };
        break;
      }
      default: break;
    }
    kb.set(n, k);
  }
  return kb;
}

/** The demanded bits of every bits-typed node (aggregates are not in the map: fully read). */
export function demandedBits(fn: Fn): Map<Node, bigint> {
  const d = new Map<Node, bigint>();
  // An array node read only by index ops: the union of what those reads demand of an element.
  const elemDemand = new Map<Node, bigint>();
  const fullArrays = new Set<Node>();
  const full = (n: Node) => (n.type.k === "bits" ? mask(width(n)) : 0n);
  const want = (n: Node, m: bigint) => { if (n.type.k === "bits" && m) d.set(n, (d.get(n) ?? 0n) | (m & mask(width(n)))); };
  const readAll = (n: Node) => {
    if (n.type.k === "bits") want(n, full(n));
    else if (n.op === "array") fullArrays.add(n);
  };
  readAll(fn.ret);
  for (let i = fn.nodes.length - 1; i >= 0; i--) {
    const n = fn.nodes[i];
    if (n.op === "array") {
      const m = fullArrays.has(n) || n.type.k !== "array" || n.type.elem.k !== "bits" ? undefined : elemDemand.get(n);
      for (const o of n.operands) if (m === undefined) readAll(o); else want(o, m);
      continue;
    }
    const D = n.type.k === "bits" ? (d.get(n) ?? 0n) : -1n;
    if (D === 0n) continue; // nothing of it is read: its operands are not read through it
    const w = width(n);
    const [a, b, c] = n.operands;
    const low = D > 0n ? mask(bitLen(D)) : 0n; // bits 0 … highest demanded
    switch (n.op) {
      case "and": case "or": case "xor": case "not": want(a, D); if (b) want(b, D); break;
      case "add": case "sub": case "mul": case "neg": want(a, low); if (b) want(b, low); break;
      case "slice": want(a, D << BigInt(n.attrs.lo)); break;
      case "zext": want(a, D); break;
      case "sext": want(a, D | (D >> BigInt(width(a) - 1) ? 1n << BigInt(width(a) - 1) : 0n)); break;
      case "concat": {
        let sh = 0n;
        for (let j = n.operands.length - 1; j >= 0; j--) { const p = n.operands[j]; want(p, D >> sh); sh += BigInt(width(p)); }
        break;
      }
      case "shl": case "shrl": case "shra": {
        const amt = lit(b);
        const M = mask(w);
        if (amt !== undefined) {
          const s = amt >= BigInt(w) ? w : Number(amt), S = BigInt(s);
          if (n.op === "shl") want(a, D >> S);
          else want(a, ((D << S) & M) | (n.op === "shra" && D >> BigInt(w - s) ? 1n << BigInt(w - 1) : 0n));
        } else if (n.op === "shl") want(a, low);
        else want(a, above(tz(D, w), w)); // bits from the lowest demanded upwards (the sign bit among them)
        readAll(b);
        break;
      }
      case "sel": want(a, 1n); want(b, D); want(c, D); break;
      case "index": {
        if (a.op === "array" && D > 0n) elemDemand.set(a, (elemDemand.get(a) ?? 0n) | D);
        else readAll(a);
        readAll(b);
        break;
      }
      default: for (const o of n.operands) readAll(o); break;
    }
  }
  return d;
}
