/**
 * Dialect programs that exercise control flow and aggregates: nested early returns, break and
 * continue in unrolled loops, switch with shared cases and default, dynamic index reads and
 * writes, records and arrays as results, calls between functions (also across files), const
 * enums and ROM tables. The differential tests compare native and interpreted results on each.
 */
import { u2, u3, u4, u8, u16, u32, u64, i16, i32, fill, char, Vec } from "tsfpga";
import { be16, Side } from "../../../examples/basics/itch_fields.js";

export interface Pair { lo: u8; hi: u8 }
export interface Stats { min: u16; max: u16; count: u4; any: boolean }

export const enum Op { Add = 0, Sub = 1, Xor = 2, Neg = -1 }

const SQUARES: Vec<u16, 16> = [
  u16(0), u16(1), u16(4), u16(9), u16(16), u16(25), u16(36), u16(49),
  u16(64), u16(81), u16(100), u16(121), u16(144), u16(169), u16(196), u16(225),
];

const LIMIT = 40;

// Nested early returns: the first return on a path wins.
export function classify(a: u8, b: u8): u8 {
  if (a > b) {
    if (a > 200) {
      return u8(1);
    }
    if (b === 0) {
      return u8(2);
    }
    return u8(3);
  } else if (a === b) {
    return u8(4);
  }
  if (b > 250) return u8(5);
  return u8(6);
}

// A loop with continue and break on run-time conditions.
export function sumUntilZero(xs: Vec<u8, 8>): u16 {
  let s = 0;
  for (let i = 0; i < 8; i++) {
    if (xs[i] === 0) break;
    if ((xs[i] & 1) === 1) continue;
    s += xs[i];
  }
  return u16(s);
}

// An early return from inside a loop.
export function findFirst(xs: Vec<u8, 8>, v: u8): i16 {
  for (let i = 0; i < 8; i++) {
    if (xs[i] === v) {
      return i16(i);
    }
  }
  return i16(-1);
}

// Nested loops with break in the inner one and continue in the outer one.
export function nested(xs: Vec<u8, 4>): u32 {
  let acc = 0;
  for (let i = 0; i < 4; i++) {
    if (xs[i] > 200) continue;
    for (let j = 0; j < 4; j++) {
      if (j > i) break;
      acc += xs[j] * (i + 1);
    }
  }
  return u32(acc);
}

// A while loop with a compile-time bound.
export function whileBits(x: u8): u8 {
  let n = 0;
  let i = 0;
  while (i < 8) {
    if (((x >> i) & 1) === 1) n++;
    i++;
  }
  return u8(n);
}

// switch with shared labels, default in the middle, and break inside an if.
export function switchy(c: u8, x: u8): u16 {
  let r = 0;
  switch (c) {
    case char("a"):
    case char("b"):
      r = x + 1;
      break;
    default:
      r = 7;
      break;
    case 3:
      if (x > 10) {
        r = 100;
        break;
      }
      r = 200;
      break;
    case 4:
      return u16(999);
  }
  return u16(r);
}

// switch on a const enum with a negative member.
export function applyOp(op: Op, a: u16, b: u16): i32 {
  switch (op) {
    case Op.Add:
      return i32(a + b);
    case Op.Sub:
      return i32(a - b);
    case Op.Xor:
      return i32(a ^ b);
    case Op.Neg:
      return i32(-a);
  }
  return i32(0);
}

// Dynamic index reads and writes on a local array.
export function histogram(xs: Vec<u2, 6>): Vec<u8, 4> {
  const h: Vec<u8, 4> = [u8(0), u8(0), u8(0), u8(0)];
  for (let i = 0; i < 6; i++) {
    h[xs[i]] = u8(h[xs[i]] + 1);
  }
  return h;
}

export function swapAt(a: Vec<u16, 8>, i: u3, j: u3): Vec<u16, 8> {
  const r: Vec<u16, 8> = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
  const t = r[i];
  r[i] = r[j];
  r[j] = t;
  return r;
}

export function fillAndSet(i: u3, v: u8): Vec<u8, 8> {
  const r = fill(8, u8(0));
  r[i] = v;
  r[u3(i + 1)] = u8(v + 1);
  return r;
}

// A ROM indexed by a run-time value and a constant.
export function squarePlus(n: u4): u16 {
  return u16(SQUARES[n] + SQUARES[3] + LIMIT);
}

// Records built, mutated and returned.
export function stats(xs: Vec<u16, 4>, threshold: u16): Stats {
  const s: Stats = { min: u16(0xffff), max: u16(0), count: u4(0), any: false };
  for (let i = 0; i < 4; i++) {
    if (xs[i] < threshold) continue;
    if (xs[i] < s.min) s.min = xs[i];
    if (xs[i] > s.max) s.max = xs[i];
    s.count = u4(s.count + 1);
    s.any = true;
  }
  return s;
}

