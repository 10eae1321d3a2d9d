/**
 * Hardware legalisation before scheduling: rewrites the ops whose single-cycle form would be far
 * slower than any clock into equivalent networks of ops that fit. Wide multiplies become
 * DSP-sized partial products summed by an adder tree (on a fabric without DSPs, the active
 * model's hasDsp false: 4-bit slices of the narrower operand, each a short LUT multiplier); division and remainder by a constant
 * become a multiply by a rounded reciprocal (Granlund–Montgomery: for a < 2^n, d ≤ 2^l,
 * m = ceil(2^(n+l)/d) gives floor(a/d) = (a·m) >> (n+l) exactly; a divisor of 2^n or more gives
 * quotient 0 and remainder a) with sign handling for the signed forms. The input function is not
 * modified; the result computes the same values (checked against the interpreter by
 * test/schedule.test.ts and test/range-rules.test.ts).
 */
import { nextId, type Fn, type Node } from "../ir/ir.js";
import { opDef, type Attrs, type OpName } from "../ir/ops.js";
import { bits, type Type } from "../ir/types.js";
import { activeDelayModel, DSP_TILE_BITS, significantBits } from "./delay-model.js";

/** Bits of the narrower operand per partial product on a fabric without DSP blocks (a shift-and-add of 4 rows in LUTs). */
export const LUT_MUL_ROWS = 4;

const W = (n: Node) => (n.type.k === "bits" ? n.type.w : 0);
const isLit = (n: Node) => n.op === "literal";
const lit = (n: Node) => BigInt(n.attrs.value);
const isPow2 = (v: bigint) => v > 0n && (v & (v - 1n)) === 0n;
const bitLen = (v: bigint) => v.toString(2).length;

class Rewriter {
  readonly nodes: Node[] = [];
  private id: number;
  constructor(fn: Fn, private proto?: Node) {
    this.id = nextId([fn]);
  }
  at(proto: Node) { this.proto = proto; }

  make(op: OpName, operands: Node[], attrs: Attrs = {}, declared?: Type): Node {
    const t = opDef(op).typeOf(operands.map((o) => o.type), attrs, declared ?? bits(1));
    if (typeof t === "string") throw new Error(`internal: legalise ${op}: ${t}`);
    const n: Node = { id: this.id++, op, type: t, operands, attrs, name: this.proto?.name, loc: this.proto?.loc };
    return this.lower(n);
  }
  literal(v: bigint, w: number): Node {
    return this.make("literal", [], { value: BigInt.asUintN(w, v) }, bits(w));
  }
  /** Bits [lo, lo+w) of x, folded when x is a literal. */
  slice(x: Node, lo: number, w: number): Node {
    if (lo === 0 && w === W(x)) return x;
    if (isLit(x)) return this.literal(lit(x) >> BigInt(lo), w);
    return this.make("slice", [x], { lo, w });
  }
  /** x zero-extended or truncated to w bits. */
  resize(x: Node, w: number): Node {
    if (W(x) === w) return x;
    if (W(x) > w) return this.slice(x, 0, w);
    if (isLit(x)) return this.literal(lit(x), w);
    return this.make("zext", [x], { w });
  }

  /** Append n (already built) or its legal expansion; returns the node holding its value. */
  lower(n: Node): Node {
    const saved = this.proto;
    this.proto = n;
    try {
      const r = this.expand(n);
      if (r) return r;
      this.nodes.push(n);
      return n;
    } finally {
      this.proto = saved;
    }
  }

  private expand(n: Node): Node | undefined {
    const [a, b] = n.operands;
    switch (n.op) {
      case "mul": return this.mul(n, a, b);
      case "udiv": case "umod": return isLit(b) && lit(b) !== 0n && !isPow2(lit(b)) ? this.udivConst(n.op, a, lit(b), W(n)) : undefined;
      case "sdiv": case "smod": {
        if (!isLit(b)) return undefined;
        const d = BigInt.asIntN(W(n), lit(b));
        if (d === 0n || (d > 0n && isPow2(d))) return undefined;
        return this.sdivConst(n.op, a, d, W(n));
      }
      default: return undefined;
    }
  }

