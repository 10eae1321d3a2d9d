// A pipeline: the ITCH feed handler (examples/itch/feed.ts) followed by a small kernel that takes
// the feed's ItchRecord stream, keeps the order-flow messages (A F E C X D U) of a run-time range of
// stock locates, counts them per type, and emits one WatchTick per kept message with the running
// count of its type. It stands where a book or a strategy would sit after the feed handler.
import { u8, u16, u32, u48, u64, kernel, pipeline, Vec, type Step } from "tsfpga";
import { feed, type ItchRecord } from "../itch/feed.js";

/** The watched locates: locateLo..locateHi inclusive (0..65535 watches every symbol). */
export interface WatchConfig { locateLo: u16; locateHi: u16 }

/** Counters: messages seen, ignored (other types or locates), and kept per order-flow type. */
export interface WatchState { seen: u32; ignored: u32; perType: Vec<u32, 7> }

/** One kept message: who, when, and the running count of its type (this message included). */
export interface WatchTick { type: u8; locate: u16; timestamp: u48; sequence: u64; orderRef: u64; count: u32 }

const WATCH_INIT: WatchState = { seen: u32(0), ignored: u32(0), perType: [u32(0), u32(0), u32(0), u32(0), u32(0), u32(0), u32(0)] };

// The order-flow types in counter order; 7 means "not an order-flow type".
function slotOf(t: u8): u8 {
  if (t === 0x41) return u8(0); // A
  if (t === 0x46) return u8(1); // F
  if (t === 0x45) return u8(2); // E
  if (t === 0x43) return u8(3); // C
  if (t === 0x58) return u8(4); // X
  if (t === 0x44) return u8(5); // D
  if (t === 0x55) return u8(6); // U
  return u8(7);
}

// A counter plus one when `hit`, wrapping at 2^32.
function bump(c: u32, hit: boolean): u32 {
  return hit ? u32(c + 1) : c;
}

export function watchStep(s: WatchState, r: ItchRecord, cfg: WatchConfig): Step<WatchState, WatchTick> {
  const slot = slotOf(r.type);
  const keep = slot < 7 && r.locate >= cfg.locateLo && r.locate <= cfg.locateHi;
  const p = s.perType;
  const counts: Vec<u32, 7> = [
    bump(p[0], keep && slot === 0), bump(p[1], keep && slot === 1), bump(p[2], keep && slot === 2), bump(p[3], keep && slot === 3),
    bump(p[4], keep && slot === 4), bump(p[5], keep && slot === 5), bump(p[6], keep && slot === 6),
  ];
  const count = slot < 7 ? u32(p[slot] + 1) : u32(0);
  const out: WatchTick = { type: r.type, locate: r.locate, timestamp: r.timestamp, sequence: r.sequence, orderRef: r.orderRef, count };
  const state: WatchState = { seen: u32(s.seen + 1), ignored: keep ? s.ignored : u32(s.ignored + 1), perType: counts };
  return { state, out, valid: keep };
}

export const watch = kernel(WATCH_INIT, watchStep);

/** Feed handler → watch: 64-bit beats in, WatchTick records out. */
export const feedWatch = pipeline(feed, watch);
