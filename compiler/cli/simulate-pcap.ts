/**
 * `tsfpga simulate <kernel.ts> --pcap <capture>`: drives a streaming kernel with the frames of a
 * capture, beat by beat, in the chosen engines (native Node, the interpreter, and the Verilator
 * RTL when available), compares every output record across engines, and reports the kernel's own
 * counters (its state's `stats` record), latency in cycles, and throughput. Progress shows on a TTY.
 */
import * as fs from "node:fs";
import { compileKernel } from "../driver.js";
import { readCaptureFile } from "../../sim/pcap/read.js";
import { runKernelInterp, runKernelNative, type KernelRun } from "../../sim/kernel-sim.js";
import { byTypeOfStats, filterEndpoint, itchFitWarnings, skipReasonsText } from "../../sim/itch/feed-summary.js";
import { printDiagnostics, UserError } from "./common.js";
import { compileKernelDesign } from "./compile.js";
import { histogramSvg, page, scheduleSection, table } from "../../sim/report-html.js";
import type { ScheduleReport } from "../schedule/schedule.js";
import { runKernelRtl, type RtlKernelResult } from "../../sim/kernel-rtl.js";

export interface PcapSimOptions {
  top?: string;
  pcap: string;
  engine: string;
  filter: string;
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
}

/**
 * Idle cycles between frames by default: on 10 GbE the 12-byte inter-frame gap and the 8-byte
 * preamble take 20 byte times, 2.5 beats of a 64-bit datapath — rounded up to 3 cycles.
 */
export const DEFAULT_GAP_CYCLES = 3;

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** The run-time filter as the kernel's config record: { dstIp, dstPort } (extra fields are zero). */
function configFor(filter: string): unknown {
  let ep: { ip: number; port: number };
  try { ep = filterEndpoint(filter); } catch (e) { throw new UserError(`--filter ${filter}: ${(e as Error).message}`); }
  return { dstIp: ep.ip, dstPort: ep.port };
}

/** Latency percentiles per message type (records carry the ITCH type byte as `type`). */
function latencyByType(records: unknown[], lat: number[]): Record<string, { n: number; p50: number; p99: number; max: number }> {
  const groups = new Map<string, number[]>();
  records.forEach((r, i) => {
    if (i >= lat.length) return;
    const t = (r as { type?: unknown }).type;
    const key = typeof t === "number" ? String.fromCharCode(t) : "?";
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(lat[i]);
  });
  return Object.fromEntries([...groups].sort().map(([k, xs]) => [k, { n: xs.length, p50: pct(xs, 50), p99: pct(xs, 99), max: pct(xs, 100) }]));
}

function rtlGap(o: PcapSimOptions): number | null {
  return o.engine === "verilator" || o.engine === "all" ? (o.gapCycles ?? DEFAULT_GAP_CYCLES) : null;
}

/** Frames skipped for any reason: the sum of the kernel's skip* counters. */
function skippedTotal(stats: Record<string, unknown>): number | undefined {
  const xs = Object.entries(stats).filter(([k]) => /^skip[A-Z]/.test(k)).map(([, v]) => Number(v));
  return xs.length ? xs.reduce((a, b) => a + b, 0) : undefined;
}

