/**
 * demanded-bits: build only the bits that are read. With the facts of known-bits.ts (which bits
 * each node's readers observe, which bits are constant) it rewrites, in one forward walk:
 * a node whose demanded bits are all known becomes a literal; `and`/`or`/`xor` with an operand
 * that changes no demanded bit becomes the other operand; an add/sub/mul/neg/logic op/select whose
 * high bits are never read or known zero is recomputed in fewer bits and zero-extended; an unsigned
 * compare against a constant drops known-zero high bits and the constant's trailing zeros (or ones)
 * and so becomes a narrower compare or a bit test (`s > 0xffff` on 17 bits is bit 16); equalities
 * compare only bits not known on both sides; a variable shift or index whose result is partly read,
 * or whose amount has known bits, becomes a mux of just the read window over the possible amounts
 * (`(x >>> 4·k) & 15` is an 8-way mux of nibbles, not a 32-bit barrel shifter); a slice of a
 * slice, of a constant shift or multiply by 2^k, of an extension or of one concat part reads its
 * source directly.
 * Every new node
 * reads only its operands' demanded bits and equals the old one on its own demanded bits, so the
 * function's value is unchanged (the interpreter checks it in test/demanded-bits.test.ts).
 */
import { Builder } from "../ir/builder.js";
import { nextId, usersOf, type Fn, type Node } from "../ir/ir.js";
import type { OpName } from "../ir/ops.js";
import { arrayOf, bits } from "../ir/types.js";
import { mask } from "../ir/values.js";
import { bitLen, demandedBits, knownBits, upperBound, type Known } from "./known-bits.js";
import type { Pass } from "./pass.js";

const width = (n: Node) => (n.type.k === "bits" ? n.type.w : 0);
const lit = (n: Node): bigint | undefined => (n.op === "literal" ? BigInt(n.attrs.value) : undefined);
const tz = (x: bigint) => { let i = 0; while (x && !((x >> BigInt(i)) & 1n)) i++; return i; };
const isPow2 = (x: bigint | undefined) => x !== undefined && x > 0n && (x & (x - 1n)) === 0n;
const popcount = (x: bigint) => { let c = 0; for (; x; x &= x - 1n) c++; return c; };
/** Bit positions set in x, lowest first. */
const positions = (x: bigint) => { const out: number[] = []; for (let i = 0; x >> BigInt(i); i++) if ((x >> BigInt(i)) & 1n) out.push(i); return out; };
/** Ops whose low k result bits depend only on the low k bits of their (bits) operands. */
const LOW_BITS = new Set<OpName>(["add", "sub", "mul", "neg", "and", "or", "xor", "not"]);
/** Widest mux a shift or index is rebuilt as: 2^MAX_SELECT_BITS candidates. */
const MAX_SELECT_BITS = 6;

/** Builds the replacement of one node (new nodes get its source line). */
class Emit {
  readonly b: Builder;
  constructor(name: string, next: number, at: Node) { this.b = new Builder(name, next); this.b.loc = at.loc; }
  op(op: OpName, ops: Node[], attrs: Record<string, number | bigint> = {}): Node { return this.b.add(op, ops, attrs); }
  lit(v: bigint, w: number): Node { return this.b.literal(v, w); }
  slice(x: Node, lo: number, w: number): Node { return lo === 0 && w === width(x) ? x : this.op("slice", [x], { lo, w }); }
  zext(x: Node, w: number): Node { return w === width(x) ? x : this.op("zext", [x], { w }); }
  /** The bits of x at the set positions of m, packed (the lowest position in bit 0). */
  gather(x: Node, m: bigint): Node {
    const runs: [number, number][] = [];
    for (const p of positions(m)) { const r = runs[runs.length - 1]; if (r && r[0] + r[1] === p) r[1]++; else runs.push([p, 1]); }
    const parts = runs.map(([lo, w]) => this.slice(x, lo, w)).reverse();
    return parts.length === 1 ? parts[0] : this.op("concat", parts);
  }
  /** A ww-bit value placed at bit lo of a w-bit result (other bits 0: they are not read). */
  place(v: Node, lo: number, w: number): Node {
    const at = lo > 0 ? this.op("concat", [v, this.lit(0n, lo)]) : v;
    return this.zext(at, w);
  }
}

interface Ctx { k: (n: Node) => Known; em: () => Emit }

/** (x < c) xor negate, unsigned, for a constant 0 ≤ c ≤ 2^w; undefined when nothing gets narrower. */
function lessThanConst(x: Node, kx: Known, c: bigint, negate: boolean, ctx: Ctx): Node | undefined {
  const w = width(x), ub = upperBound(kx, w);
  if (c === 0n || kx.one >= c) return ctx.em().lit(negate ? 1n : 0n, 1);
  if (c > ub) return ctx.em().lit(negate ? 0n : 1n, 1);
  const m = bitLen(ub), t = tz(c), hi = c >> BigInt(t);
  if (m - t >= w && hi !== 1n) return undefined;
  const e = ctx.em();
  const xs = e.slice(x, t, m - t); // x < c  ⟺  (x >> t) < (c >> t), c having t trailing zeros
  if (hi === 1n) {
    if (width(xs) === 1) return negate ? xs : e.op("not", [xs]);
    return e.op(negate ? "ne" : "eq", [xs, e.lit(0n, width(xs))]);
  }
  const lt = e.op("ult", [xs, e.lit(hi, width(xs))]);
  return negate ? e.op("not", [lt]) : lt;
}

