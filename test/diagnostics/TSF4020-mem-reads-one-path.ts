// expect: TSF4020 at 17:13
// Diagnostic case: two reads of different entries of one memory on one path of a step. Its block
// RAM has one read port; the identical index read twice, or reads in exclusive branches, would be
// one read (test/fixtures/programs/mem_same_index.ts, mem_exclusive.ts).
// message: memory 'counts' is read 2 times in one step, but its block RAM has one read port and one write port
// suggestion: two reads of different entries on one path need two ports
import { u32, mem, kernel, type Beat, type Step, type Mem } from "tsfpga";

interface S { n: u32; counts: Mem<u32, 256> }
interface Out { a: u32; b: u32 }
const INIT: S = { n: u32(0), counts: mem(256, u32(0)) };

// Reads the totals of two keys of one beat.
export function step(s: S, beat: Beat): Step<S, Out> {
  const a = s.counts.get(beat.bytes[0]);
  // Written as one line per read; the second needs a second port.
  const b = s.counts.get(beat.bytes[1]);
  return { state: { n: u32(s.n + 1), counts: s.counts }, out: { a, b }, valid: true };
}

export const k = kernel(INIT, step);
