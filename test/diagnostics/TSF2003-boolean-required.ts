// expect: TSF2003 at 5:7
// Diagnostic case: an integer used as an if condition.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  if (x) {
    return u8(1);
  }
  return u8(0);
}
