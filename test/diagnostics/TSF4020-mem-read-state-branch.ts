// expect: TSF4020 at 19:13
// Diagnostic case: two reads of one memory in exclusive branches, but the branch is chosen by the
// kernel state. Reads in exclusive branches share the one read port through a mux on the address,
// and the address is issued in the cycle before the step, when the state is not yet known: here
// one port cannot serve both (with `beat.last` as the condition this would compile).
// message: memory 'counts' is read 2 times in one step, but its block RAM has one read port and one write port
// suggestion: these reads are in branches chosen by the kernel state
import { u8, u32, mem, kernel, type Beat, type Step, type Mem } from "tsfpga";

interface S { odd: boolean; counts: Mem<u32, 256> }
interface Out { total: u32 }
const INIT: S = { odd: false, counts: mem(256, u32(0)) };

export function step(s: S, beat: Beat): Step<S, Out> {
  let total = u32(0);
  if (s.odd) {
    total = s.counts.get(beat.bytes[0]);
  } else {
    total = s.counts.get(u8(beat.bytes[1]));
  }
  return { state: { odd: !s.odd, counts: s.counts }, out: { total }, valid: true };
}

export const k = kernel(INIT, step);
