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
import { INDEX_BITS, referenceFor } from "./reference-book/engines.js";
import { cmdArb, Coverage, lifecycleRecords, type Cmd } from "./reference-book/lifecycles.js";
import { bookClockMhz, runBook } from "./reference-book/run-book.js";
import type { BookInput, LiveOrder } from "./reference-book/book.js";

const WATCH = [10, 11];
const OPTS = { watched: [10, 11] as [number, number], unwatched: 12, sets: 1 << INDEX_BITS };
/** Stall settings, taken in turn by the lifecycles: none (back-to-back records), some, heavy. */
const PRESSURE = [0, 0.3, 0.6];

/** The records of one lifecycle, aimed with a reference book as the model; the hard cases tallied. */
function lifecycle(cmds: readonly Cmd[], cov: Coverage): BookInput[] {
  const model = referenceFor(WATCH);
  const live = () => [...model.liveOrders()];
  const map = () => new Map<bigint, LiveOrder>(live().map((o) => [o.ref, o]));
  const out: BookInput[] = [];
  cov.reset();
  for (const r of lifecycleRecords(cmds, live, OPTS)) {
    cov.pre(r, map());
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
      { seed: 20261201, numRuns: FULL ? 240 : 24, endOnFailure: !FULL },
    );
    console.log(`book-rtl-props: ${run} lifecycles, ${records} records, ${updates} updates, RTL at ${bookClockMhz()} MHz, ${JSON.stringify(secs)} ${((performance.now() - t0) / 1000).toFixed(1)} s; ${JSON.stringify(cov.n)}`);
    const min = FULL ? 50 : 5;
    for (const k of ["consecutive", "chain3", "toZero", "refilled", "deepUp", "replaceSameSet", "replaceOtherSet", "duplicateAdd", "unknownRef", "zeroShares", "badSide", "locateMismatch", "notWatched", "otherTypes", "levelOverflow", "levelFull", "tableFull", "overExecute", "overCancel"]) {
      expect(cov.n[k] ?? 0, k).toBeGreaterThan(min);
    }
  }, 1_800_000);
});
