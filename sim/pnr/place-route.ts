/**
 * Place and route as a library: `placeAndRoute(verilog, top, target, seed)` wraps a design in the
 * registered-port wrapper (wrapper.ts), synthesizes it with Yosys for the target's family
 * (sim/yosys.ts: the system build, else @yowasp/yosys), checks that it fits the device, runs
 * nextpnr (nextpnr.ts) and returns the resource use, the post-route fmax and the critical path
 * mapped to TypeScript lines (critical-path.ts). `placeAndRouteSeeds` synthesizes once and routes
 * with seeds 1..N, reporting the median fmax. Used by `tsfpga synth`, the bench and calibration.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NameEntry } from "../../compiler/verilog/source-map.js";
import { runYosysScript, systemYosysAvailable, type YosysEngine } from "../yosys.js";
import { mapCriticalPath, type CriticalPath } from "./critical-path.js";
import { areaByLine, GENERIC_FF, type AreaByLine } from "./area-by-line.js";
import { countCells, DEVICES, deviceNames, findNextpnr, installHint, parseStat, type Capacity, type Device } from "./devices.js";
import { firstError, runNextpnr, type NextpnrRun } from "./nextpnr.js";
import { buildWrapper, type PortLike, type Wrapper } from "./wrapper.js";

/** Why place and route stopped: unknown target, missing tool, design too big, tool failure. */
export class PnrError extends Error {
  constructor(readonly kind: "target" | "missing" | "nofit" | "yosys" | "nextpnr", message: string, readonly details?: { used?: Capacity; capacity?: Capacity }) {
    super(message);
    this.name = "PnrError";
  }
}

export interface PnrOptions {
  /** Clock nextpnr times against (MHz); default 100. */
  freqMhz?: number;
  /** Name table of the emitted module (for the TypeScript lines of the critical path). */
  names?: NameEntry[];
  /** Keep the wrapper, netlist, logs and reports in this directory (default: a temporary one, removed). */
  dir?: string;
  /** Force a Yosys build. */
  yosys?: YosysEngine;
  /** Largest number of output pins after folding (default 8). */
  pins?: number;
  /** The design's ports and clock (from its signature JSON); by default read from the module header. */
  ports?: readonly PortLike[];
  clock?: string;
  /** Stop a nextpnr run after this long. */
  timeoutMs?: number;
  /** Called with progress lines (phase starts, per-seed results). */
  progress?: (line: string) => void;
}

export interface Resources extends Capacity { carries: number }

export interface SeedResult { seed: number; fmaxMhz: number; seconds: number; criticalPath: CriticalPath }

export interface PnrResult {
  target: string;
  top: string;
  /** The design's own resources: the synthesized total minus what the wrapper adds. */
  luts: number;
  ffs: number;
  brams: number;
  dsps: number;
  /** Post-route fmax in MHz (the median over seeds for placeAndRouteSeeds). */
  fmaxMhz: number;
  /** Critical path of the (median) seed, mapped to TypeScript lines. */
  criticalPath: CriticalPath;
  total: Resources;
  wrapper: Pick<Wrapper, "inputBits" | "outputBits" | "pins" | "ffs" | "luts">;
  capacity: Capacity;
  /** nextpnr's utilisation report of the (median) seed: resource → used/available. */
  utilisation: Record<string, { used: number; available: number }>;
  seeds: SeedResult[];
  freqMhz: number;
  tools: { yosys: YosysEngine; nextpnr: string };
  seconds: { yosys: number; nextpnr: number };
  /** The design's LUT4 and flip-flops by TypeScript line (area-by-line.ts), from the synthesized netlist. */
  areaByLine: AreaByLine;
}

export function deviceOf(target: string): Device {
  const d = DEVICES[target];
  if (!d) throw new PnrError("target", `unknown --target '${target}': use one of ${deviceNames().join(", ")}`);
  return d;
}

interface Synthesized { device: Device; wrapper: Wrapper; total: Resources; dir: string; netlist: string; temp: boolean; engine: YosysEngine; seconds: number; area: AreaByLine }

