/**
 * Runs the dialect book (examples/book/book.ts) on inputs in the chosen engines and checks it
 * against the reference book as it goes: `feedBook` (feed handler → book) on capture frames, or
 * `book` alone on BookInputs made whole ItchRecords. Native Node is the reference engine; the
 * interpreter and Verilator (the pipeline's top module end to end, and the book's own module fed the
 * feed's records) are compared with it record by record at every kernel boundary by
 * sim/kernel-run.ts, under random backpressure and bubbles. The feed handler's records go to the
 * reference book, whose updates must equal the book's, update by update; at the end the dump
 * derived from the book's final state must equal the reference's dump and table, and the counters
 * read from the RTL's `state_stats` ports must equal the reference's counters.
 */
import { compilePipeline, type PipelineStage } from "../../compiler/driver.js";
import { generatePipelineHardware, cfgPortName } from "../../compiler/verilog/pipeline-hw.js";
import type { KernelInfo } from "../../compiler/ir/ir.js";
import { frameToBeats, interpKernelStepper, interpPipelineStepper, nativeKernelStepper, nativePipelineStepper, type KernelStepper } from "../../sim/kernel-sim.js";
import { startKernelRtl } from "../../sim/kernel-rtl.js";
import { runKernelStream, type RtlTap, type StreamRunResult } from "../../sim/kernel-run.js";
import { jsonToValue } from "../../compiler/interp/convert.js";
import { packValue } from "../../compiler/ir/values.js";
import { irTypeOf } from "../../compiler/frontend/dtypes.js";
import type { BookInput, BookCounters } from "./book.js";
import { BOOK_FILE, bookConfig, diffUpdates, dumpFromState, itchRecordOf, referenceDump, referenceFor, toBookInput, updateJson, type UpdateDiff } from "./engines.js";

export const FEED_CFG = { dstIp: 0xe9360c6f, dstPort: 26477 };
export const RTL_DIR = "build/test-book";

let compiled: { stages: PipelineStage[]; book: KernelInfo; kernel: PipelineStage } | undefined;
/** The book compiled once per test file: the pipeline's stages, and the book's stage (its kernel alone). */
export function bookCompiled() {
  if (compiled) return compiled;
  const p = compilePipeline(BOOK_FILE, "feedBook");
  if (p.diagnostics.length || !p.stages) throw new Error(`feedBook: ${JSON.stringify(p.diagnostics)}`);
  compiled = { stages: p.stages, book: p.stages[1]!.kernel, kernel: p.stages[1]! };
  return compiled;
}

/**
 * The clock the RTL is generated for: 250 MHz, or, when the book's state update cannot meet it
 * (TSF4003 names the fastest clock it can), that clock. The cycle-level behaviour compared here
 * does not depend on it beyond the schedule; the clock the book reaches is reported elsewhere.
 */
let mhz: number | undefined;
export function bookClockMhz(): number {
  if (mhz !== undefined) return mhz;
  const { stages } = bookCompiled();
  const hw = generatePipelineHardware("feedBook", stages, { clockMhz: 250, source: BOOK_FILE, sourceHash: "test" });
  const d = hw.diagnostics.find((x) => x.code === "TSF4003");
  const m = d && /fastest clock for this kernel is (\d+) MHz/.exec(d.message);
  mhz = m ? Number(m[1]) : 250;
  return mhz;
}

let hwCache: { pipe: ReturnType<typeof generatePipelineHardware> } | undefined;
/** The pipeline's hardware: its top module, and each kernel's own module (the book's runs alone too). */
export function bookHardware() {
  if (hwCache) return hwCache;
  const { stages } = bookCompiled();
  const clockMhz = bookClockMhz();
  const pipe = generatePipelineHardware("feedBook", stages, { clockMhz, source: BOOK_FILE, sourceHash: "test" });
  if (pipe.diagnostics.length) throw new Error(`feedBook at ${clockMhz} MHz: ${JSON.stringify(pipe.diagnostics).slice(0, 500)}`);
  hwCache = { pipe };
  return hwCache;
}

export interface RtlOptions { backpressure: number; bubbles: number; seed: number; buildFlags?: string[] }

