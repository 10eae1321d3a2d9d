/**
 * Dialect programs for range rules that once failed (issue 7): division and remainder by a
 * constant larger than the dividend's range, bigint right shifts by a wide or large amount,
 * array indexes guarded by a comparison (if, ?:, a clamped const, &&, ||, !==, an early return or
 * break, bounds from constants), and a mutated Vec passed to a helper whose result type cannot
 * alias it. The differential tests run every export natively and in the interpreter;
 * test/range-rules.test.ts also co-simulates them.
 */
import { u8, u16, u40, u64, i8, i64, Vec, div } from "tsfpga";

// Quotient always 0, remainder always the dividend: the divisor exceeds every dividend.
export function divBig(a: u8): u16 {
  return u16(div(a, 1000));
}
export function modBig(a: u8): u16 {
  return u16(a % 300);
}
export function modOfZero(a: u8): u8 {
  return u8((a >> 9) % 3);
}
export function bigDivBig(a: u40): u64 {
  return u64(a / 10000000000000n);
}
export function signedDivBig(a: i8): i8 {
  return i8(div(a, -200) + (a % 129));
}
// Just inside and just outside the dividend's range.
export function divEdges(a: u8): u16 {
  return u16(div(a, 255) + div(a, 256) + div(a, 257) + (a % 255) + (a % 256));
}

// Bigint right shifts never grow a value, whatever the amount.
export function shrVar(a: i64, s: u16): i64 {
  return i64(a >> u64(s));
}
export function shrConst(a: i64): i64 {
  return i64(a >> 257n);
}
export function shrWide(a: u64, s: u64): u64 {
  return u64(a >> s);
}

// Guarded indexes: the comparison narrows the index's range where it holds.
export function guardIf(a: Vec<u8, 8>, i: u8): u8 {
  let r = u8(0);
  if (i < 8) r = a[i];
  return r;
}
export function guardElse(a: Vec<u8, 5>, i: u8): u8 {
  if (i > 4) {
    return u8(0);
  } else {
    return a[i];
  }
}
export function guardTernary(a: Vec<u8, 8>, i: u8): u8 {
  return u8(i < 8 ? a[i] : 0);
}
export function guardClamp(a: Vec<u8, 8>, i: u8): u8 {
  const j = i < 8 ? i : 7;
  return a[j];
}
export function guardAnd(a: Vec<u8, 6>, i: u8, j: u8): u8 {
  return u8(i <= 5 && a[i] > 3 ? a[i] : j < 6 && !(j < 2) ? a[j] : 0);
}
export function guardEarlyReturn(a: Vec<u16, 10>, i: u16): u16 {
  if (i >= 10) return u16(0);
  return a[i];
}
export function guardSigned(a: Vec<u8, 4>, i: i8): u8 {
  if (i >= 0 && i < 4) return a[i];
  return u8(255);
}
// Bounds from a module-level constant, an enum member, `!==` at the ends, `||`, and `break`.
const LEN = 5;
const enum Size { Len = 5 }
export function guardConsts(a: Vec<u16, 5>, i: u8, j: u8): u16 {
  return u16((i < LEN ? a[i] : 0) + (Size.Len > j ? a[j] : 0));
}
export function guardNe(a: Vec<u16, 5>, i: u8): u16 {
  const j = i & 7;
  if (j !== 7 && j !== 6) {
    if (j !== 5) return a[j];
  }
  return u16(0);
}
export function guardOr(a: Vec<u16, 5>, i: u8): boolean {
  return i >= 5 || a[i] === 0;
}
export function guardBreak(a: Vec<u16, 5>, i: u8): u16 {
  let s = 0;
  for (let k = 0; k < 3; k++) {
    if (i >= 5) break;
    s = s + a[i] * k;
  }
  return u16(s);
}
// Assigning the guarded variable ends its narrowing: after `i = i + 1` the range is wide again.
export function guardReassigned(a: Vec<u8, 8>, x: u8): u8 {
  let i: number = x;
  let r = 0;
  if (i < 7) {
    r = a[i];
    i = i + 1;
    r = r + a[i & 7];
  }
  return u8(r + i);
}

// A mutated Vec passed to a helper that returns another record type: the result cannot alias it.
interface Stats { min: u8; max: u8 }
function stats(v: Vec<u8, 4>): Stats {
  let lo = v[0], hi = v[0];
  for (let k = 1; k < 4; k++) {
    if (v[k] < lo) lo = v[k];
    if (v[k] > hi) hi = v[k];
  }
  return { min: lo, max: hi };
}
export function statsOfMutated(x: u8, y: u8): Stats {
  const v: Vec<u8, 4> = [x, y, u8(x ^ y), u8(0)];
  v[3] = u8(x & y);
  return stats(v);
}

// All of the above in one function, for one co-simulated design (test/range-rules.test.ts).
interface Combined {
  divBig: u16; modBig: u16; modOfZero: u8; bigDivBig: u64; signedDivBig: i8; divEdges: u16;
  shrVar: i64; shrConst: i64; shrWide: u64;
  guardIf: u8; guardTernary: u8; guardClamp: u8; guardAnd: u8; guardSigned: u8; guardReassigned: u8;
  guardConsts: u16; guardNe: u16; guardOr: boolean; guardBreak: u16;
  stats: Stats;
}
export function combined(a: u8, big: u40, c: i8, d: i64, s: u16, w: u64, v: Vec<u8, 8>, i: u8, j: u8): Combined {
  const v6: Vec<u8, 6> = [v[0], v[1], v[2], v[3], v[4], v[5]];
  const v4: Vec<u8, 4> = [v[4], v[5], v[6], v[7]];
  const v5: Vec<u16, 5> = [u16(v[0] * 3), u16(v[2]), u16(v[4] + 256), u16(v[6]), u16(v[7])];
  return {
    divBig: divBig(a), modBig: modBig(a), modOfZero: modOfZero(a), bigDivBig: bigDivBig(big),
    signedDivBig: signedDivBig(c), divEdges: divEdges(a),
    shrVar: shrVar(d, s), shrConst: shrConst(d), shrWide: shrWide(w, u64(s)),
    guardIf: guardIf(v, i), guardTernary: guardTernary(v, j), guardClamp: guardClamp(v, i),
    guardAnd: guardAnd(v6, i, j), guardSigned: guardSigned(v4, c), guardReassigned: guardReassigned(v, a),
    guardConsts: guardConsts(v5, i, j), guardNe: guardNe(v5, a), guardOr: guardOr(v5, j), guardBreak: guardBreak(v5, i),
    stats: statsOfMutated(a, i),
  };
}
