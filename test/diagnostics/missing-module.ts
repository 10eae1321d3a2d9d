// expect: TS2307 at 5:24
// Diagnostic case (cannot be reached by a tsfpga code: TypeScript reports it): an import from a
// file that does not exist is reported once, at the import (it used to add TSF1023 at each call).
import { u8 } from "tsfpga";
import { helper } from "./nothere.js";
export function f(a: u8): u8 {
  return helper(a);
}
