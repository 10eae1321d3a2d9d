/**
 * Streaming runs of a kernel in several engines at once, for inputs of any length: frames are
 * read one at a time and every software engine steps each beat in lockstep (their records and
 * final states must be equal); the Verilator engine receives the same beats through a pipe, and its
 * records are compared, as they arrive, with a short queue of the reference engine's records.
 * Latency in cycles is kept as a histogram (exact percentiles, bounded memory), also per message
 * type. Records are not held: an optional sink receives each one (e.g. a --records file).
 * A pipeline of kernels is run the same way with every kernel boundary compared: a stepper with
 * `taps` gives the record (or none) of each stage for every input, all engines' taps are compared,
 * and each RTL stream (a single kernel's module fed with the reference records of the boundary
 * before it, or the whole pipeline's top module) is compared at the boundary it ends at.
 */
import type { KernelStepper } from "./kernel-sim.js";
import type { RtlStream, RtlStreamSummary } from "./kernel-rtl.js";

/** Exact percentiles over a bounded set of distinct values: value → count. */
export class Histogram {
  readonly counts = new Map<number, number>();
  n = 0;
  add(v: number): void { this.counts.set(v, (this.counts.get(v) ?? 0) + 1); this.n++; }
  /** The value at rank floor(p/100 · n) (clamped), as a sort of all values would give; null when empty. */
  pct(p: number): number | null {
    if (!this.n) return null;
    const rank = Math.min(this.n - 1, Math.floor((p / 100) * this.n));
    let seen = 0;
    for (const v of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(v)!;
      if (seen > rank) return v;
    }
    return null;
  }
  /** Every value repeated by its count, in order (for plots of small histograms). */
  summary(): { min: number; p50: number; p99: number; max: number } | null {
    return this.n ? { min: this.pct(0)!, p50: this.pct(50)!, p99: this.pct(99)!, max: this.pct(100)! } : null;
  }
}

export interface Mismatch { index: number | string; engines: [string, string]; expected?: unknown; got?: unknown }

export interface StreamRunResult {
  frames: number;
  beats: number;
  /** Records of the reference (first software) engine, or of the RTL when it runs alone. */
  records: number;
  /** Records of the reference engine at each kernel boundary (one entry for a single kernel). */
  recordsByStage: number[];
  mismatches: number;
  firstMismatch?: Mismatch;
  /** Final state of the reference engine (JSON), or null without a software engine. */
  finalState: unknown;
  /** Latency of the first RTL stream (for a pipeline: the whole pipeline, end to end). */
  latency: Histogram;
  latencyByType: Map<string, Histogram>;
  rtl?: RtlStreamSummary;
  /** Every RTL stream in the order given: its label, summary and latency. */
  rtls: { label: string; summary: RtlStreamSummary; latency: Histogram }[];
  /** Seconds spent in each software engine's steps (wall, measured around each call). */
  engineSeconds: Record<string, number>;
  /** Seconds waiting for the Verilator pipe (the harness is slower than the software engines). */
  pipeWaitSeconds: number;
  wallSeconds: number;
}

function typeKey(rec: unknown): string {
  const t = (rec as { type?: unknown } | null)?.type;
  return typeof t === "number" ? String.fromCharCode(t) : "?";
}

/** One RTL run inside a stream: which boundary feeds it (-1: the input itself) and which it ends at. */
export interface RtlTap {
  label: string;
  stream: RtlStream;
  attach(onRecord: (rec: unknown, latency: number | null) => void): void;
  /** The stage whose records are its inputs (-1: the run's own inputs). */
  from: number;
  /** The stage whose records it outputs. */
  to: number;
}

/**
 * Run `frames` through the software `steppers` (the first is the reference) and `rtl` (optional) or
 * `rtls` (several, for a pipeline). `sink` gets each reference record (of the last stage) as JSON
 * text (or the RTL's when no software engine is named). `stages` names the kernel boundaries.
 */
