// expect: TSF1013 at 10:3, TSF1013 at 14:3, TSF1013 at 18:9, TSF1013 at 23:3
// Diagnostic case: constructs outside the dialect, each with what to write instead: a debugger
// statement, 'var', a destructuring pattern, and '++' on a sized integer.
// suggestion: remove the 'debugger' statement
// suggestion: let x = … or const x = …
// suggestion: const a = r.a;
// suggestion: x = u8(x + 1)
import { u8 } from "tsfpga";
export function f(x: u8): u8 {
  debugger;
  return x;
}
export function g(x: u8): u8 {
  var y = x;
  return y;
}
export function h(r: { a: u8; b: u8 }): u8 {
  const { a } = r;
  return a;
}
export function k(x: u8): u8 {
  let y = x;
  y++;
  return y;
}
