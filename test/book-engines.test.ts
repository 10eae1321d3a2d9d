// The dialect book (examples/book/book.ts, feed → book as the pipeline feedBook) against the
// independent reference book (test/reference-book/book.ts, configured as the dialect book: 64
// symbols, 2^10 sets × 2 way memories, 16 levels a side) in every engine: natively, in the
// interpreter and in Verilator (the pipeline's top module, and the book's own module fed the feed's
// records, under random backpressure and bubbles). Update by update the book's records equal the
// reference's; at the end the dump derived from the book's final state (levels of the `bids`/`asks`
// memories per watched slot, live orders and their places from the way memories, counters from
// `stats`) equals the reference's dump and table, and the counters read from the RTL's `state_stats`
// ports equal the reference's. Inputs: the shared Nasdaq capture (the 64 busiest symbols and the
// busiest), the RITCH sample through `pcap from-itch`, and `pcap synth` feeds (every symbol of a
// 64-symbol feed, the busiest, the 64 busiest of 100). `make test` runs every input natively, the
// 64-symbol feed in the interpreter and Verilator too and the capture's busiest symbol in Verilator;
// `make test-full` runs every input in every engine, on longer synthetic feeds. ../shared parts skip
// with a notice when it is absent.
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { frameList } from "./helpers/feed-frames.js";
import { FAST_BUILD, FULL } from "./cosim-helpers.js";
import { bookInputsFromCapture } from "./reference-book/records.js";
import { fromItchCapture, synthCapture } from "./reference-book/feed-records.js";
import { bookClockMhz, bookHardware, figures, runBook, type BookRun, type RtlOptions } from "./reference-book/run-book.js";

const SHARED = join(import.meta.dirname, "..", "..", "shared");
const NASDAQ = join(SHARED, "data/pcap/nasdaq-20160913-moldudp64.pcap");
const RITCH = join(SHARED, "data/itch/ex20101224.TEST_ITCH_50");
const haveShared = existsSync(NASDAQ) && existsSync(RITCH);
if (!haveShared) console.warn(`book-engines: ${SHARED} is absent — the Nasdaq capture and RITCH sample comparisons are skipped`);