  private mul(n: Node, a: Node, b: Node): Node | undefined {
    const w = W(n);
    if ((isLit(a) && isPow2(lit(a))) || (isLit(b) && isPow2(lit(b)))) return undefined;
    const ea = Math.min(significantBits(a), w);
    const eb = Math.min(significantBits(b), w);
    if (Math.min(ea, eb) <= LUT_MUL_ROWS) return undefined;
    // With DSP tiles: T×T partial products. Without (iCE40 HX): the narrower operand in slices of
    // LUT_MUL_ROWS bits, each slice times the whole other operand (a short LUT multiplier).
    const dsp = activeDelayModel().hasDsp;
    const [TA, TB] = dsp ? [DSP_TILE_BITS, DSP_TILE_BITS] : ea >= eb ? [ea, LUT_MUL_ROWS] : [LUT_MUL_ROWS, eb];
    if (Math.ceil(ea / TA) * Math.ceil(eb / TB) === 1) return undefined;
    const terms: Node[] = [];
    for (let i = 0; i * TA < ea; i++) for (let j = 0; j * TB < eb; j++) {
      const shift = TA * i + TB * j;
      if (shift >= w) continue;
      const ai = this.slice(a, i * TA, Math.min(TA, ea - i * TA));
      const bj = this.slice(b, j * TB, Math.min(TB, eb - j * TB));
      const pw = Math.min(w - shift, W(ai) + W(bj));
      const pp = this.make("mul", [this.resize(ai, pw), this.resize(bj, pw)]);
      const wide = this.resize(pp, w);
      terms.push(shift ? this.make("shl", [wide, this.literal(BigInt(shift), bitLen(BigInt(shift)))]) : wide);
    }
    let level = terms;
    while (level.length > 1) {
      const next: Node[] = [];
      for (let k = 0; k + 1 < level.length; k += 2) next.push(this.make("add", [level[k], level[k + 1]]));
      if (level.length % 2) next.push(level[level.length - 1]);
      level = next;
    }
    return level[0];
  }

  /** Unsigned a / d or a % d for a constant d that is not a power of two. */
  private udivConst(op: "udiv" | "umod", a: Node, d: bigint, w: number): Node {
    const n = Math.max(1, Math.min(significantBits(a), w));
    // A divisor above every dividend (a < 2^n ≤ d): the quotient is 0 and the remainder a itself
    // (the reciprocal below would need a product narrower than its own shift).
    if (d >= 1n << BigInt(n)) return op === "udiv" ? this.literal(0n, w) : a;
    const l = bitLen(d - 1n);
    const m = ((1n << BigInt(n + l)) + d - 1n) / d;
    const P = n + bitLen(m);
    const prod = this.make("mul", [this.resize(this.slice(a, 0, n), P), this.literal(m, P)]);
    const q = this.resize(this.slice(prod, n + l, P - n - l), w);
    if (op === "udiv") return q;
    return this.make("sub", [a, this.make("mul", [q, this.literal(d, w)])]);
  }

  /** Signed (truncating) a / d or a % d for a constant d that is negative or not a power of two. */
  private sdivConst(op: "sdiv" | "smod", a: Node, d: bigint, w: number): Node {
    const neg = this.slice(a, w - 1, 1);
    const absA = this.make("sel", [neg, this.make("neg", [a]), a]);
    const ad = d < 0n ? -d : d;
    const uq = isPow2(ad) ? this.make("udiv", [absA, this.literal(ad, w)]) : this.udivConst("udiv", absA, ad, w);
    const flip = d < 0n ? this.make("not", [neg]) : neg;
    const q = this.make("sel", [flip, this.make("neg", [uq]), uq]);
    if (op === "sdiv") return q;
    return this.make("sub", [a, this.make("mul", [q, this.literal(d, w)])]);
  }
}

/** A copy of fn with slow ops expanded; node ids of unchanged nodes are kept. */
export function legaliseFn(fn: Fn): Fn {
  const rw = new Rewriter(fn);
  const map = new Map<number, Node>();
  for (const n of fn.nodes) {
    const copy: Node = { ...n, operands: n.operands.map((o) => map.get(o.id)!) };
    rw.at(copy);
    map.set(n.id, n.op === "param" ? (rw.nodes.push(copy), copy) : rw.lower(copy));
  }
  return { ...fn, params: fn.params.map((p) => map.get(p.id)!), nodes: rw.nodes, ret: map.get(fn.ret.id)! };
}
