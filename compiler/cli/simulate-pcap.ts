/**
 * `tsfpga simulate <kernel.ts> --pcap <capture> | --beats <file.jsonl> | --records-in <file.jsonl>`:
 * drives a streaming kernel, beat by beat, in the chosen engines (native Node, the interpreter, and
 * the Verilator RTL), compares every output record across engines as the run goes, and reports the
 * kernel's own counters (its state's `stats` record), latency in cycles, and speed end to end with
 * its parts. Everything streams: frames are read one at a time, records are compared and written
 * (`--records`) as they come, latency is a histogram; memory does not grow with the input's length.
 * The configuration comes from `--config` (JSON), with `--filter` filling a feed handler's
 * `dstIp`/`dstPort`. Output paths are checked before the work starts and written under a temporary
 * name, renamed into place only when the run completes.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, relative } from "node:path";
import { compileKernel } from "../driver.js";
import { readCaptureFile } from "../../sim/pcap/read.js";
import { frameToBeats, interpKernelStepper, nativeKernelStepper, type BeatJs, type KernelStepper } from "../../sim/kernel-sim.js";
import { byTypeOfStats, filterEndpoint, itchFitWarnings, skipReasonsText } from "../../sim/itch/feed-summary.js";
import { printDiagnostics, UserError } from "./common.js";
import { histogramSvg, page, scheduleSection, table } from "../../sim/report-html.js";
import { startKernelRtl } from "../../sim/kernel-rtl.js";
import { runKernelStream, type Histogram } from "../../sim/kernel-run.js";
import { AtomicOutput } from "../../sim/cleanup.js";
import { generateKernelHardware } from "../verilog/backend.js";
import { isBeat } from "../verilog/kernel-hw.js";
import type { DType, KernelInfo } from "../ir/ir.js";
import { jsonToValue, valueToJs } from "../interp/convert.js";
import { readJsonLines } from "../../sim/jsonl.js";

export interface PcapSimOptions {
  top?: string;
  /** Exactly one input: a capture, a file of beats, or a file of input records (JSON lines). */
  pcap?: string;
  beats?: string;
  recordsIn?: string;
  engine: string;
  filter: string;
  /** The kernel's configuration: JSON text, or @file.json. */
  config?: string;
  json?: boolean;
  records?: string;
  clockMhz?: number;
  gapCycles?: number;
  backpressure?: number;
  seed?: number;
  bubbles?: number;
  trace?: string;
  /** Write an HTML report (schedule, latency histogram, counters) to this path. */
  report?: string;
  /** Gate-level check: the Verilator engine runs the Yosys netlist for this family (sim/gate-level.ts). */
  netlist?: "ice40" | "ecp5";
}

/**
 * Idle cycles between frames by default: on 10 GbE the 12-byte inter-frame gap and the 8-byte
 * preamble take 20 byte times, 2.5 beats of a 64-bit datapath — rounded up to 3 cycles.
 */
export const DEFAULT_GAP_CYCLES = 3;

export function typeText(d: DType): string {
  switch (d.k) {
    case "int": return `${d.signed ? "i" : "u"}${d.w}`;
    case "bool": return "boolean";
    case "array": return `${typeText(d.elem)}[${d.n}]`;
    case "record": return d.name;
    case "mem": return `Mem<${typeText(d.elem)}, ${d.n}>`;
  }
}

/** The zero value of a type as JSON (wide integers as decimal strings, as jsonToValue reads them). */
function zeroJson(d: DType): unknown {
  switch (d.k) {
    case "int": return 0;
    case "bool": return false;
    case "array": return Array.from({ length: d.n }, () => zeroJson(d.elem));
    case "record": return Object.fromEntries(d.fields.map((f) => [f.name, zeroJson(f.type)]));
    case "mem": throw new Error("internal: a memory (Mem) has no value of its own");
  }
}

