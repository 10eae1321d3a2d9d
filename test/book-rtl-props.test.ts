// Property tests of the dialect book (examples/book/book.ts, the `book` kernel alone on
// ItchRecords) in every engine: random order lifecycles from the reference book's generator
// (test/reference-book/lifecycles.ts: the same order touched on consecutive records, replace chains,
// executions and cancels down to zero, levels emptying and refilling, deep levels moving into the
// top 8, and the bad input — duplicate adds, over-executions, unknown references, zero shares, bad
// sides, a locate that is not the order's, unwatched symbols, level overflow — plus new references
// aimed at a live order's set, so sets fill up and replaces move between sets), each run natively,
// in the interpreter and in Verilator with no stalls (records on consecutive cycles: the forwarding
// paths) or random backpressure and bubbles, and compared with the reference book configured as
// the dialect book (2^10 sets × 2 way memories, 16 levels a side): every update, the final dump
// and table, and the RTL's `state_stats`. fast-check with a fixed seed; the test requires each hard
// case to occur.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FAST_BUILD, FULL } from "./cosim-helpers.js";
import { INDEX_BITS, WAYS, referenceFor } from "./reference-book/engines.js";
import { cmdArb, Coverage, lifecycleRecords, type Cmd } from "./reference-book/lifecycles.js";
import { bookClockMhz, bookHardware, runBook } from "./reference-book/run-book.js";
import type { BookInput, LiveOrder } from "./reference-book/book.js";

// Compile the book and generate its hardware while the file is collected: a long synchronous step
// inside a test keeps the worker from answering the runner (a spurious RPC timeout under load).
bookHardware();

const WATCH = [10, 11];
const OPTS = { watched: [10, 11] as [number, number], unwatched: 12, sets: 1 << INDEX_BITS };
/** Stall settings, taken in turn by the lifecycles: none (back-to-back records), some, heavy. */
const PRESSURE = [0, 0.3, 0.6];

/** The records of one lifecycle, aimed with a reference book as the model; the hard cases tallied. */
function lifecycle(cmds: readonly Cmd[], cov: Coverage, watch = WATCH, opts = OPTS): BookInput[] {
  const model = referenceFor(watch);
  const live = () => [...model.liveOrders()];
  const map = () => new Map<bigint, LiveOrder>(live().map((o) => [o.ref, o]));
  const out: BookInput[] = [];
  cov.reset();
  for (const r of lifecycleRecords(cmds, live, opts, () => model.tableSlots())) {
    cov.pre(r, map());
    cov.ways(r, model.tableSlots(), WAYS);
    model.apply(r);
    cov.post(r, map());
    out.push(r);
  }
  cov.addCounters(model.counters as unknown as Record<string, number>);
  return out;
}

const show = (rs: BookInput[]) => rs.map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))).join("\n");

