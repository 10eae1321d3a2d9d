// expect: TSF4005 at 1:1 via lowerTop
// Diagnostic case: a file with no exported function and no kernel.
// message: exports no function and declares no kernel
import { u8 } from "tsfpga";
function f(x: u8): u8 {
  return x;
}
