// expect: TSF3002 at 5:13
// Diagnostic case: '/' on numbers.
import { u8 } from "tsfpga";
export function f(a: u8): u8 {
  return u8(a / 2);
}
