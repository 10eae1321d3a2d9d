// expect: TSF1021 at 9:18
// Diagnostic case: a mutated local passed to a helper whose result type (the same Vec type) could be
// the argument itself. A helper returning a type that cannot hold the Vec (e.g. { min: u8; max: u8 }) is fine.
import { u8, Vec } from "tsfpga";
function same(v: Vec<u8, 2>): Vec<u8, 2> { return v; }
export function f(x: u8): u8 {
  const v: Vec<u8, 2> = [x, x];
  v[0] = u8(1);
  const s = same(v);
  return s[1];
}
