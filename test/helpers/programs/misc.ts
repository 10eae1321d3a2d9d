/**
 * More corner cases for the differential tests: cat with a negative low part, u1 of a boolean,
 * sext/zext of 64-bit bigints at full width, mixed bigint/number comparisons, ++/-- of a plain local
 * under run-time conditions in an unrolled loop, nested conditional expressions, chained calls of a
 * helper and a signed 64-bit product wrapped to u64.
 */
import { u8, u16, u32, i8, i64, u64, u1, cat, sext, zext, Vec } from "tsfpga";
export function catNegLow(h: u8, l: i8): u16 {
  return u16(cat(h, l, 8));
}
export function flag(b: boolean): u1 {
  return u1(b);
}
export function sextWide(x: u64): i64 {
  return i64(sext(x, 64));
}
export function zextNegBig(x: i64): u64 {
  return u64(zext(x, 64));
}
export function cmpI64(a: i64, b: i8): boolean {
  return a > b && a !== 0n;
}
export function incInIf(x: u8): u8 {
  let n = 0;
  for (let i = 0; i < 4; i++) {
    if (((x >> i) & 1) === 1) {
      n++;
    } else {
      n--;
    }
  }
  return u8(n + 4);
}
export function nestedTernary(a: u8): u8 {
  return a < 10 ? u8(1) : a < 100 ? u8(2) : a < 200 ? u8(3) : u8(4);
}
export function chainCalls(a: u8): u16 {
  return u16(twice(twice(a)) + twice(u8(a + 1)));
}
function twice(a: u8): u8 {
  return u8(a * 2);
}
export function mulBig(a: i64, b: i64): u64 {
  return u64(a * b);
}
