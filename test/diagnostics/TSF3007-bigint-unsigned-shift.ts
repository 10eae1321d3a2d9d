// expect: TS2365 at 5:14 (TSF3007 cannot be reached: TypeScript rejects '>>>' on bigint first)
// Diagnostic case: '>>>' on a bigint.
import { u64 } from "tsfpga";
export function f(x: u64): u64 {
  return u64(x >>> 1n);
}
