// expect: TSF1008 at 6:10
// Diagnostic case: direct recursion, reported at the recursive call.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  if (x === 0) return x;
  return f(u8(x - 1));
}
