// expect: TSF1022 at 6:9
// Diagnostic case: mutation of a local that aliases a parameter.
import { u8 } from "tsfpga";
export interface P { lo: u8; hi: u8 }
export function f(p: P, x: u8): u8 {
  const c = p;
  c.lo = x;
  return c.lo;
}
