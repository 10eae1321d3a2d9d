// expect: TSF4021 at 15:17 via kernel at 100 MHz
// Diagnostic case: a memory read whose address comes from the kernel state. A block RAM answers a
// cycle after it is addressed, and the state of this beat is known only in the loop cycle itself,
// so the read cannot be issued ahead: the address must come from the input and the configuration.
// message: the address of this read of memory 'counts' depends on the kernel state
// suggestion: compute the read address from the input and the configuration only
import { u8, u32, mem, kernel, type Beat, type Step, type Mem } from "tsfpga";

interface S { last: u8; counts: Mem<u32, 256> }
interface Out { total: u32 }
const INIT: S = { last: u8(0), counts: mem(256, u32(0)) };

// Reads the total of the previous beat's key: the address is the state field `last`.
export function step(s: S, beat: Beat): Step<S, Out> {
  const total = s.counts.get(s.last);
  return { state: { last: beat.bytes[0], counts: s.counts }, out: { total }, valid: true };
}

export const k = kernel(INIT, step);
