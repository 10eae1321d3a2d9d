// expect: TSF1005 at 5:26
// Diagnostic case: an array spread that would allocate a new array.
import { u8, Vec } from "tsfpga";
export function f(a: Vec<u8, 2>): Vec<u8, 2> {
  const b: Vec<u8, 2> = [...a];
  return b;
}
