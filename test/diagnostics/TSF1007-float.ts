// expect: TSF1007 at 5:16
// Diagnostic case: a floating-point literal.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  const half = 0.5;
  return x;
}