const BOOK_TYPES = new Set("AFECXDU".split("").map((c) => c.charCodeAt(0)));
/** Locates by how many book records they have, busiest first (ties by locate). */
function busiest(path: string): number[] {
  const n = new Map<number, number>();
  for (const r of bookInputsFromCapture(path)) if (BOOK_TYPES.has(r.type)) n.set(r.locate, (n.get(r.locate) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([l]) => l);
}
/** Locates named by the stock directory (R) of a capture, ascending. */
function directory(path: string): number[] {
  return [...new Set([...bookInputsFromCapture(path)].filter((r) => r.type === 82).map((r) => r.locate))].sort((a, b) => a - b);
}

// Compile the book and generate its hardware while the file is collected: a long synchronous step
// inside a test keeps the worker from answering the runner (a spurious RPC timeout under load).
bookHardware();

const stalls = (seed: number): RtlOptions => ({ backpressure: 0.3, bubbles: 0.3, seed, buildFlags: FAST_BUILD });

/** Every comparison clean: engines, updates, dump, RTL counters. */
function expectClean(name: string, r: BookRun): void {
  console.log(figures(name, r));
  expect(r.stream.firstMismatch, "engines disagree").toBeUndefined();
  expect(r.stream.mismatches).toBe(0);
  for (const t of r.stream.rtls) {
    expect(t.summary.protocolErrors, t.label).toBe(0);
    expect(t.summary.hung, t.label).toBe(false);
  }
  expect(r.updateDiffs, "updates vs the reference").toEqual([]);
  expect(r.dumpDiffs, "final dump vs the reference").toEqual([]);
  expect(r.rtlStatsDiffs, "RTL state_stats vs the reference").toEqual([]);
  expect(r.counters.records).toBe(r.records);
  expect(r.counters.updates).toBe(r.updates);
}

describe("the dialect book = the reference book, on pcap synth feeds", () => {
  it(`64 symbols, every one watched: native = interpreter = Verilator (30% stalls) = reference`, async () => {
    const path = synthCapture(FULL ? 20_000 : 4_000, 64, 21);
    const watch = directory(path);
    expect(watch.length).toBe(64);
    const r = await runBook({ frames: frameList(path) }, watch, { interp: true, rtl: stalls(3) });
    expectClean(`synth 64 symbols, every symbol (RTL at ${bookClockMhz()} MHz)`, r);
    expect(r.counters.notWatched).toBe(0);
    expect(r.updates).toBeGreaterThan(r.records / 4);
  }, 900_000);

  it.runIf(FULL)("64 symbols, every one watched, in Verilator with no stalls and with 60% (make test-full)", async () => {
    const path = synthCapture(4_000, 64, 21);
    for (const p of [0, 0.6]) {
      const r = await runBook({ frames: frameList(path) }, directory(path), { interp: false, rtl: { backpressure: p, bubbles: p, seed: 23, buildFlags: FAST_BUILD } });
      expectClean(`synth 64 symbols, every symbol, ${p * 100}% stalls`, r);
      if (p > 0.5) expect(r.stream.rtls[0]!.summary.inputReadyLowCycles).toBeGreaterThan(0);
    }
  }, 900_000);

  it("64 symbols, the busiest watched: native = reference (interpreter and Verilator in make test-full)", async () => {
    const path = synthCapture(FULL ? 20_000 : 4_000, 64, 21);
    const r = await runBook({ frames: frameList(path) }, busiest(path).slice(0, 1), { interp: FULL, rtl: FULL ? stalls(7) : undefined });
    expectClean("synth 64 symbols, the busiest", r);
    expect(r.counters.notWatched).toBeGreaterThan(r.counters.added);
  }, 900_000);

  it("100 symbols, the 64 busiest watched: native = reference (interpreter and Verilator in make test-full)", async () => {
    const path = synthCapture(FULL ? 40_000 : 10_000, 100, 5);
    const r = await runBook({ frames: frameList(path) }, busiest(path).slice(0, 64), { interp: FULL, rtl: FULL ? stalls(11) : undefined });
    expectClean("synth 100 symbols, the 64 busiest", r);
    expect(r.counters.notWatched).toBeGreaterThan(0);
  }, 900_000);
});

describe.skipIf(!haveShared)("the dialect book = the reference book, on shared data", () => {
  it("Nasdaq 2016-09-13 capture, the 64 busiest symbols and the busiest: native = reference, the busiest in Verilator too (all engines in make test-full)", async () => {
    const order = busiest(NASDAQ);
    for (const n of [64, 1]) {
      const r = await runBook({ frames: frameList(NASDAQ) }, order.slice(0, n), { interp: FULL, rtl: FULL || n === 1 ? stalls(13 + n) : undefined });
      expectClean(`Nasdaq capture, the ${n} busiest`, r);
      expect(r.counters.unknownRef).toBeGreaterThan(0);
    }
  }, 900_000);

  it("RITCH sample via pcap from-itch --zero-lengths, its 3 symbols: native = reference (BOB alone, interpreter and Verilator in make test-full)", async () => {
    const path = fromItchCapture(RITCH);
    const watch = directory(path);
    expect(watch.length).toBe(3);
    const all = await runBook({ frames: frameList(path) }, watch, { interp: FULL, rtl: FULL ? stalls(17) : undefined });
    expectClean("RITCH sample, every symbol", all);
    expect(all.records).toBe(12_012);
    if (FULL) {
      const one = await runBook({ frames: frameList(path) }, [watch[1]!], { interp: false, rtl: stalls(19) });
      expectClean("RITCH sample, one symbol", one);
    }
  }, 900_000);
});
