/**
 * Integer operators with JavaScript's exact meaning, as range computations plus IR nodes.
 * `+ - *` are exact (number-backed results must provably stay within 2^53); bitwise operators on
 * numbers apply ToInt32/ToUint32 first and yield 32-bit results, as in Node; on bigints they are
 * exact two's complement. Each function returns the result's abstract value, or a diagnostic key
 * when the operation cannot be represented exactly. Nodes are built in the least width that holds
 * the result: modular arithmetic in that width is exact because the true result fits it.
 */
import type { Builder } from "../ir/builder.js";
import type { OpName } from "../ir/ops.js";
import { constInt, intAt, intAV, type BoolAV, type IntAV } from "./avalues.js";
import { INT32, SAFE, UINT32, contains, minMax, reprOf, type Range } from "./ranges.js";

export type ArithResult = IntAV | { diag: "unsafeNumber" | "negativeShift" | "bigintUnsignedShift" | "divisorNotConst" | "tooWide"; args: (string | bigint | number)[] };

const MAX_WIDTH = 256;

function build(b: Builder, op: OpName, xs: IntAV[], r: Range, big: boolean): IntAV {
  const { w, signed } = reprOf(r);
  return intAV(b, b.add(op, xs.map((x) => intAt(b, x, w))), signed, r, big);
}

function checked(r: Range, big: boolean, what: string): { diag: "unsafeNumber" | "tooWide"; args: (string | bigint | number)[] } | undefined {
  if (!big && !contains(SAFE, r)) return { diag: "unsafeNumber", args: [what, r.hi > SAFE.hi ? r.hi : r.lo] };
  if (reprOf(r).w > MAX_WIDTH) return { diag: "tooWide", args: [reprOf(r).w, MAX_WIDTH] };
  return undefined;
}

export function add(b: Builder, x: IntAV, y: IntAV, what: string): ArithResult {
  const r = { lo: x.r.lo + y.r.lo, hi: x.r.hi + y.r.hi };
  return checked(r, x.big, what) ?? build(b, "add", [x, y], r, x.big);
}
export function sub(b: Builder, x: IntAV, y: IntAV, what: string): ArithResult {
  const r = { lo: x.r.lo - y.r.hi, hi: x.r.hi - y.r.lo };
  return checked(r, x.big, what) ?? build(b, "sub", [x, y], r, x.big);
}
export function mul(b: Builder, x: IntAV, y: IntAV, what: string): ArithResult {
  const r = minMax([x.r.lo * y.r.lo, x.r.lo * y.r.hi, x.r.hi * y.r.lo, x.r.hi * y.r.hi]);
  return checked(r, x.big, what) ?? build(b, "mul", [x, y], r, x.big);
}
export function neg(b: Builder, x: IntAV, what: string): ArithResult {
  const r = { lo: -x.r.hi, hi: -x.r.lo };
  return checked(r, x.big, what) ?? build(b, "neg", [x], r, x.big);
}

/** Truncating division or remainder by a non-zero constant d (JS bigint `/`, `%`, runtime div()). */
export function divmod(b: Builder, x: IntAV, d: bigint, mod: boolean): IntAV {
  const trunc = (a: bigint) => a / d; // bigint division truncates toward zero
  let r: Range;
  if (!mod) r = minMax([trunc(x.r.lo), trunc(x.r.hi), ...(x.r.lo < 0n && x.r.hi > 0n ? [0n] : [])]);
  else {
    const m = (d < 0n ? -d : d) - 1n;
    r = x.r.lo >= 0n ? { lo: 0n, hi: x.r.hi < m ? x.r.hi : m } : x.r.hi <= 0n ? { lo: x.r.lo > -m ? x.r.lo : -m, hi: 0n } : { lo: x.r.lo > -m ? x.r.lo : -m, hi: x.r.hi < m ? x.r.hi : m };
    if (x.r.hi - x.r.lo < (d < 0n ? -d : d) && x.r.lo >= 0n && x.r.hi % d >= x.r.lo % d) r = { lo: x.r.lo % d, hi: x.r.hi % d };
  }
  // A quotient known from the ranges (e.g. 0 when |d| exceeds every dividend) is a constant; a
  // remainder by a divisor above every |x| is x itself. No divider is built for either.
  if (r.lo === r.hi) return constInt(b, r.lo, x.big);
  const ad = d < 0n ? -d : d;
  if (mod && x.r.hi < ad && -x.r.lo < ad) return x;
  const signed = x.r.lo < 0n || d < 0n;
  // Work width: holds x, d and every quotient (including min / -1) in two's complement.
  const { w } = reprOf(minMax([x.r.lo, x.r.hi, d, -x.r.lo, -x.r.hi, 0n]));
  const dn = b.literal(d, w);
  const op: OpName = signed ? (mod ? "smod" : "sdiv") : mod ? "umod" : "udiv";
  const node = b.add(op, [intAt(b, x, w), dn]);
  return intAV(b, node, signed, r, x.big);
}