describe("the dialect book on random order lifecycles: native = interpreter = Verilator = reference", () => {
  it("fixed seed; every hard case occurs", async () => {
    const cov = new Coverage(OPTS.sets);
    let run = 0, records = 0, updates = 0;
    const secs = { native: 0, interp: 0, wall: 0 };
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 150, maxLength: 400, size: "max" }), async (cmds) => {
        const rs = lifecycle(cmds, cov);
        const p = PRESSURE[run++ % PRESSURE.length]!;
        const r = await runBook({ records: rs }, WATCH, { interp: true, rtl: { backpressure: p, bubbles: p, seed: run, buildFlags: FAST_BUILD } });
        records += r.records;
        secs.interp += r.stream.engineSeconds.interp ?? 0; secs.native += r.stream.engineSeconds.native ?? 0; secs.wall += r.seconds;
        updates += r.updates;
        const bad = r.stream.mismatches || r.updateDiffs.length || r.dumpDiffs.length || r.rtlStatsDiffs.length || r.stream.rtls.some((t) => t.summary.protocolErrors || t.summary.hung);
        if (bad) {
          console.log(`book-rtl-props: lifecycle ${run} (stalls ${p}) fails: ${JSON.stringify({ engines: r.stream.firstMismatch, updates: r.updateDiffs.slice(0, 3), dump: r.dumpDiffs.slice(0, 5), rtlStats: r.rtlStatsDiffs.slice(0, 5) })}\n${rs.length} records:\n${show(rs)}`);
        }
        expect(r.stream.firstMismatch).toBeUndefined();
        expect(r.updateDiffs).toEqual([]);
        expect(r.dumpDiffs).toEqual([]);
        expect(r.rtlStatsDiffs).toEqual([]);
      }),
      { seed: 20261201, numRuns: FULL ? 240 : 24, endOnFailure: true },
    );
    console.log(`book-rtl-props: ${run} lifecycles, ${records} records, ${updates} updates, RTL at ${bookClockMhz()} MHz, ${JSON.stringify(secs)} ${((performance.now() - t0) / 1000).toFixed(1)} s; ${JSON.stringify(cov.n)}`);
    const min = FULL ? 50 : 5;
    for (const k of ["consecutive", "chain3", "toZero", "refilled", "deepUp", "replaceSameSet", "replaceOtherSet", "uOtherSetFull", "uOnlyOldWay", "uOtherSetFree", "duplicateAdd", "unknownRef", "zeroShares", "badSide", "locateMismatch", "notWatched", "otherTypes", "levelOverflow", "levelFull", "tableFull", "overExecute", "overCancel"]) {
      expect(cov.n[k] ?? 0, k).toBeGreaterThan(min);
    }
  }, 1_800_000);

  it("a watchlist with repeats and locate 0 (slots 7, 0, 7, 0: the first match wins): native = interpreter = Verilator = reference", async () => {
    const watch = [7, 0, 7, 0];
    const opts = { watched: [0, 7] as [number, number], unwatched: 12, sets: OPTS.sets };
    const cov = new Coverage(OPTS.sets);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 150, maxLength: 300, size: "max" }), async (cmds) => {
        const rs = lifecycle(cmds, cov, watch, opts);
        const p = PRESSURE[run++ % PRESSURE.length]!;
        const r = await runBook({ records: rs }, watch, { interp: true, rtl: { backpressure: p, bubbles: p, seed: 100 + run, buildFlags: FAST_BUILD } });
        if (r.stream.mismatches || r.updateDiffs.length || r.dumpDiffs.length || r.rtlStatsDiffs.length) console.log(`book-rtl-props: repeated watchlist, lifecycle ${run} fails:\n${show(rs)}`);
        expect(r.stream.firstMismatch).toBeUndefined();
        expect(r.updateDiffs).toEqual([]);
        expect(r.dumpDiffs).toEqual([]);
        expect(r.rtlStatsDiffs).toEqual([]);
      }),
      { seed: 7, numRuns: FULL ? 30 : 3, endOnFailure: true },
    );
    expect(cov.n.added).toBeGreaterThan(100);
    expect(cov.n.notWatched).toBeGreaterThan(5);
  }, 900_000);

  it("extreme values (prices 0 to 2^32−1, references differing only above the set bits, locates 65535 and 0, the last timestamps and sequence numbers): all engines = reference", async () => {
    const watch = [65535, 0];
    const opts = { watched: [65535, 0] as [number, number], unwatched: 12, sets: OPTS.sets };
    // Bijections that keep what the book depends on: a reference's set (its low bits), prices' identity.
    const HIGH = 0xabcd_ef01_2345_67n << BigInt(INDEX_BITS);
    const ref = (x: bigint) => (x ^ HIGH) & 0xffff_ffff_ffff_ffffn;
    // Prices 1000…1057 → 0, 75,000,000, …; the asks' level of huge orders (1010) ↔ 2^32−1.
    const price = (p: number) => (p < 1000 ? p : p === 1010 ? 0xffff_ffff : p === 1057 ? 10 * 75_000_000 : (p - 1000) * 75_000_000);
    const wide = (r: BookInput): BookInput => ({
      ...r, orderRef: ref(r.orderRef), newOrderRef: ref(r.newOrderRef), price: price(r.price),
      timestamp: (1n << 48n) - 1n - 100_000n + (r.timestamp % 100_000n), sequence: (1n << 64n) - 1n - 100_000n + r.sequence,
    });
    const cov = new Coverage(OPTS.sets);
    let run = 0;
    const seen = { price0: 0, priceMax: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 150, maxLength: 300, size: "max" }), async (cmds) => {
        const rs = lifecycle(cmds, cov, watch, opts).map(wide);
        for (const r of rs) { if (r.price === 0 && r.shares) seen.price0++; if (r.price === 0xffff_ffff) seen.priceMax++; }
        const p = PRESSURE[run++ % PRESSURE.length]!;
        const r = await runBook({ records: rs }, watch, { interp: true, rtl: { backpressure: p, bubbles: p, seed: 200 + run, buildFlags: FAST_BUILD } });
        if (r.stream.mismatches || r.updateDiffs.length || r.dumpDiffs.length || r.rtlStatsDiffs.length) console.log(`book-rtl-props: extreme values, lifecycle ${run} fails: ${JSON.stringify({ engines: r.stream.firstMismatch, updates: r.updateDiffs.slice(0, 3), dump: r.dumpDiffs.slice(0, 5) })}\n${show(rs)}`);
        expect(r.stream.firstMismatch).toBeUndefined();
        expect(r.updateDiffs).toEqual([]);
        expect(r.dumpDiffs).toEqual([]);
        expect(r.rtlStatsDiffs).toEqual([]);
      }),
      { seed: 99, numRuns: FULL ? 30 : 3, endOnFailure: true },
    );
    expect(seen.price0).toBeGreaterThan(5);
    expect(seen.priceMax).toBeGreaterThan(5);
  }, 900_000);

  it("directed edge cases: a U onto its own reference, a U into a full set freed by itself, totals at exactly 2^32−1, a full side, then every engine", async () => {
    let seq = 0n;
    const rec = (type: string, o: Partial<BookInput>): BookInput => ({
      type: type.charCodeAt(0), locate: 10, timestamp: 34_200_000_000_000n + seq, sequence: ++seq, orderRef: 0n, newOrderRef: 0n, side: 0, shares: 0, price: 0, executedShares: 0, canceledShares: 0, ...o,
    });
    const B = 66, S = 83, SETS = BigInt(OPTS.sets);
    const add = (ref: bigint, side: number, price: number, shares: number, locate = 10) => rec("A", { orderRef: ref, side, price, shares, locate });
    const rs: BookInput[] = [
      add(1n, B, 100, 10),
      rec("U", { orderRef: 1n, newOrderRef: 1n, price: 101, shares: 20 }), // onto its own reference: replaced
      add(1n + SETS, B, 100, 5), // set 1 is now full (ways 0 and 1)
      rec("U", { orderRef: 1n + SETS, newOrderRef: 1n + 2n * SETS, price: 102, shares: 7 }), // same full set: its own way frees room
      rec("U", { orderRef: 1n, newOrderRef: 2n + SETS, price: 103, shares: 9 }), // another set, empty: way 0 is the old way's number, takes way 1
      add(2n, B, 99, 1), // set 2: way 0 free
      add(3n, S, 200, 0xffff_fff0),
      add(4n, S, 200, 0x0f), // exactly 2^32−1 at one level
      add(5n, S, 200, 1), // one more: levelOverflow
      rec("E", { orderRef: 3n, executedShares: 0xffff_ffff }), // over-execute the big order
      rec("U", { orderRef: 4n, newOrderRef: 6n, price: 200, shares: 0xffff_ffff }), // remove then add the whole u32 back at the same level
    ];
    // Locate 11: 16 bid levels, then a 17th better than all (levelFull), an order at an existing level (fits), the best deleted and the 17th
    // added, the worst deleted and a level at price 1 added.
    for (let i = 0; i < 16; i++) rs.push(add(100n + BigInt(i), B, 500 + i, 10 + i, 11));
    rs.push(add(200n, B, 600, 5, 11), add(201n, B, 505, 5, 11), rec("D", { orderRef: 115n, locate: 11 }), add(202n, B, 600, 5, 11), rec("D", { orderRef: 100n, locate: 11 }), add(203n, B, 1, 3, 11));
    for (const p of [0, 0.5]) {
      const r = await runBook({ records: rs }, WATCH, { interp: true, rtl: { backpressure: p, bubbles: p, seed: 300, buildFlags: FAST_BUILD } });
      expect(r.stream.firstMismatch).toBeUndefined();
      expect(r.updateDiffs).toEqual([]);
      expect(r.dumpDiffs).toEqual([]);
      expect(r.rtlStatsDiffs).toEqual([]);
      const c = r.counters;
      expect([c.replaced, c.levelOverflow, c.overExecute, c.levelFull, c.tableFull]).toEqual([4, 1, 1, 1, 0]);
    }
  }, 900_000);
});
