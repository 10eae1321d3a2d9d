// expect: TSF3003 at 5:13
// Diagnostic case: a remainder by a run-time divisor.
import { u8 } from "tsfpga";
export function f(a: u8, b: u8): u8 {
  return u8(a % b);
}
