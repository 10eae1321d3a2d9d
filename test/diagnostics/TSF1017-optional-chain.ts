// expect: TSF1017 at 6:11
// Diagnostic case: optional chaining on a record parameter.
import { u8 } from "tsfpga";
export interface P { lo: u8; hi: u8 }
export function f(p: P): u8 {
  return p?.lo;
}
