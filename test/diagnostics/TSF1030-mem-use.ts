// expect: TSF1030 at 16:17
// Diagnostic case: a memory passed to a helper function. A Mem is only used through the state
// parameter of a kernel's step function (s.f.get / s.f.set).
// message: passing a memory to 'bump', which is not a kernel step, is not how a memory (Mem) is used
import { u8, u32, mem, kernel, type Beat, type Mem, type Step } from "tsfpga";

interface S { n: u32; counts: Mem<u32, 256> }
const INIT: S = { n: u32(0), counts: mem(256, u32(0)) };

// A helper cannot take the memory: the step must read and write it itself.
function bump(counts: Mem<u32, 256>, key: u8): u32 {
  return counts.get(key);
}

export function step(s: S, beat: Beat): Step<S, { total: u32 }> {
  const total = bump(s.counts, beat.bytes[0]);
  return { state: { n: u32(s.n + 1), counts: s.counts }, out: { total }, valid: true };
}

export const k = kernel(INIT, step);