export async function simulatePcap(file: string, o: PcapSimOptions): Promise<number> {
  const engines = o.engine === "all" ? ["native", "interp", "verilator"] : [o.engine];
  for (const e of engines) if (!["native", "interp", "verilator"].includes(e)) throw new UserError(`--engine must be verilator, interp, native or all (got '${o.engine}')`);
  const r = compileKernel(file, o.top);
  if (r.diagnostics.length || !r.pkg || !r.fn || !r.kernel) { printDiagnostics(r.diagnostics); return 1; }
  const cap = readCaptureFile(o.pcap);
  const frames: Uint8Array[] = [];
  for (const f of cap) frames.push(f.data.slice());
  const cfg = configFor(o.filter);
  const tty = !!process.stderr.isTTY && !o.json;
  const totalBeats = frames.reduce((s, f) => s + Math.ceil(f.length / 8), 0);
  const progress = (name: string) => (beats: number) => { if (tty) process.stderr.write(`\r${name}: ${((100 * beats) / Math.max(1, totalBeats)).toFixed(0)}% of ${totalBeats} beats`); };
  const runs: Record<string, KernelRun & Partial<RtlKernelResult>> = {};
  let scheduleReport: ScheduleReport | undefined;
  const src = frames.map((data) => ({ data }));
  for (const e of engines) {
    if (e === "native") runs.native = await runKernelNative(file, r.kernel, src, cfg, progress("native"));
    else if (e === "interp") runs.interp = runKernelInterp(r.pkg, r.fn, r.kernel, src, cfg, progress("interp"));
    else {
      const hw = await compileKernelDesign(file, o.top, o.clockMhz ?? 250);
      if (!hw) return 1;
      scheduleReport = hw.report;
      // Latency needs the beat that produced each record: take it from a software run.
      const ref = runs.native ?? runs.interp ?? (await runKernelNative(file, r.kernel, src, cfg));
      if (tty) process.stderr.write(`verilator: building ${hw.module} (${hw.report.stages} stage(s) at ${hw.report.clockMhz} MHz) and simulating ${totalBeats} beats…`);
      runs.verilator = await runKernelRtl({
        k: r.kernel, verilog: hw.verilog, signature: hw.signature, frames, cfg, beatOfRecord: ref.beatOfRecord, expectedRecords: ref.records.length,
        backpressure: o.backpressure ?? 0, bubbles: o.bubbles ?? 0, seed: o.seed ?? 1, tracePath: o.trace, gapCycles: o.gapCycles ?? DEFAULT_GAP_CYCLES,
      });
    }
    if (tty) process.stderr.write("\n");
  }
  const names = Object.keys(runs);
  const ref = runs[names[0]];
  let mismatches = 0;
  let firstMismatch: unknown;
  for (const n of names.slice(1)) {
    const other = runs[n];
    const len = Math.max(ref.records.length, other.records.length);
    for (let i = 0; i < len; i++) {
      const a = JSON.stringify(ref.records[i]), b = JSON.stringify(other.records[i]);
      if (a !== b) { mismatches++; firstMismatch ??= { index: i, engines: [names[0], n], expected: ref.records[i] ?? null, got: other.records[i] ?? null }; }
    }
    // The RTL keeps its state in a register the harness does not read: it is compared through its records.
    if (other.finalState !== null && JSON.stringify(ref.finalState) !== JSON.stringify(other.finalState)) { mismatches++; firstMismatch ??= { index: "final state", engines: [names[0], n] }; }
  }
  if (o.records) fs.writeFileSync(o.records, ref.records.map((x) => JSON.stringify(x)).join("\n") + (ref.records.length ? "\n" : ""));
  const state = (ref.finalState ?? {}) as Record<string, unknown>;
  const stats = (state.stats ?? {}) as Record<string, unknown>;
  const rtl = runs.verilator;
  if (rtl && (rtl.protocolErrors || rtl.hung)) { mismatches++; firstMismatch ??= { engine: "verilator", protocolErrors: rtl.protocolErrors, hung: rtl.hung }; }
  const lat = rtl?.latencyCycles ?? [];
  const summary = {
    capture: o.pcap,
    kernel: r.kernel.name,
    engines: names,
    beats: ref.beats,
    frames: stats.frames ?? frames.length,
    packets: stats.packets,
    messages: stats.messages ?? ref.records.length,
    records: ref.records.length,
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
    latencyCycles: rtl ? { min: pct(lat, 0), p50: pct(lat, 50), p99: pct(lat, 99), max: pct(lat, 100) } : null,
    latencyByType: rtl ? latencyByType(ref.records, lat) : null,
    inputReadyLowCycles: rtl?.inputReadyLowCycles ?? null,
    clockMhz: o.clockMhz ?? 250,
    wallSeconds: Object.fromEntries(names.map((n) => [n, Number(runs[n].wallSeconds.toFixed(3))])),
    messagesPerSecond: Object.fromEntries(names.map((n) => [n, Math.round(runs[n].records.length / Math.max(1e-9, runs[n].wallSeconds))])),
  };
  if (o.report) {
    const flat = Object.entries(summary).filter(([, v]) => v === null || typeof v !== "object").map(([k2, v]) => [k2, v ?? "—"]);
    const body = [
      `<h2>Run</h2>${table(["figure", "value"], flat)}`,
      summary.byType ? `<h2>Messages by type</h2>${table(["type", "count"], Object.entries(summary.byType).sort((a, b) => b[1] - a[1]))}` : "",
      rtl ? `<h2>Latency (cycles at ${summary.clockMhz} MHz, from the beat with a message's last byte to its record)</h2>${histogramSvg(lat, "cycles")}<p>${JSON.stringify(summary.latencyCycles)}</p>` : "",
      `<h2>Kernel counters</h2>${table(["counter", "value"], Object.entries(stats).map(([k2, v]) => [k2, JSON.stringify(v)]))}`,
      scheduleReport ? scheduleSection(scheduleReport) : "",
    ].join("\n");
    fs.writeFileSync(o.report, page(`${r.kernel.name} on ${o.pcap}`, body));
  }
  for (const w of summary.warnings) process.stderr.write(`tsfpga: warning: ${o.pcap}: ${w}\n`);
  if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
  else {
    const lines = [
      `${o.pcap}: ${frames.length} frames, ${ref.beats} beats, kernel ${r.kernel.name} (${names.join(", ")})`,
      `records    ${summary.records}${summary.byType ? `  ${Object.entries(summary.byType).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(" · ")}` : ""}`,
      ...summary.warnings.map((w) => `WARNING    ${w}`),
      summary.packets !== undefined ? `packets    ${summary.packets}, skipped frames ${JSON.stringify(summary.skipped)}${summary.skipped ? ` (${skipReasonsText(summary.skippedByReason, o.filter)})` : ""}` : "",
      summary.sequence ? `sequence   ${summary.sequence.first}..${summary.sequence.last}, gaps ${summary.gapEvents} (${summary.missingMessages} missing), duplicates ${summary.duplicates}` : "",
      rtl ? `latency    ${JSON.stringify(summary.latencyCycles)} cycles at ${summary.clockMhz} MHz; input ready low ${rtl.inputReadyLowCycles} cycles` : "",
      `mismatches ${mismatches}${firstMismatch ? ` (first: ${JSON.stringify(firstMismatch).slice(0, 300)})` : ""}`,
      `speed      ${names.map((n) => `${n} ${summary.messagesPerSecond[n].toLocaleString("en-US")} records/s`).join(", ")}`,
    ].filter(Boolean);
    process.stdout.write(lines.join("\n") + "\n");
  }
  return mismatches ? 1 : 0;
}
