// expect: TSF1015 at 5:13
// Diagnostic case: a null literal.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  const n = null;
  return x;
}
