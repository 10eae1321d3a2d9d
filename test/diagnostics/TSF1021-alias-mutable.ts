// expect: TSF1021 at 7:13
// Diagnostic case: a mutated local array copied into another variable.
import { u8, Vec } from "tsfpga";
export function f(x: u8): Vec<u8, 2> {
  const a: Vec<u8, 2> = [u8(0), u8(0)];
  a[0] = x;
  const b = a;
  return b;
}
