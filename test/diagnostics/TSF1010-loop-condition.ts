// expect: TSF1010 at 6:19
// Diagnostic case: a loop bound that is a run-time value.
import { u8 } from "tsfpga";
export function f(n: u8): u8 {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s = (s + 1) & 0xff;
  }
  return u8(s);
}
