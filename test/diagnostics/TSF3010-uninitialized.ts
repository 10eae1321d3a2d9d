// expect: TSF3010 at 5:7
// Diagnostic case: a let without a value, reported once.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  let y: u8;
  y = x;
  return y;
}
