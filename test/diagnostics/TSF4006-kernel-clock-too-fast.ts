// expect: TSF4006 at 13:1 via kernel at 5000 MHz
// Diagnostic case: a kernel at 5 GHz: no op fits the period, so the message says that and the
// fastest clock the kernel allows (its state update used to be compared with "-0.25 ns usable").
// message: at 5000 MHz the period is 0.2 ns, no more than the 0.45 ns every register stage needs
import { u32, kernel, type Beat, type Step } from "tsfpga";

interface S { total: u32 }
interface Out { total: u32 }

const INIT: S = { total: u32(0) };

// Every beat adds its first four bytes to the running total.
export function step(s: S, beat: Beat): Step<S, Out> {
  const total = u32(s.total + beat.bytes[0] + beat.bytes[1] + beat.bytes[2] + beat.bytes[3]);
  return { state: { total }, out: { total }, valid: beat.last };
}

export const running = kernel(INIT, step);
