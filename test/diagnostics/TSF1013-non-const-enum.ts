// expect: TSF1013 at 5:1
// Diagnostic case: a non-const enum is reported once, where it is declared; its uses are not
// reported again (they used to give TSF3010 "'Side' is used before it is assigned").
// suggestion: const enum Side { … }
enum Side { Buy = 1, Sell = 2 }
import { u8 } from "tsfpga";
export function f(a: u8): u8 {
  return a === Side.Buy ? u8(1) : u8(0);
}
