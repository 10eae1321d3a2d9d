// expect: TSF4007 at 9:1 via scheduleFn at 150 MHz --target ecp5-25f
// Diagnostic case: at 150 MHz the ecp5-25f model cuts this xor-then-add chain into 12 stages, and
// the valid/ready handshake through 12 stages routes slower than the period (measured: 16 stages
// of the same chain route at 143 MHz, 32 at 84 MHz), so the clock is refused, not promised.
// message: at 150 MHz this schedule has 12 stages, and the ecp5-25f delay model puts the shortest period of such a pipeline
// suggestion: lower --clock-mhz
import { u8, Vec } from "tsfpga";

export function chain12(x0: u8, b: Vec<u8, 12>, c: Vec<u8, 12>): u8 {
  let x: u8 = x0;
  for (let i = 0; i < 12; i++) x = u8((x ^ c[i]) + b[i]);
  return x;
}
