// expect: TSF3001 at 6:14
// Diagnostic case: cat() of a u32 above 32 low bits passes 2^53; the bigint form is wideCat.
// suggestion: wideCat(a, b, 32)
import { cat, u32, u64 } from "tsfpga";
export function f(a: u32, b: u32): u64 {
  return u64(cat(a, b, 32));
}