export async function runKernelStream(opts: {
  /** Groups of inputs, one at a time (a frame of beats each: see frameToBeats; or a run of input records). */
  frames: Iterable<unknown[]>;
  steppers: { name: string; stepper: KernelStepper & { taps?: unknown[] } }[];
  rtl?: { stream: RtlStream; attach(onRecord: (rec: unknown, latency: number | null) => void): void };
  rtls?: RtlTap[];
  stages?: string[];
  sink?: (json: string) => void;
  onProgress?: (frames: number, beats: number, records: number) => void;
}): Promise<StreamRunResult> {
  const t0 = performance.now();
  const { steppers, sink } = opts;
  const nStages = opts.stages?.length ?? 1, lastStage = nStages - 1;
  const stageName = (i: number) => opts.stages?.[i] ?? "";
  const rtls: RtlTap[] = opts.rtls ?? (opts.rtl ? [{ label: "verilator", ...opts.rtl, from: -1, to: lastStage }] : []);
  const names = steppers.map((s) => s.name);
  const engineSeconds: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  let mismatches = 0, firstMismatch: Mismatch | undefined;
  const miss = (m: Mismatch) => { mismatches++; firstMismatch ??= m; };
  const at = (stage: number, what: string | number) => (nStages > 1 ? `${stageName(stage)} ${typeof what === "number" ? `record ${what}` : what}` : what);
  const recordsByStage = new Array(nStages).fill(0);
  // Per RTL stream: reference records not yet matched, oldest first (a ring as short as the pipeline).
  const lanes = rtls.map((r) => ({ tap: r, pending: [] as { json: string; type: string }[], pushed: 0, head: 0, index: 0, latency: new Histogram(), byType: new Map<string, Histogram>() }));
  let rtlOnlyRecords = 0;
  for (const lane of lanes) lane.tap.attach((rec, lat) => {
    const json = JSON.stringify(rec);
    const ref = lane.head < lane.pending.length ? lane.pending[lane.head++] : undefined;
    if (lane.head > 4096 && lane.head * 2 > lane.pending.length) { lane.pending.splice(0, lane.head); lane.head = 0; }
    const eng = nStages > 1 ? `verilator:${lane.tap.label}` : "verilator";
    if (!steppers.length && lane === lanes[0]) { rtlOnlyRecords++; sink?.(json); }
    if (ref && ref.json !== json) miss({ index: at(lane.tap.to, lane.index), engines: [names[0], eng], expected: JSON.parse(ref.json), got: rec });
    if (!ref && steppers.length) miss({ index: at(lane.tap.to, lane.index), engines: [names[0], eng], expected: null, got: rec });
    lane.index++;
    if (lat !== null) {
      lane.latency.add(lat);
      const key = ref?.type ?? typeKey(rec);
      (lane.byType.get(key) ?? lane.byType.set(key, new Histogram()).get(key)!).add(lat);
    }
  });
  let frames = 0, beats = 0, pipeWait = 0;
  // taps[e][i][s]: engine e's record (JSON) at stage s for input i of this frame, or undefined.
  const taps: unknown[][][] = steppers.map(() => []);
  for (const f of opts.frames) {
    const bs: unknown[] = f;
    for (let e = 0; e < steppers.length; e++) {
      const s0 = performance.now(), st = steppers[e].stepper, o = taps[e];
      for (let i = 0; i < bs.length; i++) {
        const out = st.step(bs[i]);
        o[i] = st.taps ? st.taps.slice() : [out];
      }
      engineSeconds[names[e]] += performance.now() - s0;
    }
    for (let i = 0; steppers.length && i < bs.length; i++) {
      for (let s = 0; s < nStages; s++) {
        const ref = taps[0][i][s];
        if (ref === undefined) {
          for (let e = 1; e < steppers.length; e++) if (taps[e][i][s] !== undefined) miss({ index: at(s, `beat ${beats + i}`), engines: [names[0], names[e]], expected: null, got: taps[e][i][s] });
          continue;
        }
        const json = JSON.stringify(ref);
        for (let e = 1; e < steppers.length; e++) {
          const other = taps[e][i][s] === undefined ? undefined : JSON.stringify(taps[e][i][s]);
          if (other !== json) miss({ index: at(s, recordsByStage[s]), engines: [names[0], names[e]], expected: ref, got: taps[e][i][s] ?? null });
        }
        recordsByStage[s]++;
        if (s === lastStage) sink?.(json);
      }
    }
    beats += bs.length;
    frames++;
    for (const lane of lanes) {
      const { from, to } = lane.tap;
      const items: unknown[] = [], marks: boolean[] = [];
      for (let i = 0; i < bs.length; i++) {
        const t = steppers.length ? taps[0][i] : undefined;
        if (from >= 0 && t?.[from] === undefined) continue;
        items.push(from < 0 ? bs[i] : t![from]);
        const out = t?.[to];
        marks.push(out !== undefined);
        if (out !== undefined) { lane.pending.push({ json: JSON.stringify(out), type: typeKey(out) }); lane.pushed++; }
      }
      if (!items.length) continue;
      const w = lane.tap.stream.push(items, marks);
      if (w) { const w0 = performance.now(); await w; pipeWait += performance.now() - w0; }
    }
    if (frames % 256 === 0) {
      opts.onProgress?.(frames, beats, steppers.length ? recordsByStage[lastStage] : rtlOnlyRecords);
      // Let the event loop run now and then (pipe output, and Ctrl-C: its handler removes temporary files).
      if (!lanes.length) await new Promise((res) => setImmediate(res));
    }
  }
  const summaries: { label: string; summary: RtlStreamSummary; latency: Histogram }[] = [];
  for (const lane of lanes) {
    const w0 = performance.now();
    const expected = steppers.length ? lane.pushed : -1;
    const summary = await lane.tap.stream.finish(expected);
    pipeWait += performance.now() - w0;
    const eng = nStages > 1 ? `verilator:${lane.tap.label}` : "verilator";
    for (; lane.head < lane.pending.length; lane.head++) miss({ index: at(lane.tap.to, lane.index++), engines: [names[0], eng], expected: JSON.parse(lane.pending[lane.head].json), got: null });
    summaries.push({ label: lane.tap.label, summary, latency: lane.latency });
  }
  const finalState = steppers.length ? steppers[0].stepper.state() : null;
  for (let e = 1; e < steppers.length; e++) {
    if (JSON.stringify(steppers[e].stepper.state()) !== JSON.stringify(finalState)) miss({ index: "final state", engines: [names[0], names[e]] });
  }
  for (const n of names) engineSeconds[n] /= 1000;
  return {
    frames, beats, records: steppers.length ? recordsByStage[lastStage] : rtlOnlyRecords, recordsByStage, mismatches, firstMismatch, finalState,
    latency: lanes[0]?.latency ?? new Histogram(), latencyByType: lanes[0]?.byType ?? new Map(),
    rtl: summaries[0]?.summary, rtls: summaries, engineSeconds, pipeWaitSeconds: pipeWait / 1000, wallSeconds: (performance.now() - t0) / 1000,
  };
}
