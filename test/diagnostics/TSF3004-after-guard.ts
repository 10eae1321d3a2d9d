// expect: TSF3004 at 10:19
// Diagnostic case: a comparison narrows the index only where it holds (inside the if), not after it.
import { u8, Vec } from "tsfpga";
export function f(a: Vec<u8, 4>, i: u8): u8 {
  let r = u8(0);
  if (i < 4) {
    r = a[i];
  }
  // here i may be 255 again
  return u8(r + a[i]);
}