function compare(n: Node, ops: Node[], ka: Known, kb: Known, ctx: Ctx): Node | undefined {
  const [a, b] = ops;
  const w = width(a), M = mask(w);
  const ca = lit(a), cb = lit(b);
  if (n.op === "eq" || n.op === "ne") {
    const eq = n.op === "eq";
    if ((ka.one & kb.zero) | (ka.zero & kb.one)) return ctx.em().lit(eq ? 0n : 1n, 1);
    const open = M & ~((ka.zero | ka.one) & (kb.zero | kb.one));
    if (open === 0n) return ctx.em().lit(eq ? 1n : 0n, 1);
    if (open === M) return undefined;
    const e = ctx.em();
    return e.op(n.op, [e.gather(a, open), e.gather(b, open)]);
  }
  if (n.op !== "ult" && n.op !== "ule") return undefined;
  const ule = n.op === "ule";
  if (cb !== undefined) return lessThanConst(a, ka, ule ? cb + 1n : cb, false, ctx); // a < c, a ≤ c
  if (ca !== undefined) return lessThanConst(b, kb, ule ? ca : ca + 1n, true, ctx); // c < b, c ≤ b
  const m = Math.max(1, bitLen(upperBound(ka, w)), bitLen(upperBound(kb, w)));
  if (m >= w) return undefined;
  const e = ctx.em();
  return e.op(n.op, [e.slice(a, 0, m), e.slice(b, 0, m)]);
}

/**
 * A variable shift or index rebuilt as a mux over the possible amounts: `amount` has unknown bits
 * `open`; `candidate(v)` is the read window for amount value v. Undefined when not smaller.
 */
function selectOver(amount: Node, ka: Known, open: bigint, ww: number, candidate: (e: Emit, v: bigint) => Node, ctx: Ctx): Node {
  const e = ctx.em();
  const u = popcount(open), pos = positions(open);
  const cands: Node[] = [];
  for (let c = 0; c < 1 << u; c++) {
    let v = ka.one;
    pos.forEach((p, j) => { if ((c >> j) & 1) v |= 1n << BigInt(p); });
    cands.push(candidate(e, v));
  }
  if (u === 0) return cands[0];
  const arr = e.b.add("array", cands, {}, arrayOf(bits(ww), cands.length));
  return e.op("index", [arr, e.gather(amount, open)]);
}

