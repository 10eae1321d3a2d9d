// expect: TSF1001 at 5:1, TSF1002 at 10:13, TSF1003 at 12:5, TSF1006 at 14:13, TSF1007 at 15:13, TSF1015 at 16:13, TSF1013 at 17:3, TSF1012 at 22:13, TSF1016 at 25:14
// Diagnostic case: one file with several different banned constructs, each of which must be reported in the same run.
import { u8 } from "tsfpga";

class Box {
  v = 1;
}

export function many(x: u8): u8 {
  const g = (y: u8) => y;
  if (x === 0) {
    throw 1;
  }
  const s = "text";
  const h = 1.25;
  const n = null;
  debugger;
  return x;
}

export function usesMath(x: u8): u8 {
  return u8(Math.min(x, 3));
}

const self = this;
