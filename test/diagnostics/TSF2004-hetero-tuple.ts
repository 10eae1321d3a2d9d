// expect: TSF2004 at 4:19
// Diagnostic case: a tuple parameter with two element types.
import { u8, u16 } from "tsfpga";
export function f(t: [u8, u16]): u8 {
  return t[0];
}
