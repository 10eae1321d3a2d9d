/**
 * Dialect programs around tables and mixed operations: a ROM of records whose members need
 * different widths (indexed at run time), negative remainders, products of signed values, shift
 * amounts that are 32 or negative, boolean equality, selects between signed and unsigned arms and
 * bigint remainders by negative constants. Used by the differential tests.
 */
import { u8, u32, i8, i16, i32, u64, i64, Vec } from "tsfpga";
export interface R { a: u8; v: Vec<u8, 2> }
const T: Vec<R, 2> = [{ a: u8(1), v: [u8(2), u8(3)] }, { a: u8(4), v: [u8(5), u8(6)] }];
export function romRec(i: u8): u8 {
  return u8(T[i & 1].v[1] + T[i & 1].a);
}
export function negMod(a: i8): i8 {
  return i8(-a % 3);
}
export function mulNeg(a: i16, b: i16): i32 {
  return i32(a * b);
}
export function shiftBy32(x: u32): i32 {
  return i32(x << 32);
}
export function shiftNegAmount(x: u32, k: i8): u32 {
  return u32(x >>> k);
}
export function ushrBig(x: i32): u32 {
  return u32((x * 2) >>> 1);
}
export function bigShiftNeg(x: i64, k: u8): i64 {
  return i64((x << u64(k & 63)) >> 32n);
}
export function eqBool(a: boolean, b: boolean): boolean {
  return a === b;
}
export function neBool(a: boolean, b: u8): boolean {
  return a !== (b > 3);
}
export function minI(a: i32, b: i32): i32 {
  return a < b ? a : b;
}
export function tern(c: boolean, a: u8, b: i8): i16 {
  return i16(c ? a : b);
}
export function modBig(x: i64): i64 {
  return i64(x % -7n);
}
export function divMin(x: i32): i32 {
  return i32(div2(x));
}
function div2(x: i32): i32 { return i32(x % 2 === 0 ? x : -x); }
export function cmpChain(a: u8, b: u8, c: u8): boolean {
  return a < b === b < c;
}
