// expect: TSF1019 at 6:10
// Diagnostic case: a case label that is a parameter.
import { u8 } from "tsfpga";
export function f(x: u8, y: u8): u8 {
  switch (x) {
    case y:
      return u8(1);
  }
  return u8(0);
}
