// A small streaming kernel: sums the valid bytes of each frame and emits the frame's byte count
// and 16-bit sum on its last beat; a run-time config value is added to every sum.
import { u16, u32, kernel, type Beat, type Step } from "tsfpga";

export interface SumState { bytes: u16; sum: u32; frames: u32 }
export interface SumConfig { bias: u16 }
export interface FrameSum { bytes: u16; sum: u16; frame: u32 }

const SUM_INIT: SumState = { bytes: u16(0), sum: u32(0), frames: u32(0) };

// One step per beat: accumulate the bytes whose keep bit is set; close the frame on `last`.
export function sumStep(s: SumState, beat: Beat, cfg: SumConfig): Step<SumState, FrameSum> {
  let add = 0;
  let count = 0;
  for (let i = 0; i < 8; i++) {
    if (((beat.keep >> i) & 1) === 1) {
      add = add + beat.bytes[i];
      count = count + 1;
    }
  }
  const bytes = u16(s.bytes + count);
  const sum = u32(s.sum + add);
  const out: FrameSum = { bytes, sum: u16(sum + cfg.bias), frame: s.frames };
  if (beat.last) {
    return { state: { bytes: u16(0), sum: u32(0), frames: u32(s.frames + 1) }, out, valid: true };
  }
  return { state: { bytes, sum, frames: s.frames }, out, valid: false };
}

export const frameSum = kernel(SUM_INIT, sumStep);
