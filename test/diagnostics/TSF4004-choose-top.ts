// expect: TSF4004 at 1:1 via lowerTop
// Diagnostic case: no --top for a file with several tops: the message lists them.
// message: has 2 tops (f, g), so --top must name one
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  return x;
}
export function g(x: u8): u8 {
  return x;
}