/**
 * The kernel's configuration record: fields given by --config, else dstIp/dstPort from --filter when
 * the record has them (the feed handler), else zero. Each bad field is an error naming it and its type.
 */
export function kernelConfig(k: KernelInfo, configText: string | undefined, filter: string): unknown {
  if (!k.cfg) {
    if (configText !== undefined) throw new UserError(`--config: kernel ${k.name} takes no configuration`);
    return undefined;
  }
  const d = k.cfg;
  if (d.k !== "record") throw new UserError(`--config: kernel ${k.name}'s configuration is not a record`);
  const fieldList = d.fields.map((f) => `${f.name}: ${typeText(f.type)}`).join(", ");
  const given = configObject(configText, `fields of ${d.name} { ${fieldList} }`);
  for (const name of Object.keys(given)) if (!d.fields.some((f) => f.name === name)) throw new UserError(`--config: ${d.name} has no field '${name}' (fields: ${fieldList})`);
  const out: Record<string, unknown> = {};
  const fromFilter = d.fields.some((f) => f.name === "dstIp") && d.fields.some((f) => f.name === "dstPort");
  let ep: { ip: number; port: number } | undefined;
  if (fromFilter) {
    try { ep = filterEndpoint(filter); } catch (e) { throw new UserError(`--filter ${filter}: ${(e as Error).message}`); }
  }
  for (const f of d.fields) {
    const v = f.name in given ? given[f.name] : fromFilter && f.name === "dstIp" ? ep!.ip : fromFilter && f.name === "dstPort" ? ep!.port : zeroJson(f.type);
    try { jsonToValue(v, f.type, `--config: field '${f.name}'`); } catch (e) { throw new UserError(`${(e as Error).message} (field '${f.name}' of ${d.name} is ${typeText(f.type)})`); }
    out[f.name] = v;
  }
  return out;
}

/** A beat from a --beats line: { bytes: 8 numbers, keep? (default 0xff), last? (default false) }. */
function beatFromJson(v: unknown, where: string): BeatJs {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new UserError(`${where}: expected an object {"bytes":[8 bytes],"keep":0..255,"last":true|false}`);
  const o = v as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!["bytes", "keep", "last"].includes(key)) throw new UserError(`${where}: a beat has no field '${key}' (fields: bytes: u8[8], keep: u8, last: boolean)`);
  const bytes = o.bytes;
  if (!Array.isArray(bytes) || bytes.length > 8 || bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) throw new UserError(`${where}: field 'bytes' must be an array of up to 8 integers 0..255 (u8[8]), got ${JSON.stringify(bytes)?.slice(0, 60)}`);
  const keep = o.keep ?? (bytes.length === 8 ? 255 : (1 << bytes.length) - 1);
  if (!Number.isInteger(keep) || (keep as number) < 0 || (keep as number) > 255) throw new UserError(`${where}: field 'keep' must be an integer 0..255 (u8), got ${JSON.stringify(o.keep)}`);
  const last = o.last ?? false;
  if (typeof last !== "boolean") throw new UserError(`${where}: field 'last' must be true or false (boolean), got ${JSON.stringify(o.last)}`);
  return { bytes: [...bytes, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 8) as number[], keep: keep as number, last };
}

/**
 * The input as groups: of beats (a frame: up to a beat with `last`), or, for a kernel that takes
 * records of another type, runs of up to 64 records; read one group at a time.
 */
export function* inputGroups(o: PcapSimOptions, k: KernelInfo): Generator<unknown[]> {
  if (o.pcap) {
    for (const f of readCaptureFile(o.pcap, { stream: true })) yield frameToBeats(f.data);
    return;
  }
  const file = (o.beats ?? o.recordsIn)!;
  const beats = isBeat(k);
  let group: unknown[] = [];
  for (const { value, line } of readJsonLines(file)) {
    const where = `${file}:${line}`;
    let b: unknown;
    if (o.beats) b = beatFromJson(value, where);
    else {
      try { b = valueToJs(jsonToValue(value, k.input, where), k.input); } catch (e) { throw new UserError((e as Error).message); }
    }
    group.push(b);
    if (beats ? (b as BeatJs).last : group.length === 64) { yield group; group = []; }
  }
  if (group.length) yield group;
}

