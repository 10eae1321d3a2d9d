/**
 * Price arithmetic for a quoting or taking strategy on Nasdaq Price(4) values (u32 integers with
 * four implied decimals, so $1.00 is 10000 and one cent, the usual tick, is 100): mid-price, spread
 * in ticks, crossed/locked book checks, order notional (widened to 64 bits before the product),
 * best of eight levels, and saturating counters for positions and credit.
 */
import { u3, u16, u32, u64, i16, i32, div, Vec } from "tsfpga";

/** One cent in Price(4) units: the tick size of a stock priced at $1.00 or more. */
const TICK = 100;

/** The best price of a set of levels and the level it came from. */
export interface Best {
  price: u32;
  level: u3;
}

// The mid-price, rounded down: (bid + ask) reaches 2^33, so it is halved exactly with div, not >>>.
export function midPrice(bid: u32, ask: u32): u32 {
  return u32(div(bid + ask, 2));
}

// The spread ask − bid in whole ticks (truncated toward zero); negative when the book is crossed.
export function spreadTicks(bid: u32, ask: u32): i32 {
  return i32(div(ask - bid, TICK));
}

// True when the best bid is at or above the best ask (a crossed or locked book).
export function isCrossedOrLocked(bid: u32, ask: u32): boolean {
  return bid >= ask;
}

// True when a buy limit order at `limit` would take liquidity at `ask` (only if an ask exists).
export function buyWouldCross(limit: u32, ask: u32, askValid: boolean): boolean {
  return askValid && limit >= ask;
}

// Order notional shares × price (Price(4) units), both widened to u64 first: the product reaches 2^64.
export function notional(price: u32, shares: u32): u64 {
  return u64(u64(price) * u64(shares));
}

// The lowest of eight prices and its level (the first one on ties): e.g. the best ask across venues.
export function minPrice8(p: Vec<u32, 8>): Best {
  let best: u32 = p[0];
  let level = 0;
  for (let i = 1; i < 8; i++) {
    if (p[i] < best) {
      best = p[i];
      level = i;
    }
  }
  return { price: best, level: u3(level) };
}

// The highest of eight prices and its level (the first one on ties): e.g. the best bid across venues.
export function maxPrice8(p: Vec<u32, 8>): Best {
  let best: u32 = p[0];
  let level = 0;
  for (let i = 1; i < 8; i++) {
    if (p[i] > best) {
      best = p[i];
      level = i;
    }
  }
  return { price: best, level: u3(level) };
}

// Unsigned saturating add: a + b, clamped to 0xFFFF instead of wrapping.
export function satAddU16(a: u16, b: u16): u16 {
  const s = a + b;
  return u16(s > 0xffff ? 0xffff : s);
}

// Unsigned saturating subtract: a − b, clamped to 0 instead of wrapping.
export function satSubU16(a: u16, b: u16): u16 {
  return u16(a > b ? a - b : 0);
}

// Signed saturating add (e.g. a position in lots): a + b clamped to [−32768, 32767].
export function satAddI16(a: i16, b: i16): i16 {
  const s = a + b;
  if (s > 32767) {
    return i16(32767);
  }
  if (s < -32768) {
    return i16(-32768);
  }
  return i16(s);
}
