// expect: TSF3011 at 5:17
// Diagnostic case: a switch TypeScript thinks exhaustive that no case matches (an enum variable holding 5).
import { u8 } from "tsfpga";
export const enum Side { Buy = 66, Sell = 83 }
export function f(x: u8): u8 {
  const n = 2 + 3;
  const s: Side = n;
  switch (s) {
    case Side.Buy:
      return x;
    case Side.Sell:
      return u8(1);
  }
}
