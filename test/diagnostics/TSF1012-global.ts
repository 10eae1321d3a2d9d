// expect: TSF1012 at 10:13, TSF1012 at 13:14, TSF1012 at 16:14, TSF1012 at 19:14, TSF1012 at 22:14
// Diagnostic case: JavaScript globals, each with the dialect form that replaces it.
// suggestion: a > b ? a : b
// suggestion: u64(x)
// suggestion: u32(x)
// suggestion: i32(i64(a) * i64(b))
// suggestion: x < 0 ? -x : x
import { i32, u8, u32, u64 } from "tsfpga";
export function f(x: u8): u8 {
  return u8(Math.max(x, 1));
}
export function g(x: u32): u64 {
  return u64(BigInt(x));
}
export function h(x: u64): u32 {
  return u32(Number(x));
}
export function k(a: i32, b: i32): i32 {
  return i32(Math.imul(a, b));
}
export function m(x: i32): u32 {
  return u32(Math.abs(x));
}