async function synthesize(verilog: string, top: string, target: string, o: PnrOptions, needNextpnr = true): Promise<Synthesized> {
  const device = deviceOf(target);
  if (needNextpnr && !findNextpnr(device.family)) throw new PnrError("missing", `no nextpnr for ${device.family}: ${installHint(device.family)}`);
  const wrapper = buildWrapper(verilog, top, { pins: o.pins, ports: o.ports, clock: o.clock });
  const temp = !o.dir;
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), "tsfpga-pnr-"));
  mkdirSync(dir, { recursive: true });
  const netlist = `${top}.${device.family}.json`;
  o.progress?.(`yosys ${device.synth} (${o.yosys ?? (systemYosysAvailable() ? "system" : "wasm")})`);
  const t0 = performance.now();
  const y = await runYosysScript({ [`${top}.v`]: verilog, "pnr_wrapper.v": wrapper.verilog }, `${device.synth} -top ${wrapper.top} -json ${netlist}`, o.yosys, [netlist]);
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(join(dir, "pnr_wrapper.v"), wrapper.verilog);
  writeFileSync(join(dir, "yosys.log"), y.log + (y.stat ? `\n${y.stat}` : ""));
  if (!y.ok || !y.files[netlist]) {
    const line = y.log.split("\n").find((l) => /ERROR/.test(l)) ?? y.log.trim().split("\n").pop() ?? "";
    throw new PnrError("yosys", `yosys ${device.synth} failed on ${top}: ${line.trim()}`);
  }
  writeFileSync(join(dir, netlist), y.files[netlist]);
  const total = countCells(device.family, parseStat(y.stat));
  const area = areaByLine(y.files[netlist], o.names ?? [], device.family, { top: wrapper.top, instance: wrapper.instance });
  return { device, wrapper, total, dir, netlist, temp, engine: y.engine, seconds, area };
}

function checkFit(s: Synthesized, top: string): void {
  const cap = s.device.capacity;
  const over = (["luts", "ffs", "brams", "dsps"] as const).filter((k) => s.total[k] > cap[k]);
  if (!over.length) return;
  const what = { luts: "LUT4", ffs: "flip-flops", brams: "block RAMs", dsps: "DSPs" };
  const parts = over.map((k) => `${s.total[k].toLocaleString("en-US")} ${what[k]} > ${cap[k].toLocaleString("en-US")}`);
  throw new PnrError("nofit", `${top} does not fit ${s.device.name} (${s.device.description}): ${parts.join(", ")} (totals with the port wrapper, which adds ${s.wrapper.luts.toLocaleString("en-US")} LUT4 and ${s.wrapper.ffs.toLocaleString("en-US")} flip-flops)`, { used: s.total, capacity: cap });
}

function design(total: Resources, w: Wrapper): Capacity {
  return { luts: Math.max(0, total.luts - w.luts), ffs: Math.max(0, total.ffs - w.ffs), brams: total.brams, dsps: total.dsps };
}

async function route(s: Synthesized, top: string, seed: number, freqMhz: number, o: PnrOptions): Promise<NextpnrRun> {
  const tool = findNextpnr(s.device.family)!;
  const r = await runNextpnr(tool, s.device, s.dir, s.netlist, { seed, freqMhz, tag: `${top}.${s.device.name}.seed${seed}`, timeoutMs: o.timeoutMs });
  writeFileSync(join(s.dir, `${top}.${s.device.name}.seed${seed}.log`), r.log);
  if (!r.ok || r.fmaxMhz === undefined) {
    const over = Object.entries(r.utilisation).filter(([, v]) => v.used > v.available);
    // Yosys' counts were under the capacity (checkFit), but nextpnr packs them into more cells than the
    // device has (on iCE40 a logic cell holds one LUT4, one carry and one flip-flop).
    const t = s.total, n = (x: number) => x.toLocaleString("en-US");
    if (over.length) throw new PnrError("nofit", `${top} does not fit ${s.device.name}: ${over.map(([k, v]) => `${k} ${n(v.used)}/${n(v.available)}`).join(", ")} after packing (Yosys: ${n(t.luts)} LUT4, ${n(t.carries)} carry cells, ${n(t.ffs)} flip-flops, ${n(t.brams)} block RAMs, with the port wrapper)`, { used: s.total, capacity: s.device.capacity });
    throw new PnrError("nextpnr", `${tool.label} failed on ${top} for ${s.device.name} (seed ${seed}): ${firstError(r.log)}`);
  }
  return r;
}