/** JS ToInt32 (numbers only): the operand itself when it already fits, else its low 32 bits signed. */
function toInt32(b: Builder, x: IntAV): IntAV {
  if (contains(INT32, x.r)) return x;
  return intAV(b, intAt(b, x, 32), true, INT32, false);
}
function toUint32(b: Builder, x: IntAV): IntAV {
  if (contains(UINT32, x.r)) return x;
  return intAV(b, intAt(b, x, 32), false, UINT32, false);
}

function bitwiseRange(op: "and" | "or" | "xor", x: Range, y: Range): Range {
  const nonneg = (r: Range) => r.lo >= 0n;
  const ones = (r: Range) => (1n << BigInt(reprOf(r).w)) - 1n;
  if (op === "and") {
    if (nonneg(x) && nonneg(y)) return { lo: 0n, hi: x.hi < y.hi ? x.hi : y.hi };
    if (nonneg(x)) return { lo: 0n, hi: x.hi };
    if (nonneg(y)) return { lo: 0n, hi: y.hi };
  } else if (nonneg(x) && nonneg(y)) {
    const m = ones(x) > ones(y) ? ones(x) : ones(y);
    return { lo: op === "or" ? (x.lo > y.lo ? x.lo : y.lo) : 0n, hi: m };
  }
  const w = Math.max(reprOf(x).w, reprOf(y).w) + 1;
  return { lo: -(1n << BigInt(w - 1)), hi: (1n << BigInt(w - 1)) - 1n };
}

export function bitwise(b: Builder, op: "and" | "or" | "xor", x0: IntAV, y0: IntAV): IntAV {
  const [x, y] = x0.big ? [x0, y0] : [toInt32(b, x0), toInt32(b, y0)];
  let r = bitwiseRange(op, x.r, y.r);
  if (!x0.big && !contains(INT32, r)) r = INT32;
  const { w, signed } = reprOf({ lo: minMax([r.lo, x.r.lo, y.r.lo]).lo, hi: minMax([r.hi, x.r.hi, y.r.hi]).hi });
  const node = b.add(op, [intAt(b, x, w), intAt(b, y, w)]);
  return intAV(b, node, signed, r, x0.big);
}

export function bitNot(b: Builder, x0: IntAV): IntAV {
  const x = x0.big ? x0 : toInt32(b, x0);
  const r = { lo: -x.r.hi - 1n, hi: -x.r.lo - 1n };
  const { w } = reprOf({ lo: minMax([r.lo, x.r.lo]).lo, hi: minMax([r.hi, x.r.hi]).hi });
  return intAV(b, b.add("not", [intAt(b, x, w)]), true, r, x0.big);
}

