// expect: TSF2001 at 4:19
// Diagnostic case: a parameter of plain type number.
import { u8 } from "tsfpga";
export function f(x: number): u8 {
  return u8(x);
}
