// expect: TSF4021 at 18:13
// Diagnostic case: reads of one memory in exclusive branches chosen by the input share the read
// port through a mux on the address, but one of the addresses comes from the kernel state, which
// is not known in the cycle before the step when the address is issued. Reported at that read.
// message: the address of this read of memory 'counts' depends on the kernel state
// suggestion: compute the read address from the input and the configuration only
import { u8, u32, mem, kernel, type Beat, type Step, type Mem } from "tsfpga";

interface S { last: u8; counts: Mem<u32, 256> }
interface Out { total: u32 }
const INIT: S = { last: u8(0), counts: mem(256, u32(0)) };

export function step(s: S, beat: Beat): Step<S, Out> {
  let total = u32(0);
  if (beat.last) {
    total = s.counts.get(beat.bytes[0]);
  } else {
    total = s.counts.get(s.last);
  }
  return { state: { last: beat.bytes[0], counts: s.counts }, out: { total }, valid: true };
}

export const k = kernel(INIT, step);
