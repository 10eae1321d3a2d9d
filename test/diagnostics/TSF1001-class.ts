// expect: TSF1001 at 4:1
// Diagnostic case: a class declaration.
import { u8 } from "tsfpga";
class Counter {
  n = 0;
}
export function f(x: u8): u8 {
  return x;
}
