// A pipeline whose second kernel keeps a memory: the ITCH feed handler (examples/itch/feed.ts),
// then a kernel that counts the messages of every stock locate in a Mem<u32, 65536> keyed by the
// record's locate, and emits each record's locate with its running count. Consecutive messages of
// one symbol are the common case, so the block RAM's forwarding path is exercised on real data.
import { u16, u32, u48, u8, mem, kernel, pipeline, type Mem, type Step } from "tsfpga";
import { feed, type ItchRecord } from "../itch/feed.js";

export interface CountState { records: u32; perLocate: Mem<u32, 65536> }
export interface LocateCount { type: u8; locate: u16; timestamp: u48; count: u32; records: u32 }

const COUNT_INIT: CountState = { records: u32(0), perLocate: mem(65536, u32(0)) };

export function countStep(s: CountState, r: ItchRecord): Step<CountState, LocateCount> {
  const count = u32(s.perLocate.get(r.locate) + 1);
  s.perLocate.set(r.locate, count);
  const records = u32(s.records + 1);
  return { state: { records, perLocate: s.perLocate }, out: { type: r.type, locate: r.locate, timestamp: r.timestamp, count, records }, valid: true };
}

export const perLocate = kernel(COUNT_INIT, countStep);

/** Feed handler → per-locate counts. */
export const feedCounts = pipeline(feed, perLocate);
