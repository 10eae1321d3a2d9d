// expect: TSF3004 at 5:12
// Diagnostic case: an unmasked u8 index into a 4-element array.
import { u8, Vec } from "tsfpga";
export function f(a: Vec<u8, 4>, i: u8): u8 {
  return a[i];
}