export function checkInput(path: string, option: string): void {
  if (!existsSync(path)) throw new UserError(`${option} ${path}: no such file`);
  if (statSync(path).isDirectory()) throw new UserError(`${option} ${path}: it is a folder, not a file`);
}

/** Open an output file for writing under a temporary name now, before any work; a one-line error if it cannot be. */
export function openOutput(path: string, option: string): AtomicOutput {
  if (existsSync(path) && statSync(path).isDirectory()) throw new UserError(`cannot write ${option} ${path}: it is a folder, not a file`);
  if (!existsSync(dirname(path) || ".")) throw new UserError(`cannot write ${option} ${path}: the folder ${dirname(path)} does not exist`);
  try { return new AtomicOutput(path); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot write ${option} ${path}: ${code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "read-only file system" : code ?? (e as Error).message}`);
  }
}

/**
 * A `--config` text (JSON, or `@file` holding JSON) as a JSON object ({} when absent); `expected`
 * says what the object should hold, for the error when it is not an object.
 */
export function configObject(configText: string | undefined, expected: string): Record<string, unknown> {
  if (configText === undefined) return {};
  let text = configText;
  if (text.startsWith("@")) {
    try { text = readFileSync(text.slice(1), "utf8"); } catch (e) { throw new UserError(`--config: cannot read ${text.slice(1)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  }
  let v: unknown;
  try { v = JSON.parse(text); } catch (e) { throw new UserError(`--config${configText.startsWith("@") ? ` ${configText.slice(1)}` : ""}: not JSON: ${(e as Error).message}`); }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new UserError(`--config: expected a JSON object with ${expected}`);
  return v as Record<string, unknown>;
}

/** The engines `--engine` names, checked. */
export function simEngines(o: PcapSimOptions): string[] {
  const engines = o.engine === "all" ? ["native", "interp", "verilator"] : [o.engine];
  for (const e of engines) if (!["native", "interp", "verilator"].includes(e)) throw new UserError(`--engine must be verilator, interp, native or all (got '${o.engine}')`);
  return engines;
}

/** The one input of --pcap, --beats or --records-in, checked: its path and the option that named it. */
export function simInput(o: PcapSimOptions): { input: string; option: string } {
  const inputs = [o.pcap && "--pcap", o.beats && "--beats", o.recordsIn && "--records-in"].filter(Boolean) as string[];
  if (inputs.length !== 1) throw new UserError(`give exactly one input: --pcap, --beats or --records-in (got ${inputs.length ? inputs.join(", ") : "none"})`);
  const input = (o.pcap ?? o.beats ?? o.recordsIn)!;
  checkInput(input, inputs[0]);
  return { input, option: inputs[0] };
}

/** --records and --report, each opened now under a temporary name, before any work; `outputs` lists those opened. */
export function simOutputs(o: PcapSimOptions): { outputs: AtomicOutput[]; recordsOut?: AtomicOutput; reportOut?: AtomicOutput } {
  const recordsOut = o.records ? openOutput(o.records, "--records") : undefined;
  const reportOut = o.report ? openOutput(o.report, "--report") : undefined;
  return { outputs: [recordsOut, reportOut].filter((x): x is AtomicOutput => x !== undefined), recordsOut, reportOut };
}

function rtlGap(o: PcapSimOptions): number | null {
  return o.engine === "verilator" || o.engine === "all" ? (o.gapCycles ?? DEFAULT_GAP_CYCLES) : null;
}

/** Frames skipped for any reason: the sum of the kernel's skip* counters. */
export function skippedTotal(stats: Record<string, unknown>): number | undefined {
  const xs = Object.entries(stats).filter(([k]) => /^skip[A-Z]/.test(k)).map(([, v]) => Number(v));
  return xs.length ? xs.reduce((a, b) => a + b, 0) : undefined;
}

const r3 = (s: number) => Number(s.toFixed(3));

export function latencyByTypeOf(m: Map<string, Histogram>): Record<string, { n: number; p50: number; p99: number; max: number }> {
  return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, h]) => [k, { n: h.n, p50: h.pct(50)!, p99: h.pct(99)!, max: h.pct(100)! }]));
}

