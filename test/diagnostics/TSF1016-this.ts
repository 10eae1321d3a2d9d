// expect: TSF1016 at 4:14
// Diagnostic case: a module-level use of this.
import { u8 } from "tsfpga";
const self = this;
export function f(x: u8): u8 {
  return x;
}
