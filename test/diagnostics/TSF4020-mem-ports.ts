// expect: TSF4020 at 17:5
// Diagnostic case: a memory written twice on one path of a step. Its block RAM has one write port;
// writes in different branches of an if/else count once (lines 14 and 16 alone would be fine).
// message: memory 'counts' is written 2 times in one step, but its block RAM has one read port and one write port
// suggestion: write it once per step
import { u8, u32, mem, kernel, type Beat, type Step, type Mem } from "tsfpga";

interface S { n: u32; counts: Mem<u32, 256> }
const INIT: S = { n: u32(0), counts: mem(256, u32(0)) };

export function step(s: S, beat: Beat): Step<S, { n: u32 }> {
  const key = beat.bytes[0];
  if (beat.last) {
    s.counts.set(key, u32(1));
  } else {
    s.counts.set(key, u32(2));
    s.counts.set(u8(key + 1), u32(3));
  }
  return { state: { n: u32(s.n + 1), counts: s.counts }, out: { n: s.n }, valid: true };
}

export const k = kernel(INIT, step);
