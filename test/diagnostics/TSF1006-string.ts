// expect: TSF1006 at 5:13
// Diagnostic case: a string literal outside char().
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  const s = "abc";
  return x;
}