export interface BookRun {
  /** Records the book consumed (the feed's output), updates it emitted. */
  records: number;
  updates: number;
  /** Update-by-update differences from the reference (the first 10). */
  updateDiffs: UpdateDiff[];
  /** Engine comparison (native vs interpreter vs each RTL module) from sim/kernel-run.ts. */
  stream: StreamRunResult;
  /** Final-state dump vs the reference's: the differing parts (JSON), empty when equal. */
  dumpDiffs: string[];
  /** Counters read from each RTL module's `state_stats` that differ from the reference's. */
  rtlStatsDiffs: string[];
  counters: BookCounters;
  seconds: number;
}

const diffKeys = (want: Record<string, unknown>, got: Record<string, unknown> | undefined, label: string): string[] =>
  !got ? [`${label}: nothing read`] : Object.keys({ ...want, ...got }).filter((k) => JSON.stringify(want[k]) !== JSON.stringify(got[k])).map((k) => `${label}.${k}: expected ${JSON.stringify(want[k])}, got ${JSON.stringify(got[k])}`);

/**
 * Runs the book on `frames` (through the feed handler, `feedBook`) or on `records` (the book alone),
 * watching `watch`, natively, in the interpreter when `interp`, and in Verilator when `rtl`.
 */
export async function runBook(input: { frames: Uint8Array[] } | { records: BookInput[] }, watch: readonly number[], o: { interp: boolean; rtl?: RtlOptions }): Promise<BookRun> {
  const t0 = performance.now();
  const { stages, book, kernel } = bookCompiled();
  const piped = "frames" in input;
  const cfg = bookConfig(watch);
  const ref = referenceFor(watch);
  const refUpdates: Record<string, unknown>[] = [];
  const got: unknown[] = [];
  let records = 0;
  // Native: each record the book takes goes to the reference too.
  const inner: KernelStepper & { taps?: unknown[] } = piped
    ? await nativePipelineStepper(BOOK_FILE, "feedBook", stages, [FEED_CFG, cfg])
    : await nativeKernelStepper(BOOK_FILE, book, cfg);
  const native = {
    taps: inner.taps,
    step(b: unknown) {
      const out = inner.step(b);
      const rec = piped ? inner.taps![0] : b;
      if (rec !== undefined) {
        records++;
        const u = ref.apply(toBookInput(rec as Record<string, unknown>));
        if (u) refUpdates.push(updateJson(u));
      }
      const upd = piped ? inner.taps![1] : out;
      if (upd !== undefined) got.push(upd);
      return out;
    },
    state: () => inner.state(),
  };
  const steppers: { name: string; stepper: KernelStepper & { taps?: unknown[] } }[] = [{ name: "native", stepper: native }];
  if (o.interp) steppers.push({ name: "interp", stepper: piped ? interpPipelineStepper(stages, [FEED_CFG, cfg]) : interpKernelStepper(kernel.pkg, kernel.fn, book, cfg) });
  const rtls: RtlTap[] = [];
  const stops: (() => void)[] = [];
  const statsType = book.state.k === "record" ? book.state.fields.find((f) => f.name === "stats")!.type : undefined;
  try {
    if (o.rtl) {
      const hw = bookHardware();
      const tap = async (label: string, from: number, to: number, args: Omit<Parameters<typeof startKernelRtl>[0], "onRecord" | "backpressure" | "bubbles" | "seed" | "workDir" | "buildFlags">) => {
        let cb: (rec: unknown, lat: number | null) => void = () => {};
        const stream = await startKernelRtl({ ...args, backpressure: o.rtl!.backpressure, bubbles: o.rtl!.bubbles, seed: o.rtl!.seed + rtls.length, workDir: RTL_DIR, buildFlags: o.rtl!.buildFlags, onRecord: (r, l) => cb(r, l) });
        stops.push(() => stream.kill());
        rtls.push({ label, stream, attach: (f) => { cb = f; }, from, to });
      };
      if (piped) {
        const cfgPorts: Record<string, bigint> = {};
        [FEED_CFG, cfg].forEach((c, i) => { if (stages[i]!.kernel.cfg) cfgPorts[cfgPortName(stages[i]!.name)] = packValue(jsonToValue(c, stages[i]!.kernel.cfg!, "cfg"), irTypeOf(stages[i]!.kernel.cfg!)); });
        // The top's readable ports are `state_stats_<stage>`: read the book's as a field `stats_book`.
        const topK: KernelInfo = { ...stages[0]!.kernel, name: "feedBook", out: book.out, cfg: undefined, readable: ["stats_book"], state: { k: "record", name: "TopStatus", fields: [{ name: "stats_book", type: statsType! }] } as KernelInfo["state"] };
        await tap("feedBook", -1, 1, { k: topK, verilog: hw.pipe.verilog!, signature: hw.pipe.signature, cfg: undefined, cfgPorts, gapCycles: 3 });
      }
      // The book's own module: fed the feed's records (pipeline), or the records themselves.
      await tap("book", piped ? 0 : -1, piped ? 1 : 0, { k: { ...book, name: hw.pipe.stages![1]!.module! }, verilog: hw.pipe.stages![1]!.verilog!, signature: hw.pipe.stages![1]!.signature, cfg, gapCycles: 0 });
    }
    const groups: Iterable<unknown[]> = piped
      ? input.frames.map((f) => frameToBeats(f))
      : (function* () {
          const rs = input.records;
          for (let i = 0; i < rs.length; i += 64) yield rs.slice(i, i + 64).map((r) => itchRecordOf(book.input, r));
        })();
    const stream = await runKernelStream({ frames: groups, steppers, rtls, stages: piped ? stages.map((s) => s.name) : ["book"] });
    const counters = { ...ref.counters };
    const state = (piped ? (stream.finalState as Record<string, unknown>).book : stream.finalState) as Record<string, unknown>;
    const mine = dumpFromState(state, watch);
    const theirs = referenceDump(ref);
    const dumpDiffs = [...mine.problems];
    const j = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    if (j(mine.dump.counters) !== j(theirs.dump.counters)) dumpDiffs.push(...diffKeys(theirs.dump.counters as never, mine.dump.counters as never, "counters"));
    if (mine.dump.liveOrders !== theirs.dump.liveOrders) dumpDiffs.push(`liveOrders: expected ${theirs.dump.liveOrders}, got ${mine.dump.liveOrders}`);
    for (let i = 0; i < Math.max(mine.dump.symbols.length, theirs.dump.symbols.length); i++) {
      const a = theirs.dump.symbols[i], b = mine.dump.symbols[i];
      if (j(a) !== j(b)) dumpDiffs.push(`symbol ${a?.locate ?? b?.locate}: expected ${j(a)}, got ${j(b)}`);
    }
    const slotKey = (s: { set: number; way: number; order: unknown }) => j(s);
    const want = new Set(theirs.slots.map(slotKey)), have = new Set(mine.slots.map(slotKey));
    for (const s of theirs.slots) if (!have.has(slotKey(s))) dumpDiffs.push(`table: missing ${slotKey(s)}`);
    for (const s of mine.slots) if (!want.has(slotKey(s))) dumpDiffs.push(`table: extra ${slotKey(s)}`);
    const rtlStatsDiffs: string[] = [];
    for (const t of stream.rtls) {
      const r = t.summary.readable as Record<string, Record<string, unknown>>;
      rtlStatsDiffs.push(...diffKeys(counters as never, t.label === "feedBook" ? r.stats_book : r.stats, `verilator:${t.label} state_stats`));
    }
    return {
      records, updates: got.length, updateDiffs: diffUpdates(refUpdates, got), stream, dumpDiffs: dumpDiffs.slice(0, 20), rtlStatsDiffs,
      counters, seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    for (const s of stops) s();
  }
}

/** One line of figures for the log. */
export function figures(name: string, r: BookRun): string {
  const lat = r.stream.rtls.map((t) => `${t.label} latency ${JSON.stringify(t.latency.summary())}`).join("; ");
  return `book-engines: ${name}: ${r.records} records, ${r.updates} updates, ${r.counters.added} added, ${r.counters.tableFull} tableFull, ${r.counters.levelFull} levelFull, ${r.counters.unknownRef} unknownRef; ` +
    `${r.seconds.toFixed(1)} s${lat ? `; ${lat}` : ""}`;
}
