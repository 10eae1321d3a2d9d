// expect: TSF1014 at 5:12
// Diagnostic case: a local annotated with any.
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  const y: any = x;
  return x;
}
