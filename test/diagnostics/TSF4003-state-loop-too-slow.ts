// expect: TSF4003 at 11:1 via kernel at 2000 MHz
// Diagnostic case: a kernel whose state update (a 32-bit add) cannot settle in one 0.5 ns cycle.
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
