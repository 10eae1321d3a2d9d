// expect: TSF4001 at 6:14 via scheduleFn at 2000 MHz
// Diagnostic case: a 64-bit multiplier that a 2 GHz clock cannot hold.
// message: the fastest clock it allows is
import { u64 } from "tsfpga";
export function f(a: u64, b: u64): u64 {
  return u64(a * b);
}
