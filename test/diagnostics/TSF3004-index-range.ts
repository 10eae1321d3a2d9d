// expect: TSF3004 at 6:12
// Diagnostic case: an unmasked u8 index into a 4-element array. The suggestion names the forms that compile:
// "guard it: if (i < 4) { … a[i] … }, i < 4 ? a[i] : 0, or const k = i < 4 ? i : 3; a[k], or mask it: a[i & 3]".
import { u8, Vec } from "tsfpga";
export function f(a: Vec<u8, 4>, i: u8): u8 {
  return a[i];
}
