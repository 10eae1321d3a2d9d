// expect: TSF3001 at 7:14
// Diagnostic case: a product of two i32 numbers can pass 2^53; both operands can be negative, so
// the bigint form is i64, not u64.
// suggestion: i64(a) * i64(b)
import { i32, i64 } from "tsfpga";
export function f(a: i32, b: i32): i64 {
  return i64(a * b);
}