// Records and arrays passed to and returned from helpers.
function splitWord(w: u16): Pair {
  return { lo: u8(w), hi: u8(w >> 8) };
}

function joinPair(p: Pair): u16 {
  return be16(p.hi, p.lo);
}

export function swapBytes(w: u16): u16 {
  const p = splitWord(w);
  return joinPair({ lo: p.hi, hi: p.lo });
}

export function pairs(a: Vec<Pair, 3>): Vec<u16, 3> {
  return [joinPair(a[0]), joinPair(a[1]), joinPair(a[2])];
}

// A record literal written in another field order than its type.
export function reordered(a: u8, b: u8): Pair {
  return { hi: b, lo: a };
}

// A const enum from another file.
export function sideCode(buy: boolean): u8 {
  const s = buy ? Side.Buy : Side.Sell;
  return u8(s);
}

// Conditional expressions selecting aggregates.
export function pickPair(c: boolean, a: Pair, b: Pair): Pair {
  return c ? a : b;
}

// Compound assignments of every kind.
export function compound(a: u16, b: u8): i32 {
  let x = a + 0;
  x += b;
  x -= 3;
  x *= 2;
  x %= 1000;
  x &= 0x3ff;
  x |= 0x400;
  x ^= b;
  x <<= 2;
  x >>= 1;
  x >>>= 1;
  return i32(x);
}

export function bigCompound(a: u64): u64 {
  let x = a + 0n;
  x /= 3n;
  x <<= 2n;
  x >>= 1n;
  x ^= 0xffn;
  return u64(x);
}

// A loop whose accumulator is a bigint.
export function bigAcc(xs: Vec<u32, 4>): u64 {
  let acc = 0n;
  for (let i = 0; i < 4; i++) {
    acc = acc * 4294967296n + u64(xs[i]);
  }
  return u64(acc);
}

// for…of over an array parameter.
export function sumOf(xs: Vec<i16, 5>): i32 {
  let s = 0;
  for (const x of xs) s += x;
  return i32(s);
}

// Logical operators on run-time conditions.
export function logic(a: u8, b: u8, c: boolean): boolean {
  return (a > b && c) || (!c && a === b) || a + b === 300;
}

// A dynamic index into a parameter array of records.
export function pickHi(a: Vec<Pair, 4>, i: u8): u8 {
  return a[i & 3].hi;
}

// A masked dynamic index into a bigint array.
export function pick64(a: Vec<u64, 4>, i: u32): u64 {
  return a[i >>> 30];
}

export function toggleAll(flags: Vec<boolean, 4>, k: u2): Vec<boolean, 4> {
  const r: Vec<boolean, 4> = [flags[0], flags[1], flags[2], flags[3]];
  r[k] = !r[k];
  return r;
}

// continue and break inside a switch inside a loop.
export function contInSwitch(xs: Vec<u8, 4>): u16 {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    switch (xs[i]) {
      case 1:
        continue;
      case 2:
        s += 100;
        break;
      default:
        s += 1;
    }
    s += 10;
  }
  return u16(s);
}

// A return inside a switch inside a loop.
export function retInSwitchInLoop(xs: Vec<u8, 4>): u8 {
  for (let i = 0; i < 4; i++) {
    switch (xs[i]) {
      case 7:
        return u8(i);
      default:
        break;
    }
  }
  return u8(9);
}

// default sharing a body with a case, first in the switch.
export function defaultFirst(x: u8): u8 {
  let r = 0;
  switch (x) {
    default:
    case 5:
      r = 1;
      break;
    case 6:
      r = 2;
  }
  return u8(r);
}

// Nested records in a literal array written through a path; fresh replacement of an element.
export function freshNested(a: u8, p: Pair): u8 {
  const rows: Vec<Pair, 2> = [{ lo: u8(1), hi: u8(2) }, { lo: p.lo, hi: u8(4) }];
  rows[0].lo = a;
  rows[1] = { lo: u8(7), hi: p.hi };
  rows[1].hi = u8(a + 1);
  return u8(rows[1].hi + rows[0].lo);
}

// A loop counter changed in the body (unconditionally), inside a run-time if.
export function skipInBody(xs: Vec<u8, 8>, c: boolean): u16 {
  let s = 0;
  if (c) {
    for (let i = 0; i < 8; i++) {
      s += xs[i];
      i++;
    }
  }
  return u16(s);
}

// A loop counter changed in the body after a run-time break.
export function skipAfterBreak(xs: Vec<u8, 8>): u16 {
  let s = 0;
  for (let i = 0; i < 8; i++) {
    if (xs[i] === 0) break;
    s += xs[i];
    i += 1;
  }
  return u16(s);
}
