// Per-key running totals kept in block RAM: a kernel whose state holds a Mem. Each beat carries a
// 10-bit key (bytes 0-1), a 16-bit amount (bytes 2-3) and an operation (byte 4): 0 adds the
// amount to the key's total, 1 asks for the total, 2 sets it to the amount, 3 clears it. Every
// beat emits the key's total after the operation, with the number of beats seen so far.
import { u10, u16, u32, bits, cat, mem, kernel, type Beat, type Mem, type Step } from "tsfpga";

export interface TotalsState { beats: u32; totals: Mem<u32, 1024> }
export interface Total { key: u10; total: u32; seq: u32; op: u16 }

const INIT: TotalsState = { beats: u32(0), totals: mem(1024, u32(0)) };

export function totalsStep(s: TotalsState, beat: Beat): Step<TotalsState, Total> {
  const key = u10(cat(bits(beat.bytes[1], 1, 0), beat.bytes[0], 8));
  const amount = cat(beat.bytes[3], beat.bytes[2], 8);
  const op = bits(beat.bytes[4], 1, 0);
  const old = s.totals.get(key); // the total before this beat (every earlier beat's write included)
  let total = old;
  if (op === 0) {
    total = u32(old + amount);
    s.totals.set(key, total);
  } else if (op === 2) {
    total = u32(amount);
    s.totals.set(key, total);
  } else if (op === 3) {
    total = u32(0);
    s.totals.set(key, total);
  }
  const seq = u32(s.beats + 1);
  return { state: { beats: seq, totals: s.totals }, out: { key, total, seq, op: u16(op) }, valid: true };
}

export const totals = kernel(INIT, totalsStep);
