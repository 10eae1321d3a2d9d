// expect: TSF4007 at 9:1 via scheduleFn at 200 MHz --target ecp5-25f
// Diagnostic case: a reversal of eight 64-bit words has no logic, but the ecp5-25f model's stage
// floor grows with the routing of its 1,024 port bits (the calibration design wire512, the same
// function, routes in 4.54 ns); with the guard that floor is longer than the 5 ns period, so the
// clock is refused, not promised.
// message: at 200 MHz this schedule has 1 stages, and the ecp5-25f delay model puts the shortest period of such a pipeline
// suggestion: lower --clock-mhz
import { u64, Vec } from "tsfpga";
export function reverse8(v: Vec<u64, 8>): Vec<u64, 8> {
  return [v[7], v[6], v[5], v[4], v[3], v[2], v[1], v[0]];
}