function rewrite(n: Node, ops: Node[], orig: Node[], D: bigint, K: Known, ctx: Ctx): Node | undefined {
  const w = width(n), M = mask(w);
  const ks = orig.map(ctx.k);
  // 1. Every demanded bit is known: a literal.
  if ((D & ~(K.zero | K.one)) === 0n) return ctx.em().lit(K.one & M, w);
  const lo = tz(D), hi = bitLen(D) - 1, ww = hi - lo + 1;
  switch (n.op) {
    // 2. An operand that changes no demanded bit.
    case "and":
      if ((D & ~ks[1].one & ~ks[0].zero) === 0n) return ops[0];
      if ((D & ~ks[0].one & ~ks[1].zero) === 0n) return ops[1];
      break;
    case "or":
      if ((D & ~ks[1].zero & ~ks[0].one) === 0n) return ops[0];
      if ((D & ~ks[0].zero & ~ks[1].one) === 0n) return ops[1];
      break;
    case "xor":
      if ((D & ~ks[1].zero) === 0n) return ops[0];
      if ((D & ~ks[0].zero) === 0n) return ops[1];
      break;
    case "eq": case "ne": case "ult": case "ule":
      return compare(n, ops, ks[0], ks[1], ctx);
    case "shl": case "shrl": case "shra": {
      if (lit(ops[1]) !== undefined) break;
      const aw = width(ops[1]), open = mask(aw) & ~(ks[1].zero | ks[1].one), u = popcount(open);
      // A barrel shifter is w bits times its stages; the mux, (2^u − 1) two-way selects of ww bits.
      if (u > MAX_SELECT_BITS || ((1 << u) - 1) * ww > w * Math.min(aw, bitLen(BigInt(w)))) break;
      if (u === aw && ww === w) break;
      const x = ops[0];
      const window = (e: Emit, v: bigint) => {
        const s = v >= BigInt(w) ? w : Number(v), from = n.op === "shl" ? lo - s : lo + s;
        // A window inside x is a slice of it; one that runs past an end shifts first.
        if (from >= 0 && from + ww <= w) return e.slice(x, from, ww);
        return e.slice(e.op(n.op, [x, e.lit(v, aw)]), lo, ww);
      };
      const r = selectOver(ops[1], ks[1], open, ww, window, ctx);
      return ctx.em().place(r, lo, w);
    }
    case "index": {
      const arr = ops[0], at = arr.type;
      if (at.k !== "array" || at.elem.k !== "bits" || lit(ops[1]) !== undefined) break;
      const iw = width(ops[1]), open = mask(iw) & ~(ks[1].zero | ks[1].one), u = popcount(open);
      if (u > MAX_SELECT_BITS + 2 || (1 << u) > at.n || ((1 << u) === at.n && ww === w)) break;
      const elem = (e: Emit, v: bigint) => {
        const j = v >= BigInt(at.n) ? at.n - 1 : Number(v);
        const el = arr.op === "array" ? arr.operands[j] : e.op("index", [arr, e.lit(BigInt(j), iw)]);
        return e.slice(el, lo, ww);
      };
      return ctx.em().place(selectOver(ops[1], ks[1], open, ww, elem, ctx), lo, w);
    }
    case "slice": { // a window of a window, a constant shift or ×2^k, an extension or one concat part
      const x = ops[0], xo = x.operands, sw = w;
      let from = Number(n.attrs.lo);
      let src: Node | undefined;
      if (x.op === "slice") { src = xo[0]; from += Number(x.attrs.lo); }
      else if ((x.op === "zext" || x.op === "sext") && from + sw <= width(xo[0])) src = xo[0];
      else if (x.op === "mul" && xo.some((o) => isPow2(lit(o)))) { // a multiply by 2^k is a shift left by k
        const k = bitLen(lit(xo.find((o) => isPow2(lit(o)))!)!) - 1, other = xo.find((o) => !isPow2(lit(o))) ?? xo[0];
        if (from >= k) { src = other; from -= k; }
      } else if ((x.op === "shrl" || x.op === "shl") && lit(xo[1]) !== undefined && lit(xo[1])! < BigInt(width(x))) {
        const sh = Number(lit(xo[1]));
        const f = x.op === "shrl" ? from + sh : from - sh;
        if (f >= 0 && f + sw <= width(x)) { src = xo[0]; from = f; }
      } else if (x.op === "concat") {
        let base = width(x);
        for (const p of xo) {
          base -= width(p);
          if (from >= base && from + sw <= base + width(p)) { src = p; from -= base; break; }
        }
      }
      return src ? ctx.em().slice(src, from, sw) : undefined;
    }
    default: break;
  }
  // 3. High bits never read, or (for carry ops, which get shorter) known zero: compute in fewer bits.
  // A select or logic op is one LUT level at any width and Yosys drops its unread bits itself; a
  // narrowed one zero-extended into an adder made Yosys map frame_sum's byte sum far worse (499
  // ECP5 LUT4 against 372), so those are only narrowed to the bits that are read.
  if (LOW_BITS.has(n.op) || n.op === "sel") {
    const carry = n.op === "add" || n.op === "sub" || n.op === "mul" || n.op === "neg";
    const k = carry ? Math.min(hi + 1, bitLen(upperBound(K, w))) : hi + 1;
    if (k >= w || k < 1) return undefined;
    const e = ctx.em();
    const r = e.op(n.op, n.op === "sel" ? [ops[0], e.slice(ops[1], 0, k), e.slice(ops[2], 0, k)] : ops.map((o) => e.slice(o, 0, k)));
    r.name = n.name;
    return e.zext(r, w);
  }
  return undefined;
}

export function demandedBitsFn(fn: Fn, idGen: { next: number }): boolean {
  const known = knownBits(fn);
  const demand = demandedBits(fn);
  const users = usersOf(fn);
  const NONE: Known = { zero: 0n, one: 0n };
  const repl = new Map<Node, Node>();
  const out: Node[] = [];
  for (const n of fn.nodes) {
    const orig = n.operands;
    n.operands = orig.map((o) => repl.get(o) ?? o);
    out.push(n);
    if (n.type.k !== "bits" || n.op === "literal" || n.op === "param") continue;
    if (!users.has(n.id) && n !== fn.ret) continue; // dead: dce removes it
    let em: Emit | undefined;
    const ctx: Ctx = { k: (o) => known.get(o) ?? NONE, em: () => (em ??= new Emit(fn.name, idGen.next, n)) };
    const D = demand.get(n) ?? 0n;
    const r = D === 0n ? ctx.em().lit(0n, width(n)) : rewrite(n, n.operands, orig, D, ctx.k(n), ctx);
    if (em) { idGen.next = em.b.nextId; out.push(...em.b.fn.nodes); }
    if (r && r !== n) {
      if (r.op !== "literal" && em?.b.fn.nodes.includes(r)) r.name ??= n.name; // a new node keeps the source name
      repl.set(n, r);
    }
  }
  fn.nodes = out;
  if (repl.has(fn.ret)) fn.ret = repl.get(fn.ret)!;
  return repl.size > 0;
}

export const demandedBitsPass: Pass = {
  name: "demanded-bits",
  description: "compute only the bits that are read: narrower ops, compares, shifts and indexes; fold known bits",
  run(pkg) {
    const idGen = { next: nextId(pkg.fns) };
    return pkg.fns.map((f) => demandedBitsFn(f, idGen)).some(Boolean);
  },
};