/** Place and route one seed. */
export async function placeAndRoute(verilog: string, top: string, target: string, seed = 1, o: PnrOptions = {}): Promise<PnrResult> {
  return placeAndRouteSeeds(verilog, top, target, [seed], o);
}

/** Synthesize once, route with each seed; fmax is the median over seeds (see docs/synthesis.md). */
export async function placeAndRouteSeeds(verilog: string, top: string, target: string, seeds: number[], o: PnrOptions = {}): Promise<PnrResult> {
  if (!seeds.length) throw new PnrError("target", "at least one seed is needed");
  const freqMhz = o.freqMhz ?? 100;
  const s = await synthesize(verilog, top, target, o);
  try {
    checkFit(s, top);
    const runs: { run: NextpnrRun; path: CriticalPath }[] = [];
    for (const seed of seeds) {
      o.progress?.(`${findNextpnr(s.device.family)!.label} ${s.device.nextpnrArgs.join(" ")} seed ${seed}`);
      const run = await route(s, top, seed, freqMhz, o);
      const path = mapCriticalPath(run.path, o.names ?? [], s.wrapper.instance);
      runs.push({ run, path });
      o.progress?.(`seed ${seed}: ${run.fmaxMhz!.toFixed(2)} MHz (${run.seconds.toFixed(0)} s)`);
    }
    const sorted = [...runs].sort((a, b) => a.run.fmaxMhz! - b.run.fmaxMhz!);
    const mid = sorted[Math.floor((sorted.length - 1) / 2)];
    const fmax = sorted.length % 2 ? mid.run.fmaxMhz! : (mid.run.fmaxMhz! + sorted[sorted.length / 2].run.fmaxMhz!) / 2;
    const d = design(s.total, s.wrapper);
    return {
      target: s.device.name, top, ...d, fmaxMhz: Math.round(fmax * 100) / 100, criticalPath: mid.path, total: s.total,
      wrapper: { inputBits: s.wrapper.inputBits, outputBits: s.wrapper.outputBits, pins: s.wrapper.pins, ffs: s.wrapper.ffs, luts: s.wrapper.luts },
      capacity: s.device.capacity, utilisation: mid.run.utilisation,
      seeds: runs.map((r) => ({ seed: r.run.seed, fmaxMhz: Math.round(r.run.fmaxMhz! * 100) / 100, seconds: Math.round(r.run.seconds * 10) / 10, criticalPath: r.path })),
      freqMhz, tools: { yosys: s.engine, nextpnr: findNextpnr(s.device.family)!.label },
      seconds: { yosys: Math.round(s.seconds * 10) / 10, nextpnr: Math.round(runs.reduce((t, r) => t + r.run.seconds, 0) * 10) / 10 },
      areaByLine: s.area,
    };
  } finally {
    if (s.temp) rmSync(s.dir, { recursive: true, force: true });
  }
}

/**
 * What Yosys alone says, without place and route: for a device, its `synth_ice40`/`synth_ecp5`
 * counts in the port wrapper (as placeAndRouteSeeds reports them) and whether they fit; for
 * `generic`, Yosys' generic `synth -flatten -lut 4` of the design alone (no wrapper), with
 * memories left as memories (`memory_map` is skipped: a 65,536-entry memory would become flip-flops).
 */
export interface YosysOnlyResult {
  target: string;
  top: string;
  /** The design's own LUT4s and flip-flops (device: total minus wrapper; generic: the design alone). */
  luts: number;
  ffs: number;
  /** Block RAMs and DSPs of the device; null for generic (nothing is mapped to them). */
  brams: number | null;
  dsps: number | null;
  /** Memories Yosys inferred and kept (`$mem_v2`, generic only) and their bits (size × width). */
  memories: { count: number; bits: number } | null;
  /** Device totals with the wrapper, the wrapper and the capacity (null for generic). */
  total: Resources | null;
  wrapper: PnrResult["wrapper"] | null;
  capacity: Capacity | null;
  /** Whether the totals fit the device (null for generic); the message when not. */
  fits: boolean | null;
  message: string | null;
  tools: { yosys: YosysEngine };
  seconds: { yosys: number };
  areaByLine: AreaByLine;
}

