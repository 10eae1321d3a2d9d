// expect: TSF1013 at 5:3
// Diagnostic case: a debugger statement.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  debugger;
  return x;
}
