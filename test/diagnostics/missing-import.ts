// expect: TS2304 at 7:34, TS2304 at 8:10
// Diagnostic case (cannot be reached by a tsfpga code: TypeScript reports it): u16 used without
// being imported gives TypeScript's error at each use with the import to add, and nothing else
// (it used to add TSF2002 "type 'u16' has no hardware representation").
// suggestion: import { u16 } from "tsfpga"
import { u8 } from "tsfpga";
export function f(a: u8, b: u8): u16 {
  return u16(a + b);
}
