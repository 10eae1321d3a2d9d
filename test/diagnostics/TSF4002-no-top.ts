// expect: TSF4002 at 1:1 via lowerTop --top missing
// Diagnostic case: a file without the requested top function.
import { u8 } from "tsfpga";
export function present(x: u8): u8 {
  return x;
}
