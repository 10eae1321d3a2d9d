// expect: TSF1030 at 14:17
// Diagnostic case: a record inside the kernel state whose fields are all memories. Memories live
// in block RAM, so the record would have no bits in the state register; it needs a register field
// (or its memories can sit in the record that holds it). Reported at the step, naming the record.
// message: a state record 'book' of memories only
// suggestion: a Mem is a field of a kernel's state
import { u16, u32, mem, kernel, type Beat, type Mem, type Step } from "tsfpga";

interface Book { bids: Mem<u16, 256>; asks: Mem<u16, 256> }
interface S { n: u32; book: Book }
interface Out { bid: u16 }
const INIT: S = { n: u32(0), book: { bids: mem(256, u16(0)), asks: mem(256, u16(0)) } };

export function step(s: S, beat: Beat): Step<S, Out> {
  const bid = s.book.bids.get(beat.bytes[0]);
  return { state: { n: u32(s.n + 1), book: s.book }, out: { bid }, valid: true };
}

export const k = kernel(INIT, step);
