// expect: TSF1002 at 5:13
// Diagnostic case: an arrow function inside a function body.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  const g = (y: u8) => y;
  return x;
}
