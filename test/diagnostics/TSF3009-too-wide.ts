// expect: TSF3009 at 5:14
// Diagnostic case: a bigint shift by an amount up to 65535.
import { u16, u64 } from "tsfpga";
export function f(x: u64, k: u16): u64 {
  return u64(x << u64(k));
}
