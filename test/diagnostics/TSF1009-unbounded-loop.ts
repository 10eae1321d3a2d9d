// expect: TSF1009 at 6:3
// Diagnostic case: a loop of more than 4096 iterations.
import { u16 } from "tsfpga";
export function f(x: u16): u16 {
  let s = 0;
  for (let i = 0; i < 5000; i++) {
    s = (s + 1) & 0xff;
  }
  return u16(s + x);
}
