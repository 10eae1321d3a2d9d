// expect: TSF1023 at 5:13
// Diagnostic case: a call of the generic constructor uint(8).
import { u8, uint } from "tsfpga";
export function f(x: u8): u8 {
  return u8(uint(8)(x));
}
