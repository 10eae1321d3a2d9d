// expect: TSF3006 at 5:14
// Diagnostic case: a bigint shift by a signed amount.
import { u64, i64 } from "tsfpga";
export function f(x: u64, k: i64): u64 {
  return u64(x << k);
}
