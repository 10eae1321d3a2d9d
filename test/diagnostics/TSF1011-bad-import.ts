// expect: TSF1011 at 4:27
// Diagnostic case: an import from a package other than tsfpga.
import { u8 } from "tsfpga";
import type { Node } from "typescript";
export function f(x: u8): u8 {
  return x;
}
