/**
 * Integer ranges: the exact interval [lo, hi] every run-time integer of a dialect program can
 * take, and the bit vector that represents it (unsigned when lo ≥ 0, two's complement
 * otherwise, of the least width that holds the interval). The front end computes a range for
 * every intermediate value; hardware widths follow from them, so nothing is ever truncated that
 * JavaScript would keep.
 */

export interface Range {
  readonly lo: bigint;
  readonly hi: bigint;
}

export function bitLength(x: bigint): number {
  return x <= 0n ? 0 : x.toString(2).length;
}

/** Width and signedness of the least bit vector that holds every value of r. */
export function reprOf(r: Range): { w: number; signed: boolean } {
  if (r.lo >= 0n) return { w: Math.max(1, bitLength(r.hi)), signed: false };
  return { w: Math.max(bitLength(-r.lo - 1n), bitLength(r.hi)) + 1, signed: true };
}

export function union(a: Range, b: Range): Range {
  return { lo: a.lo < b.lo ? a.lo : b.lo, hi: a.hi > b.hi ? a.hi : b.hi };
}

export function contains(outer: Range, inner: Range): boolean {
  return outer.lo <= inner.lo && inner.hi <= outer.hi;
}

export function rangeOfType(w: number, signed: boolean): Range {
  return signed ? { lo: -(1n << BigInt(w - 1)), hi: (1n << BigInt(w - 1)) - 1n } : { lo: 0n, hi: (1n << BigInt(w)) - 1n };
}

export function minMax(xs: bigint[]): Range {
  let lo = xs[0], hi = xs[0];
  for (const x of xs) { if (x < lo) lo = x; if (x > hi) hi = x; }
  return { lo, hi };
}

export const INT32: Range = rangeOfType(32, true);
export const UINT32: Range = rangeOfType(32, false);
export const SAFE: Range = { lo: -(2n ** 53n) + 1n, hi: 2n ** 53n - 1n };

export function rangeToString(r: Range): string {
  return r.lo === r.hi ? String(r.lo) : `${r.lo}..${r.hi}`;
}
