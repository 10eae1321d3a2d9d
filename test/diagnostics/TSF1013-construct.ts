// expect: TSF1013 at 9:3, TSF1013 at 13:3, TSF1013 at 17:9
// Diagnostic case: constructs outside the dialect, each with what to write instead: a debugger
// statement, 'var', and a destructuring pattern.
// suggestion: remove the 'debugger' statement
// suggestion: let x = … or const x = …
// suggestion: const a = r.a;
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
