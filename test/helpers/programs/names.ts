/**
 * Dialect programs with names the IR text format must carry: Unicode identifiers for a function
 * and a local, and record fields named by a number and by a string literal. Used by the IR round
 * trip tests (print → parse → print) and the differential tests.
 */
import { u8, Vec } from "tsfpga";
export interface R { 1: u8; "two": u8 }
export function café(x: u8): u8 {
  const größe = x + 1;
  return u8(größe);
}
export function numField(r: R, i: u8): R {
  const t: Vec<R, 2> = [r, { 1: i, two: i }];
  return t[i & 1];
}
