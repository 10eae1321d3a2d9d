// expect: TSF3001 at 6:14
// Diagnostic case: a product of two u32 numbers that can pass 2^53.
// suggestion: u64(a) * u64(b)
import { u32, u64 } from "tsfpga";
export function f(a: u32, b: u32): u64 {
  return u64(a * b);
}
