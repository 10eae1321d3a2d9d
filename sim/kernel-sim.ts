/**
 * Software executions of a streaming kernel over captured frames: frames become 64-bit beats
 * (8 bytes per beat, byte 0 first on the wire, keep mask, last on the final beat), and the kernel
 * steps once per beat — natively (the TypeScript itself, via the runtime's kernel object) or in the
 * interpreter. Both record every output with the index of the beat that produced it, so engines
 * can be compared record by record and, later, against the RTL beat for beat.
 */
import type { Fn, KernelInfo, Package } from "../compiler/ir/ir.js";
import type { Value } from "../compiler/ir/values.js";
import { jsonToValue, jsToJson, valueToJs, valueToJson } from "../compiler/interp/convert.js";
import { kernelStepper } from "../compiler/interp/kernel.js";
import { loadNative } from "./native.js";

export interface BeatJs { bytes: number[]; keep: number; last: boolean }

/** Split a frame into beats. */
export function frameToBeats(data: Uint8Array): BeatJs[] {
  const beats: BeatJs[] = [];
  for (let off = 0; off < data.length; off += 8) {
    const n = Math.min(8, data.length - off);
    const bytes = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) bytes[i] = data[off + i];
    beats.push({ bytes, keep: (1 << n) - 1, last: off + 8 >= data.length });
  }
  return beats;
}

export interface KernelRun {
  /** Output records as JSON (wide integers as decimal strings). */
  records: unknown[];
  /** For each record, the global index of the beat whose step produced it. */
  beatOfRecord: number[];
  finalState: unknown;
  beats: number;
  wallSeconds: number;
}

export interface FrameSource { [Symbol.iterator](): Iterator<{ data: Uint8Array }> }

/** One engine stepping a kernel input by input (a beat, or a record as a JavaScript value): the record of a step (as JSON) or undefined. */
export interface KernelStepper {
  step(b: unknown): unknown;
  /** The state after the last step, as JSON. */
  state(): unknown;
}

type NativeKernel = { init: unknown; step: (s: unknown, b: unknown, c: unknown) => { state: unknown; out: unknown; valid: boolean } };

/** The kernel itself, run by Node (loaded through sim/native.ts). */
export async function nativeKernelStepper(file: string, k: KernelInfo, cfgJson: unknown): Promise<KernelStepper> {
  const mod = await loadNative(file);
  const kern = mod[k.name] as NativeKernel;
  if (!kern || typeof kern.step !== "function") throw new Error(`${file}: '${k.name}' is not a kernel`);
  const cfg = k.cfg ? valueToJs(jsonToValue(cfgJson, k.cfg, "config"), k.cfg) : undefined;
  let s = freshMems(kern.init);
  return {
    step(b) {
      const r = kern.step(s, b, cfg);
      s = r.state;
      return r.valid ? jsToJson(r.out) : undefined;
    },
    state: () => nativeStateJson(s),
  };
}

/** A runtime `Mem` (duck-typed: the user's module has its own copy of the runtime). */
interface MemLike { fresh(): MemLike; changed(): [number, unknown][] }
const isMem = (v: unknown): v is MemLike =>
  !!v && typeof v === "object" && typeof (v as MemLike).fresh === "function" && typeof (v as MemLike).changed === "function";

/** The initial state with every memory fresh (as after reset): INIT is a module-level object shared by runs. */
function freshMems(v: unknown): unknown {
  if (isMem(v)) return v.fresh();
  if (!v || typeof v !== "object" || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, freshMems(x)]));
}

/**
 * A kernel state as JSON, the same in every engine: the register fields, and for each memory a
 * top-level "mem:<path>" with the entries that differ from its reset value ([index, value] pairs).
 */
function nativeStateJson(s: unknown): unknown {
  const mems: [string, unknown][] = [];
  const strip = (v: unknown, path: string): unknown => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => {
      const p = path ? `${path}.${k}` : k;
      if (isMem(x)) { mems.push([`mem:${p}`, x.changed()]); return []; }
      return [[k, strip(x, p)]];
    }));
  };
  const regs = jsToJson(strip(s, "")) as Record<string, unknown>;
  return mems.length ? { ...regs, ...Object.fromEntries(mems.map(([k, v]) => [k, jsToJson(v)])) } : regs;
}

/** The interpreter's kernel state as JSON, in the form of nativeStateJson. */
function interpStateJson(stepper: ReturnType<typeof kernelStepper>, k: KernelInfo): unknown {
  const regs = valueToJson(stepper.state, k.state) as Record<string, unknown>;
  if (!k.mems?.length) return regs;
  const mems = k.mems.map((m) => {
    const fill = JSON.stringify(valueToJson(m.fill, m.elem));
    const changed: [number, unknown][] = [];
    stepper.mems.get(m.name)!.forEach((v, i) => { const j = valueToJson(v, m.elem); if (JSON.stringify(j) !== fill) changed.push([i, j]); });
    return [`mem:${m.name}`, changed] as const;
  });
  return { ...regs, ...Object.fromEntries(mems) };
}

