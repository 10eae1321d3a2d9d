// expect: TSF4003 at 14:1 via kernel at 779 MHz
// Diagnostic case: a state update only just too slow for the clock. The delay is shown rounded up
// and the usable time rounded down, so the message never reads "0.834 ns, longer than the 0.834 ns"
// (as it did when both were rounded to the nearest).
// message: the state update takes 0.834 ns after the state register, longer than the 0.833 ns usable
import { u32, kernel, type Beat, type Step } from "tsfpga";

interface S { total: u32 }
interface Out { total: u32 }

const INIT: S = { total: u32(0) };

// Every beat adds its first four bytes to the running total; the bytes are summed ahead of the loop.
export function step(s: S, beat: Beat): Step<S, Out> {
  const total = u32(s.total + beat.bytes[0] + beat.bytes[1] + beat.bytes[2] + beat.bytes[3]);
  return { state: { total }, out: { total }, valid: beat.last };
}

export const running = kernel(INIT, step);
