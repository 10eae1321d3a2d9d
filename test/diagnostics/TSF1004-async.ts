// expect: TSF1004 at 4:8, TSF2002 at 4:33
// Diagnostic case: an async function (its Promise result type has no hardware form either).
import { u8 } from "tsfpga";
export async function f(x: u8): Promise<u8> {
  return x;
}