/** The compiled kernel in the IR interpreter. */
export function interpKernelStepper(pkg: Package, fn: Fn, k: KernelInfo, cfgJson: unknown): KernelStepper {
  const cfg: Value | undefined = k.cfg ? jsonToValue(cfgJson, k.cfg, "config") : undefined;
  const stepper = kernelStepper(pkg, fn, k, cfg);
  return {
    step(b) {
      const out = stepper.step(jsonToValue(b, k.input, "beat"));
      return out === undefined ? undefined : valueToJson(out, k.out);
    },
    state: () => interpStateJson(stepper, k),
  };
}

function runStepper(st: KernelStepper, frames: FrameSource, onProgress?: (beats: number) => void): KernelRun {
  const t0 = performance.now();
  let beat = 0, frameCount = 0;
  const records: unknown[] = [], beatOfRecord: number[] = [];
  for (const f of frames) {
    for (const b of frameToBeats(f.data)) {
      const out = st.step(b);
      if (out !== undefined) { records.push(out); beatOfRecord.push(beat); }
      beat++;
    }
    if (onProgress && ++frameCount % 256 === 0) onProgress(beat);
  }
  return { records, beatOfRecord, finalState: st.state(), beats: beat, wallSeconds: (performance.now() - t0) / 1000 };
}

/** Run natively over all frames, holding every record (tests and small runs; see sim/kernel-run.ts to stream). */
export async function runKernelNative(file: string, k: KernelInfo, frames: FrameSource, cfgJson: unknown, onProgress?: (beats: number) => void): Promise<KernelRun> {
  return runStepper(await nativeKernelStepper(file, k, cfgJson), frames, onProgress);
}

/** Run in the interpreter over all frames, holding every record. */
export function runKernelInterp(pkg: Package, fn: Fn, k: KernelInfo, frames: FrameSource, cfgJson: unknown, onProgress?: (beats: number) => void): KernelRun {
  return runStepper(interpKernelStepper(pkg, fn, k, cfgJson), frames, onProgress);
}

/** A stepper over a pipeline's stages: `taps[s]` is stage s's record (JSON) for the last input, or undefined. */
export interface ChainStepper extends KernelStepper { taps: unknown[] }

type NativePipeline = { stages: NativeKernel[] };

/**
 * A pipeline run by Node: the runtime's pipeline object (`pipeline(a, b, …)`), stepped stage by
 * stage exactly as its own `step` does, so each stage's record can be compared.
 */
export async function nativePipelineStepper(file: string, name: string, stages: { name: string; kernel: KernelInfo }[], cfgJson: unknown[]): Promise<ChainStepper> {
  const mod = await loadNative(file);
  const p = mod[name] as NativePipeline;
  if (!p || !Array.isArray(p.stages) || p.stages.length !== stages.length) throw new Error(`${file}: '${name}' is not a pipeline of ${stages.length} kernels`);
  const ks = p.stages;
  const cfgs = stages.map(({ kernel: k }, i) => (k.cfg ? valueToJs(jsonToValue(cfgJson[i], k.cfg, "config"), k.cfg) : undefined));
  const st = ks.map((k) => freshMems(k.init));
  const taps: unknown[] = new Array(ks.length).fill(undefined);
  return {
    taps,
    step(b) {
      let v: unknown = b;
      taps.fill(undefined);
      for (let i = 0; i < ks.length; i++) {
        const r = ks[i].step(st[i], v, cfgs[i]);
        st[i] = r.state;
        if (!r.valid) return undefined;
        v = r.out;
        taps[i] = jsToJson(v);
      }
      return taps[ks.length - 1];
    },
    state: () => Object.fromEntries(stages.map((s, i) => [s.name, nativeStateJson(st[i])])),
  };
}

/** A pipeline in the interpreter: each stage's compiled step function, chained. */
export function interpPipelineStepper(stages: { name: string; pkg: Package; fn: Fn; kernel: KernelInfo }[], cfgJson: unknown[]): ChainStepper {
  const steppers = stages.map((s, i) => kernelStepper(s.pkg, s.fn, s.kernel, s.kernel.cfg ? jsonToValue(cfgJson[i], s.kernel.cfg, "config") : undefined));
  const taps: unknown[] = new Array(stages.length).fill(undefined);
  return {
    taps,
    step(b) {
      let v: Value = jsonToValue(b, stages[0].kernel.input, "input");
      taps.fill(undefined);
      for (let i = 0; i < steppers.length; i++) {
        const out = steppers[i].step(v);
        if (out === undefined) return undefined;
        v = out;
        taps[i] = valueToJson(out, stages[i].kernel.out);
      }
      return taps[stages.length - 1];
    },
    state: () => Object.fromEntries(stages.map((s, i) => [s.name, interpStateJson(steppers[i], s.kernel)])),
  };
}
