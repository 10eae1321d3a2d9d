// expect: TSF1012 at 5:13
// Diagnostic case: a call to Math.max.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  return u8(Math.max(x, 1));
}
