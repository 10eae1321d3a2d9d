// expect: TSF1003 at 6:5
// Diagnostic case: a throw statement.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  if (x === 0) {
    throw 1;
  }
  return x;
}
