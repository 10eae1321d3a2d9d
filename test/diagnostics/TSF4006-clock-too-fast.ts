// expect: TSF4006 at 7:1 via scheduleFn at 5000 MHz
// Diagnostic case: at 5 GHz the 0.2 ns period is shorter than a register needs, so no op fits;
// the message says so and names the fastest clock (it used to report a "-0.25 usable ns period").
// message: at 5000 MHz the period is 0.2 ns, no more than the 0.45 ns every register stage needs
// suggestion: the fastest clock for this design is
import { u8 } from "tsfpga";
export function f(a: u8, b: u8): u8 {
  return u8(a + b);
}
