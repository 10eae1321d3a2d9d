// expect: TSF3012 at 7:22
// Diagnostic case: zext to width 0. The width is a compile-time constant; the message says what
// it must be instead (it used to say "must be a compile-time constant").
// message: the width of zext() is 0, but it must be between 1 and 256
import { u8, u16, zext } from "tsfpga";
export function f(x: u8): u16 {
  return u16(zext(x, 0));
}
