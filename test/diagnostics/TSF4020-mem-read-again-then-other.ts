// expect: TSF4020 at 18:9
// Diagnostic case: a read of entry a on one branch, and on the other branch the same read of a
// followed by a read of b. Reads of the identical index are one read, but on the else path two
// different entries are read, which needs two read ports.
// message: memory 'm' is read 2 times in one step
// suggestion: two reads of different entries on one path need two ports
import { u16, u32, mem, kernel, type Beat, type Step, type Mem } from "tsfpga";

interface S { n: u32; m: Mem<u16, 256> }
const INIT: S = { n: u32(0), m: mem(256, u16(0)) };

export function step(s: S, beat: Beat): Step<S, { x: u16 }> {
  let x = u16(0);
  if (beat.last) {
    x = s.m.get(beat.bytes[0]);
  } else {
    x = s.m.get(beat.bytes[0]);
    x = s.m.get(beat.bytes[1]);
  }
  return { state: { n: u32(s.n + 1), m: s.m }, out: { x }, valid: true };
}

export const k = kernel(INIT, step);
