/**
 * Dialect programs that exercise JavaScript corner cases the compiler must reproduce bit for bit:
 * ToInt32 on `<<` and bitwise operators, `>>>`, `~`, signed `%` and `div`, bigint shifts and
 * 64-bit wraps, u32 wrap-around, comparisons of signed against unsigned values, and the
 * conversion intrinsics (sext, zext, bits, wideBits, cat, wideCat) on negative and wide inputs.
 * The differential tests run every export natively and in the interpreter on random inputs.
 */
import { u1, u5, u8, u16, u32, u48, u64, i8, i16, i32, i33, i64, bits, wideBits, cat, wideCat, sext, zext, div } from "tsfpga";

// `b << 24` is negative for b ≥ 0x80; the result is the signed 32-bit value JavaScript computes.
export function shl24(b: u8): i32 {
  return i32(b << 24);
}

// The same, reinterpreted as unsigned with `>>> 0`.
export function shl24u(b: u8): u32 {
  return u32((b << 24) >>> 0);
}

// Shift amounts are taken mod 32 on numbers; a run-time amount.
export function shlDyn(x: u32, k: u8): i32 {
  return i32(x << k);
}

export function shrDyn(x: i32, k: u8): i32 {
  return i32(x >> k);
}

export function ushrDyn(x: i32, k: u8): u32 {
  return u32(x >>> k);
}

// `~` of a number is -ToInt32(x) - 1.
export function notU32(x: u32): i32 {
  return i32(~x);
}

export function notI8(x: i8): i8 {
  return i8(~x);
}

// Bitwise operators on a value wider than 32 bits see only its low 32 bits.
export function andWide(a: u32, b: u32): i32 {
  const s = a + b; // up to 2^33 - 2
  return i32(s & 0xffffffff);
}

export function orNeg(a: i16, b: u32): i32 {
  return i32(a | b);
}

export function xorMix(a: i8, b: u16): i32 {
  return i32(a ^ b);
}

// Remainder takes the sign of the dividend.
export function modSigned(a: i16): i16 {
  return i16(a % 7);
}

export function modNegDivisor(a: i32): i32 {
  return i32(a % -5);
}

export function modPow2(a: i32): i32 {
  return i32(a % 8);
}

// div truncates toward zero, also for negative dividends and divisors.
export function divSigned(a: i32): i32 {
  return i32(div(a, 3));
}

export function divNeg(a: i16): i16 {
  return i16(div(a, -4));
}

export function divPow2(a: i32): i32 {
  return i32(div(a, 16));
}

export function divWide(a: u32, b: u32): u32 {
  return u32(div(a * 4 + b, 7));
}

// bigint division and remainder truncate toward zero too.
export function bigDivMod(a: i64): i64 {
  return i64(a / 10n + a % 10n);
}

// bigint shifts are exact: left grows, right is a floor shift, past the width gives 0 or -1.
export function bigShl(x: u64, k: u8): u64 {
  return u64(x << u64(k & 127));
}

export function bigShr(x: i64, k: u8): i64 {
  return i64(x >> u64(k));
}

export function bigShrU(x: u64, k: u5): u64 {
  return u64(x >> u64(k));
}

// i64 and u64 wrap in their constructors.
export function i64Wrap(a: i64, b: i64): i64 {
  return i64(a + b);
}

export function u64Mul(a: u64, b: u64): u64 {
  return u64(a * b);
}

export function i64Neg(a: i64): i64 {
  return i64(-a);
}

export function bigNot(a: u64): i64 {
  return i64(~a);
}

export function bigAnd(a: i64, b: u64): u64 {
  return u64(a & b);
}

export function bigOrXor(a: i64, b: i33): i64 {
  return i64((a | b) ^ (b >> 3n));
}

// u32 wrap-around of sums and differences.
export function u32Add(a: u32, b: u32): u32 {
  return u32(a + b);
}

export function u32Sub(a: u32, b: u32): u32 {
  return u32(a - b);
}

export function u16Mul(a: u16, b: u16): u16 {
  return u16(a * b);
}

export function i8Wrap(a: i8, b: i8): i8 {
  return i8(a * b);
}

// Comparisons of signed against unsigned values compare mathematical values.
export function ltMixed(a: i8, b: u8): boolean {
  return a < b;
}

export function geMixed(a: i32, b: u32): boolean {
  return a >= b;
}

export function eqMixed(a: i16, b: u16): boolean {
  const x = a + 0;
  return x === b + 0;
}

export function cmpBigNumber(a: i64, b: u32): boolean {
  return a < b;
}

export function cmpBigNumberLe(a: u64, b: i32): boolean {
  return a <= b;
}

// Conversion intrinsics.
export function sextNeg(x: i16): i32 {
  return i32(sext(x, 8));
}

export function zextNeg(x: i16): u16 {
  return u16(zext(x, 12));
}

export function sextBig(x: u64): i64 {
  return i64(sext(x, 33));
}

export function zextBig(x: i64): u64 {
  return u64(zext(x, 40));
}

export function bitsNeg(x: i32): u16 {
  return u16(bits(x, 31, 16));
}

export function bitsLow(x: i8): u8 {
  return u8(bits(x, 7, 0));
}

export function bitsOfBig(x: u64): u32 {
  return u32(bits(x, 50, 19));
}

export function wideBitsNeg(x: i64): u64 {
  return u64(wideBits(x, 63, 1));
}

export function catNeg(h: i8, l: u16): i32 {
  return i32(cat(h, l, 12));
}

export function catBig(h: u32, l: i8): u48 {
  return u48(wideCat(u16(h), l, 32));
}

export function wideCatSigned(h: i16, l: i64): i64 {
  return i64(wideCat(h, l, 40));
}

// Type constructors wrap in both directions between number and bigint backings.
export function narrowBig(x: u64): u32 {
  return u32(x);
}

export function signedNarrowBig(x: u64): i16 {
  return i16(x);
}

export function widenSigned(x: i32): u64 {
  return u64(x);
}

export function u1Of(x: u32): u1 {
  return u1(x);
}
