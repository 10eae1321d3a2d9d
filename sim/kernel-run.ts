/**
 * Streaming runs of a kernel in several engines at once, for inputs of any length: frames are
 * read one at a time and every software engine steps each beat in lockstep (their records and
 * final states must be equal); the Verilator engine receives the same beats through a pipe, and its
 * records are compared, as they arrive, with a short queue of the reference engine's records.
 * Latency in cycles is kept as a histogram (exact percentiles, bounded memory), also per message
 * type. Records are not held: an optional sink receives each one (e.g. a --records file).
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
  mismatches: number;
  firstMismatch?: Mismatch;
  /** Final state of the reference engine (JSON), or null without a software engine. */
  finalState: unknown;
  latency: Histogram;
  latencyByType: Map<string, Histogram>;
  rtl?: RtlStreamSummary;
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

/**
 * Run `frames` through the software `steppers` (the first is the reference) and `rtl` (optional).
 * `sink` gets each reference record as JSON text (or the RTL's when no software engine is named).
 */
export async function runKernelStream(opts: {
  /** Groups of inputs, one at a time (a frame of beats each: see frameToBeats; or a run of input records). */
  frames: Iterable<unknown[]>;
  steppers: { name: string; stepper: KernelStepper }[];
  rtl?: { stream: RtlStream; attach(onRecord: (rec: unknown, latency: number | null) => void): void };
  sink?: (json: string) => void;
  onProgress?: (frames: number, beats: number, records: number) => void;
}): Promise<StreamRunResult> {
  const t0 = performance.now();
  const { steppers, rtl, sink } = opts;
  const names = steppers.map((s) => s.name);
  const engineSeconds: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const latency = new Histogram();
  const latencyByType = new Map<string, Histogram>();
  let mismatches = 0, firstMismatch: Mismatch | undefined;
  const miss = (m: Mismatch) => { mismatches++; firstMismatch ??= m; };
  // Reference records not yet matched by the RTL, oldest first (a ring that stays as short as the pipeline).
  const pending: { json: string; type: string; index: number }[] = [];
  let head = 0, rtlIndex = 0, records = 0;
  if (rtl) rtl.attach((rec, lat) => {
    const json = JSON.stringify(rec);
    const ref = head < pending.length ? pending[head++] : undefined;
    if (head > 4096 && head * 2 > pending.length) { pending.splice(0, head); head = 0; }
    if (!steppers.length) { records++; sink?.(json); }
    if (ref && ref.json !== json) miss({ index: rtlIndex, engines: [names[0], "verilator"], expected: JSON.parse(ref.json), got: rec });
    if (!ref && steppers.length) miss({ index: rtlIndex, engines: [names[0], "verilator"], expected: null, got: rec });
    rtlIndex++;
    if (lat !== null) {
      latency.add(lat);
      const key = ref?.type ?? typeKey(rec);
      (latencyByType.get(key) ?? latencyByType.set(key, new Histogram()).get(key)!).add(lat);
    }
  });
  let frames = 0, beats = 0, pipeWait = 0;
  const outs: unknown[][] = steppers.map(() => []);
  for (const f of opts.frames) {
    const bs: unknown[] = f;
    const marks: boolean[] = new Array(bs.length).fill(false);
    for (let e = 0; e < steppers.length; e++) {
      const s0 = performance.now(), st = steppers[e].stepper, o = outs[e];
      for (let i = 0; i < bs.length; i++) o[i] = st.step(bs[i]);
      engineSeconds[names[e]] += performance.now() - s0;
    }
    for (let i = 0; steppers.length && i < bs.length; i++) {
      const ref = outs[0][i];
      if (ref === undefined) {
        for (let e = 1; e < steppers.length; e++) if (outs[e][i] !== undefined) miss({ index: `beat ${beats + i}`, engines: [names[0], names[e]], expected: null, got: outs[e][i] });
        continue;
      }
      const json = JSON.stringify(ref);
      for (let e = 1; e < steppers.length; e++) {
        const other = outs[e][i] === undefined ? undefined : JSON.stringify(outs[e][i]);
        if (other !== json) miss({ index: records, engines: [names[0], names[e]], expected: ref, got: outs[e][i] ?? null });
      }
      marks[i] = true;
      if (rtl) pending.push({ json, type: typeKey(ref), index: records });
      records++;
      sink?.(json);
    }
    beats += bs.length;
    frames++;
    if (rtl) {
      const w = rtl.stream.push(bs, marks);
      if (w) { const w0 = performance.now(); await w; pipeWait += performance.now() - w0; }
    }
    if (frames % 256 === 0) {
      opts.onProgress?.(frames, beats, records);
      // Let the event loop run now and then (pipe output, and Ctrl-C: its handler removes temporary files).
      if (!rtl) await new Promise((res) => setImmediate(res));
    }
  }
  let rtlSummary: RtlStreamSummary | undefined;
  if (rtl) {
    const w0 = performance.now();
    rtlSummary = await rtl.stream.finish(steppers.length ? records : -1);
    pipeWait += performance.now() - w0;
    for (; head < pending.length; head++) miss({ index: rtlIndex++, engines: [names[0], "verilator"], expected: JSON.parse(pending[head].json), got: null });
  }
  const finalState = steppers.length ? steppers[0].stepper.state() : null;
  for (let e = 1; e < steppers.length; e++) {
    if (JSON.stringify(steppers[e].stepper.state()) !== JSON.stringify(finalState)) miss({ index: "final state", engines: [names[0], names[e]] });
  }
  for (const n of names) engineSeconds[n] /= 1000;
  return {
    frames, beats, records: steppers.length ? records : rtlIndex, mismatches, firstMismatch, finalState, latency, latencyByType,
    rtl: rtlSummary, engineSeconds, pipeWaitSeconds: pipeWait / 1000, wallSeconds: (performance.now() - t0) / 1000,
  };
}