export const GENERIC_TARGET = "generic";

/** The generic flow's script: `synth` up to its `fine` label, then what `fine` does except `memory_map`. */
export const GENERIC_SCRIPT = (top: string) => `synth -flatten -top ${top} -lut 4 -run :fine; opt -fast -full; techmap; opt -fast; abc -fast -lut 4; opt -fast; clean`;

/** Synthesize only (see YosysOnlyResult); the files go to `o.dir` when given. */
export async function synthesizeOnly(verilog: string, top: string, target: string, o: PnrOptions = {}): Promise<YosysOnlyResult> {
  if (target !== GENERIC_TARGET) {
    const s = await synthesize(verilog, top, target, o, false);
    try {
      let message: string | null = null;
      try { checkFit(s, top); } catch (e) { if (e instanceof PnrError) message = e.message; else throw e; }
      return {
        target: s.device.name, top, ...design(s.total, s.wrapper), memories: null, total: s.total,
        wrapper: { inputBits: s.wrapper.inputBits, outputBits: s.wrapper.outputBits, pins: s.wrapper.pins, ffs: s.wrapper.ffs, luts: s.wrapper.luts },
        capacity: s.device.capacity, fits: message === null, message, tools: { yosys: s.engine }, seconds: { yosys: Math.round(s.seconds * 10) / 10 }, areaByLine: s.area,
      };
    } finally {
      if (s.temp) rmSync(s.dir, { recursive: true, force: true });
    }
  }
  const netlist = `${top}.generic.json`;
  o.progress?.(`yosys generic synth -lut 4 (${o.yosys ?? (systemYosysAvailable() ? "system" : "wasm")})`);
  const t0 = performance.now();
  const y = await runYosysScript({ [`${top}.v`]: verilog }, `${GENERIC_SCRIPT(top)}; write_json ${netlist}`, o.yosys, [netlist]);
  const seconds = (performance.now() - t0) / 1000;
  if (o.dir) {
    mkdirSync(o.dir, { recursive: true });
    writeFileSync(join(o.dir, "yosys.log"), y.log + (y.stat ? `\n${y.stat}` : ""));
    if (y.files[netlist]) writeFileSync(join(o.dir, netlist), y.files[netlist]);
  }
  if (!y.ok || !y.files[netlist]) {
    const line = y.log.split("\n").find((l) => /ERROR/.test(l)) ?? y.log.trim().split("\n").pop() ?? "";
    throw new PnrError("yosys", `yosys generic synth failed on ${top}: ${line.trim()}`);
  }
  const cells = parseStat(y.stat);
  const sum = (pred: (t: string) => boolean) => Object.entries(cells).filter(([t]) => pred(t)).reduce((n, [, c]) => n + c, 0);
  const mods = (JSON.parse(y.files[netlist]) as { modules: Record<string, { cells: Record<string, { type: string; parameters: Record<string, string> }> }> }).modules;
  const num = (v: string | undefined) => (v === undefined ? 0 : /^[01]+$/.test(v) ? parseInt(v, 2) : Number(v));
  const mems = Object.values(mods[top]?.cells ?? {}).filter((c) => c.type === "$mem_v2" || c.type === "$mem");
  return {
    target: GENERIC_TARGET, top, luts: sum((t) => t === "$lut"), ffs: sum((t) => GENERIC_FF.test(t)), brams: null, dsps: null,
    memories: { count: mems.length, bits: mems.reduce((n, c) => n + num(c.parameters.SIZE) * num(c.parameters.WIDTH), 0) },
    total: null, wrapper: null, capacity: null, fits: null, message: null,
    tools: { yosys: y.engine }, seconds: { yosys: Math.round(seconds * 10) / 10 },
    areaByLine: areaByLine(y.files[netlist], o.names ?? [], "generic", { top, instance: "" }),
  };
}
