// expect: TSF3005 at 5:21
// Diagnostic case: a run-time bit position for bits().
import { u8, u32, bits } from "tsfpga";
export function f(x: u32, k: u8): u8 {
  return u8(bits(x, k, 0));
}
