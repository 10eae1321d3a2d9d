// expect: TSF1020 at 6:3
// Diagnostic case: a field assignment to a parameter.
import { u8 } from "tsfpga";
export interface P { lo: u8; hi: u8 }
export function f(p: P): u8 {
  p.lo = u8(1);
  return p.hi;
}