export async function simulatePcap(file: string, o: PcapSimOptions): Promise<number> {
  const t0 = performance.now();
  const engines = simEngines(o);
  const { input, option } = simInput(o);
  // Every output path is checked (and opened under a temporary name) before any work.
  const { outputs, recordsOut, reportOut } = simOutputs(o);
  const stops: (() => void)[] = [];
  try {
    const tc = performance.now();
    const r = compileKernel(file, o.top);
    if (r.diagnostics.length || !r.pkg || !r.fn || !r.kernel) { printDiagnostics(r.diagnostics); return 1; }
    const k = r.kernel;
    if (o.pcap || o.beats) {
      if (!isBeat(k)) throw new UserError(`${option}: kernel ${k.name} takes ${typeText(k.input)} records, not beats; use --records-in`);
    }
    const cfg = kernelConfig(k, o.config, o.filter);
    // The RTL is generated from the same checked IR (no second compile of the source).
    let hw: ReturnType<typeof generateKernelHardware> | undefined;
    if (engines.includes("verilator")) {
      const text = readFileSync(file, "utf8");
      hw = generateKernelHardware(r.fn, k, { clockMhz: o.clockMhz ?? 250, source: relative(process.cwd(), file).split("\\").join("/") || file, sourceHash: createHash("sha256").update(text).digest("hex") });
      if (hw.diagnostics.length || !hw.verilog) { printDiagnostics(hw.diagnostics); return 1; }
    }
    const compileSeconds = (performance.now() - tc) / 1000;
    // Software engines: the first is the reference. The Verilator engine alone still needs one (native)
    // to know which beat produced each record (latency) and to be compared with.
    const sw = engines.filter((e) => e !== "verilator");
    const refOnly = sw.length === 0 && !!hw;
    const swNames = refOnly ? ["native"] : sw;
    const steppers: { name: string; stepper: KernelStepper }[] = [];
    for (const n of swNames) steppers.push({ name: n, stepper: n === "native" ? await nativeKernelStepper(file, k, cfg) : interpKernelStepper(r.pkg, r.fn, k, cfg) });
    const tty = !!process.stderr.isTTY && !o.json;
    let rtl: Parameters<typeof runKernelStream>[0]["rtl"];
    let buildSeconds = 0, cached = false;
    if (hw) {
      if (tty) process.stderr.write(`verilator: building ${k.name} (${hw.schedule!.stages} stage(s) at ${o.clockMhz ?? 250} MHz)…\r`);
      let cb: (rec: unknown, lat: number | null) => void = () => {};
      const stream = await startKernelRtl({
        k, verilog: hw.verilog!, signature: hw.signature, cfg, onRecord: (rec, lat) => cb(rec, lat),
        backpressure: o.backpressure ?? 0, bubbles: o.bubbles ?? 0, seed: o.seed ?? 1, tracePath: o.trace, gapCycles: isBeat(k) ? o.gapCycles ?? DEFAULT_GAP_CYCLES : 0, netlist: o.netlist,
      });
      stops.push(() => stream.kill());
      buildSeconds = stream.buildSeconds; cached = stream.cached;
      rtl = { stream, attach: (f) => { cb = f; } };
    }
    const run = await runKernelStream({
      frames: inputGroups(o, k), steppers, rtl,
      sink: recordsOut ? (json) => recordsOut.write(json + "\n") : undefined,
      onProgress: tty ? (f, b, n) => process.stderr.write(`\r${engines.join("+")}: ${f.toLocaleString("en-US")} frames, ${b.toLocaleString("en-US")} beats, ${n.toLocaleString("en-US")} records   `) : undefined,
    });
    if (tty) process.stderr.write("\n");
    const state = (run.finalState ?? {}) as Record<string, unknown>;
    const stats = (state.stats ?? {}) as Record<string, unknown>;
    let mismatches = run.mismatches;
    let firstMismatch: unknown = run.firstMismatch;
    const rs = run.rtl;
    if (rs && (rs.protocolErrors || rs.hung)) { mismatches++; firstMismatch ??= { engine: "verilator", protocolErrors: rs.protocolErrors, firstProtocolError: rs.firstProtocolError ?? null, hung: rs.hung }; }
    // The kernel's readable state (kernel(…, { readable })) as the RTL's ports hold it at the end: it must equal the reference's final state.
    for (const [field, v] of Object.entries(rs?.readable ?? {})) {
      if (JSON.stringify(v) === JSON.stringify(state[field])) continue;
      mismatches++;
      firstMismatch ??= { engine: "verilator", readableState: field, got: v, expected: state[field] ?? null };
    }
    const totalSeconds = (performance.now() - t0) / 1000;
    const lat = rs ? run.latency.summary() : null;
    const names = engines;
    const engineSeconds: Record<string, number> = {};
    for (const n of swNames) engineSeconds[n === "native" && refOnly ? "reference" : n] = r3(run.engineSeconds[n]);
    const seconds = {
      total: r3(totalSeconds), compile: r3(compileSeconds),
      ...(rs ? { verilatorBuild: r3(buildSeconds), verilatorCached: cached, harness: r3(rs.cpuSeconds), decode: r3(rs.decodeSeconds), pipeWait: r3(run.pipeWaitSeconds) } : {}),
      ...engineSeconds,
    };
    const summary = {
      input: input,
      inputKind: o.pcap ? "pcap" : o.beats ? "beats" : "records",
      capture: o.pcap ?? null,
      kernel: k.name,
      config: cfg ?? null,
      engines: names,
      netlist: o.netlist ?? null,
      reference: refOnly ? "native" : swNames[0],
      frames: stats.frames ?? run.frames,
      beats: run.beats,
      packets: stats.packets,
      messages: stats.messages ?? run.records,
      records: run.records,
      byType: byTypeOfStats(stats),
      warnings: o.pcap && stats.byType !== undefined ? itchFitWarnings(o.pcap, o.filter) : [],
      skipped: stats.skipped ?? skippedTotal(stats),
      skippedByReason: Object.fromEntries(Object.entries(stats).filter(([k2]) => /^skip[A-Z]/.test(k2)).map(([k2, v]) => [k2.slice(4, 5).toLowerCase() + k2.slice(5), v])),
      sequence: stats.firstSequence !== undefined ? { first: stats.firstSequence, last: stats.lastSequence } : undefined,
      gapCycles: rtlGap(o),
      gapEvents: stats.gapEvents,
      missingMessages: stats.missingMessages,
      duplicates: stats.duplicates,
      stats,
      mismatches,
      firstMismatch,
      latencyCycles: lat,
      latencyByType: rs && lat ? latencyByTypeOf(run.latencyByType) : null,
      inputReadyLowCycles: rs?.inputReadyLowCycles ?? null,
      cycles: rs?.cycles ?? null,
      clockMhz: o.clockMhz ?? 250,
      seconds,
      recordsPerSecond: Math.round(run.records / Math.max(1e-9, totalSeconds)),
      wallSeconds: Object.fromEntries(names.map((n) => [n, r3(n === "verilator" ? rs!.cpuSeconds : run.engineSeconds[n])])),
      messagesPerSecond: Object.fromEntries(names.map((n) => [n, Math.round(run.records / Math.max(1e-9, n === "verilator" ? rs!.cpuSeconds : run.engineSeconds[n]))])),
    };
    if (recordsOut) recordsOut.commit();
    if (reportOut) {
      const flat = Object.entries(summary).filter(([, v]) => v === null || typeof v !== "object").map(([k2, v]) => [k2, v ?? "—"]);
      const hist: number[] = [];
      for (const [v, n] of [...run.latency.counts].sort((a, b) => a[0] - b[0])) for (let i = 0; i < Math.min(n, 100_000); i++) hist.push(v);
      const body = [
        `<h2>Run</h2>${table(["figure", "value"], flat)}`,
        `<h2>Time (seconds)</h2>${table(["part", "seconds"], Object.entries(seconds).map(([k2, v]) => [k2, String(v)]))}`,
        summary.byType ? `<h2>Messages by type</h2>${table(["type", "count"], Object.entries(summary.byType).sort((a, b) => b[1] - a[1]))}` : "",
        rs ? (lat ? `<h2>Latency (cycles at ${summary.clockMhz} MHz, from the beat with a message's last byte to its record)</h2>${histogramSvg(hist, "cycles")}<p>${JSON.stringify(lat)}</p>` : `<h2>Latency</h2><p>none: the kernel output no records</p>`) : "",
        `<h2>Kernel counters</h2>${table(["counter", "value"], Object.entries(stats).map(([k2, v]) => [k2, JSON.stringify(v)]))}`,
        hw?.report ? scheduleSection(hw.report) : "",
      ].join("\n");
      reportOut.write(page(`${k.name} on ${input}`, body));
      reportOut.commit();
    }
    for (const w of summary.warnings) process.stderr.write(`tsfpga: warning: ${o.pcap}: ${w}\n`);
    if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
    else {
      const part = (n: string, s: number | undefined) => (s === undefined ? "" : `${n} ${s.toFixed(1)} s`);
      const lines = [
        `${input}: ${isBeat(k) ? `${run.frames} frames, ${run.beats} beats` : `${run.beats} input records`}, kernel ${k.name} (${names.join(", ")}${refOnly ? "; native as reference" : ""})`,
        `records    ${summary.records}${summary.byType ? `  ${Object.entries(summary.byType).sort((a, b) => b[1] - a[1]).map(([k2, v]) => `${k2} ${v}`).join(" · ")}` : ""}`,
        ...summary.warnings.map((w) => `WARNING    ${w}`),
        summary.packets !== undefined ? `packets    ${summary.packets}, skipped frames ${JSON.stringify(summary.skipped)}${summary.skipped ? ` (${skipReasonsText(summary.skippedByReason, o.filter)})` : ""}` : "",
        summary.sequence ? `sequence   ${summary.sequence.first}..${summary.sequence.last}, gaps ${summary.gapEvents} (${summary.missingMessages} missing), duplicates ${summary.duplicates}` : "",
        rs ? (lat ? `latency    ${JSON.stringify(lat)} cycles at ${summary.clockMhz} MHz; input ready low ${rs.inputReadyLowCycles} cycles` : `latency    none: the kernel output no records`) : "",
        `mismatches ${mismatches}${firstMismatch ? ` (first: ${JSON.stringify(firstMismatch).slice(0, 300)})` : ""}`,
        `speed      ${summary.recordsPerSecond.toLocaleString("en-US")} records/s end to end (${totalSeconds.toFixed(1)} s: ${[
          part("compile", seconds.compile), rs ? `${part("verilator build", buildSeconds)}${cached ? " (cached)" : ""}` : "", rs ? part("harness", rs.cpuSeconds) : "", rs ? part("decode", rs.decodeSeconds) : "",
          ...Object.entries(engineSeconds).map(([n, s]) => part(n, s)),
        ].filter(Boolean).join(", ")})`,
      ].filter(Boolean);
      process.stdout.write(lines.join("\n") + "\n");
    }
    return mismatches ? 1 : 0;
  } finally {
    for (const s of stops) s();
    for (const out of outputs) out.abort();
  }
}