/** `<<`, `>>`, `>>>` with JS semantics for numbers (amount mod 32, 32-bit results) and bigints. */
export function shift(b: Builder, kind: "<<" | ">>" | ">>>", x0: IntAV, k0: IntAV): ArithResult {
  if (x0.big) {
    if (kind === ">>>") return { diag: "bigintUnsignedShift", args: [] };
    if (k0.r.lo < 0n) return { diag: "negativeShift", args: [] };
    const k = k0;
    if (kind === "<<") {
      if (k.r.hi > 256n) return { diag: "tooWide", args: [`${reprOf(x0.r).w} + ${k.r.hi}`, MAX_WIDTH] };
      const kmax = k.r.hi;
      const r = minMax([x0.r.lo, x0.r.lo << kmax, x0.r.hi, x0.r.hi << kmax, x0.r.lo << k.r.lo, x0.r.hi << k.r.lo]);
      const tw = checked(r, true, "<<");
      if (tw) return tw;
      const { w } = reprOf(r);
      return intAV(b, b.add("shl", [intAt(b, x0, w), k.node]), r.lo < 0n, r, true);
    }
    // A right shift never grows a value: any amount is fine, and one past the width gives 0 or -1.
    const cap = BigInt(reprOf(x0.r).w);
    const klo = k.r.lo < cap ? k.r.lo : cap, khi = k.r.hi < cap ? k.r.hi : cap;
    const r = minMax([x0.r.lo >> klo, x0.r.lo >> khi, x0.r.hi >> klo, x0.r.hi >> khi]);
    return intAV(b, b.add(x0.r.lo < 0n ? "shra" : "shrl", [x0.node, k.node]), x0.r.lo < 0n, r, true);
  }
  // Numbers: the amount is ToUint32(k) & 31.
  const kConst = k0.r.lo === k0.r.hi ? Number(BigInt.asUintN(5, k0.r.lo)) : undefined;
  const kNode = kConst !== undefined ? b.literal(BigInt(kConst), 5) : b.add("slice", [intAt(b, k0, Math.max(5, reprOf(k0.r).w))], { lo: 0, w: 5 });
  const kRange: Range = kConst !== undefined ? { lo: BigInt(kConst), hi: BigInt(kConst) } : { lo: 0n, hi: 31n };
  if (kind === ">>>") {
    const x = toUint32(b, x0);
    const r = { lo: x.r.lo >> kRange.hi, hi: x.r.hi >> kRange.lo };
    return intAV(b, b.add("shrl", [x.node, kNode]), false, r, false);
  }
  const x = toInt32(b, x0);
  if (kind === ">>") {
    const r = minMax([x.r.lo >> kRange.lo, x.r.lo >> kRange.hi, x.r.hi >> kRange.lo, x.r.hi >> kRange.hi]);
    return intAV(b, b.add(x.r.lo < 0n ? "shra" : "shrl", [x.node, kNode]), x.r.lo < 0n, r, false);
  }
  const exact = minMax([x.r.lo << kRange.lo, x.r.lo << kRange.hi, x.r.hi << kRange.lo, x.r.hi << kRange.hi]);
  if (contains(INT32, exact)) {
    const { w } = reprOf(minMax([exact.lo, exact.hi, x.r.lo, x.r.hi]));
    return intAV(b, b.add("shl", [intAt(b, x, w), kNode]), exact.lo < 0n || x.r.lo < 0n, exact, false);
  }
  return intAV(b, b.add("shl", [intAt(b, x, 32), kNode]), true, INT32, false);
}

export type CmpKind = "<" | "<=" | ">" | ">=" | "==" | "!=";

export function compare(b: Builder, kind: CmpKind, x: IntAV, y: IntAV): BoolAV {
  // Decide from ranges when they settle the answer.
  const decided = (() => {
    switch (kind) {
      case "<": return x.r.hi < y.r.lo ? true : x.r.lo >= y.r.hi ? false : undefined;
      case "<=": return x.r.hi <= y.r.lo ? true : x.r.lo > y.r.hi ? false : undefined;
      case ">": return x.r.lo > y.r.hi ? true : x.r.hi <= y.r.lo ? false : undefined;
      case ">=": return x.r.lo >= y.r.hi ? true : x.r.hi < y.r.lo ? false : undefined;
      case "==": return x.r.hi < y.r.lo || y.r.hi < x.r.lo ? false : x.r.lo === x.r.hi && y.r.lo === y.r.hi ? x.r.lo === y.r.lo : undefined;
      case "!=": return x.r.hi < y.r.lo || y.r.hi < x.r.lo ? true : x.r.lo === x.r.hi && y.r.lo === y.r.hi ? x.r.lo !== y.r.lo : undefined;
    }
  })();
  if (decided !== undefined) return { k: "bool", node: b.literal(decided ? 1n : 0n, 1) };
  const { w, signed } = reprOf({ lo: x.r.lo < y.r.lo ? x.r.lo : y.r.lo, hi: x.r.hi > y.r.hi ? x.r.hi : y.r.hi });
  const a = intAt(b, x, w), c = intAt(b, y, w);
  const lt: OpName = signed ? "slt" : "ult", le: OpName = signed ? "sle" : "ule";
  const node =
    kind === "<" ? b.add(lt, [a, c]) : kind === "<=" ? b.add(le, [a, c]) : kind === ">" ? b.add(lt, [c, a])
    : kind === ">=" ? b.add(le, [c, a]) : b.add(kind === "==" ? "eq" : "ne", [a, c]);
  return { k: "bool", node };
}
