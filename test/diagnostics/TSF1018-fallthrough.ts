// expect: TSF1018 at 7:5
// Diagnostic case: a non-empty switch case that falls through.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  let r = 0;
  switch (x) {
    case 1:
      r = 5;
    case 2:
      r = 6;
      break;
  }
  return u8(r);
}
