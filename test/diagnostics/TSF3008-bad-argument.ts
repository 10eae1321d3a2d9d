// expect: pending (nothing emits TSF3008: bad run arguments are ArgumentError exceptions from compiler/interp/convert.ts)
// Diagnostic case: a valid file; the bad argument would be given on the command line.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  return x;
}
