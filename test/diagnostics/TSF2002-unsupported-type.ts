// expect: TSF2002 at 4:19
// Diagnostic case: a parameter of type u8[] (unknown length).
import { u8 } from "tsfpga";
export function f(xs: u8[]): u8 {
  return xs[0];
}
