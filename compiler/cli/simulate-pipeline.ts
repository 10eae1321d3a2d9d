/**
 * `tsfpga simulate <file> --top <pipeline> --pcap … | --beats … | --records-in …`: runs a pipeline
 * of kernels (`pipeline(a, b, …)`) in the chosen engines and compares every engine's records at
 * every kernel boundary. Native Node steps the runtime's pipeline object, the interpreter each
 * stage's compiled step; with Verilator, each kernel's own module is fed the reference records of
 * the boundary before it (so each boundary is compared in RTL too, and each kernel's latency is
 * measured alone), and the pipeline's top module takes the input itself (end-to-end records and
 * latency). `--config` is an object with one configuration per stage, by stage name; `--report`
 * writes an HTML page with each kernel's records, latency, counters and schedule.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { compilePipeline, type PipelineStage } from "../driver.js";
import { interpPipelineStepper, nativePipelineStepper, type KernelStepper } from "../../sim/kernel-sim.js";
import { byTypeOfStats } from "../../sim/itch/feed-summary.js";
import { printDiagnostics, UserError } from "./common.js";
import { startKernelRtl } from "../../sim/kernel-rtl.js";
import { runKernelStream, type Histogram, type RtlTap } from "../../sim/kernel-run.js";
import { histogramSvg, page, scheduleSection, table } from "../../sim/report-html.js";
import { generatePipelineHardware, cfgPortName } from "../verilog/pipeline-hw.js";
import { isBeat } from "../verilog/kernel-hw.js";
import { jsonToValue } from "../interp/convert.js";
import { packValue } from "../ir/values.js";
import { irTypeOf } from "../frontend/dtypes.js";
import { configObject, DEFAULT_GAP_CYCLES, inputGroups, kernelConfig, latencyByTypeOf, simEngines, simInput, simOutputs, type PcapSimOptions } from "./simulate-pcap.js";

const r3 = (s: number) => Number(s.toFixed(3));

/** Each stage's configuration from `--config {"<stage>": {...}, …}` (absent stages: zero, or --filter for a feed handler). */
export function pipelineConfigs(stages: PipelineStage[], configText: string | undefined, filter: string): unknown[] {
  const given = configObject(configText, `one configuration per stage (${stages.map((s) => s.name).join(", ")})`);
  for (const n of Object.keys(given)) if (!stages.some((s) => s.name === n)) throw new UserError(`--config: the pipeline has no stage '${n}' (stages: ${stages.map((s) => s.name).join(", ")})`);
  return stages.map((s) => {
    try {
      return kernelConfig(s.kernel, s.name in given ? JSON.stringify(given[s.name]) : undefined, filter);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(e.message.replace(/^--config:/, `--config: stage '${s.name}':`));
      throw e;
    }
  });
}

export async function simulatePipeline(file: string, o: PcapSimOptions): Promise<number> {
  const t0 = performance.now();
  const engines = simEngines(o);
  const { input, option } = simInput(o);
  if (o.netlist) throw new UserError("--netlist runs one kernel's netlist; give --top a kernel, not a pipeline");
  const { outputs, recordsOut, reportOut } = simOutputs(o);
  const stops: (() => void)[] = [];
  try {
    const tc = performance.now();
    const r = compilePipeline(file, o.top);
    if (r.diagnostics.length || !r.stages || !r.name) { printDiagnostics(r.diagnostics); return 1; }
    const stages = r.stages, first = stages[0].kernel, last = stages[stages.length - 1].kernel;
    if ((o.pcap || o.beats) && !isBeat(first)) throw new UserError(`${option}: pipeline ${r.name} takes ${first.input.k === "record" ? first.input.name : "values"} records, not beats; use --records-in`);
    const cfgs = pipelineConfigs(stages, o.config, o.filter);
    const clockMhz = o.clockMhz ?? 250;
    let hw: ReturnType<typeof generatePipelineHardware> | undefined;
    if (engines.includes("verilator")) {
      const text = readFileSync(file, "utf8");
      hw = generatePipelineHardware(r.name, stages, { clockMhz, source: relative(process.cwd(), file).split("\\").join("/") || file, sourceHash: createHash("sha256").update(text).digest("hex") });
      if (hw.diagnostics.length || !hw.verilog) { printDiagnostics(hw.diagnostics); return 1; }
    }
    const compileSeconds = (performance.now() - tc) / 1000;
    const sw = engines.filter((e) => e !== "verilator");
    const refOnly = sw.length === 0;
    const swNames = refOnly ? ["native"] : sw;
    const steppers: { name: string; stepper: KernelStepper & { taps?: unknown[] } }[] = [];
    for (const n of swNames) steppers.push({ name: n, stepper: n === "native" ? await nativePipelineStepper(file, r.name, stages, cfgs) : interpPipelineStepper(stages, cfgs) });
    const rtls: RtlTap[] = [];
    let buildSeconds = 0, cached = true;
    if (hw) {
      const gap = isBeat(first) ? o.gapCycles ?? DEFAULT_GAP_CYCLES : 0;
      const common = { backpressure: o.backpressure ?? 0, bubbles: o.bubbles ?? 0 };
      const tap = async (label: string, from: number, to: number, args: Omit<Parameters<typeof startKernelRtl>[0], "onRecord" | "backpressure" | "bubbles" | "seed">) => {
        let cb: (rec: unknown, lat: number | null) => void = () => {};
        if (process.stderr.isTTY && !o.json) process.stderr.write(`verilator: building ${label}…\r`);
        const stream = await startKernelRtl({ ...args, ...common, seed: (o.seed ?? 1) + rtls.length, onRecord: (rec, lat) => cb(rec, lat) });
        stops.push(() => stream.kill());
        buildSeconds += stream.buildSeconds; cached &&= stream.cached;
        rtls.push({ label, stream, attach: (f) => { cb = f; }, from, to });
      };
      // The whole pipeline first (its latency is the end-to-end figure), then each kernel alone.
      const cfgPorts: Record<string, bigint> = {};
      stages.forEach((s, i) => { if (s.kernel.cfg) cfgPorts[cfgPortName(s.name)] = packValue(jsonToValue(cfgs[i], s.kernel.cfg, "config"), irTypeOf(s.kernel.cfg)); });
      await tap(r.name, -1, stages.length - 1, { k: { ...first, name: r.name, out: last.out, cfg: undefined }, verilog: hw.verilog!, signature: hw.signature, cfg: undefined, cfgPorts, gapCycles: gap, tracePath: o.trace });
      if (stages.length > 1) for (let i = 0; i < stages.length; i++) {
        const h = hw.stages![i];
        await tap(stages[i].name, i - 1, i, { k: { ...stages[i].kernel, name: h.module! }, verilog: h.verilog!, signature: h.signature, cfg: cfgs[i], gapCycles: i === 0 ? gap : 0 });
      }
    }
    const tty = !!process.stderr.isTTY && !o.json;
    const run = await runKernelStream({
      frames: inputGroups(o, first), steppers, rtls, stages: stages.map((s) => s.name),
      sink: recordsOut ? (json) => recordsOut.write(json + "\n") : undefined,
      onProgress: tty ? (f, b, n) => process.stderr.write(`\r${engines.join("+")}: ${f.toLocaleString("en-US")} groups, ${b.toLocaleString("en-US")} inputs, ${n.toLocaleString("en-US")} records   `) : undefined,
    });
    if (tty) process.stderr.write("\n");
    let mismatches = run.mismatches;
    let firstMismatch: unknown = run.firstMismatch;
    for (const t of run.rtls) if (t.summary.protocolErrors || t.summary.hung) { mismatches++; firstMismatch ??= { engine: `verilator:${t.label}`, protocolErrors: t.summary.protocolErrors, firstProtocolError: t.summary.firstProtocolError ?? null, hung: t.summary.hung }; }
    const state = (run.finalState ?? {}) as Record<string, Record<string, unknown>>;
  // A stage's counters: its state's `stats` record, or its whole state when it has none.
  const statsOf = (n: string) => (state[n]?.stats ?? state[n] ?? null) as Record<string, unknown> | null;
    const totalSeconds = (performance.now() - t0) / 1000;
    const whole = run.rtls[0];
    const kernelRtl = (n: string) => (stages.length > 1 ? run.rtls.find((t) => t.label === n) : whole);
    const firstStats = statsOf(stages[0].name);
    const summary = {
      input, inputKind: o.pcap ? "pcap" : o.beats ? "beats" : "records", capture: o.pcap ?? null,
      pipeline: r.name, kernel: r.name,
      config: Object.fromEntries(stages.map((s, i) => [s.name, cfgs[i] ?? null])),
      engines, netlist: null, reference: swNames[0],
      frames: firstStats?.frames ?? run.frames, beats: run.beats,
      records: run.records,
      byType: firstStats ? byTypeOfStats(firstStats) : undefined,
      stages: stages.map((s, i) => {
        const t = kernelRtl(s.name);
        return {
          name: s.name, kernel: s.kernel.name, records: run.recordsByStage[i],
          latencyCycles: t ? t.latency.summary() : null,
          latencyCyclesNoStalls: hw ? hw.stages![i].schedule!.stages : null,
          stats: statsOf(s.name),
        };
      }),
      stats: firstStats,
      mismatches, firstMismatch: firstMismatch ?? null,
      latencyCycles: whole ? whole.latency.summary() : null,
      latencyByType: whole && whole.latency.n ? latencyByTypeOf(run.latencyByType) : null,
      inputReadyLowCycles: whole?.summary.inputReadyLowCycles ?? null,
      cycles: whole?.summary.cycles ?? null,
      gapCycles: hw ? (isBeat(first) ? o.gapCycles ?? DEFAULT_GAP_CYCLES : 0) : null,
      clockMhz,
      seconds: {
        total: r3(totalSeconds), compile: r3(compileSeconds),
        ...(hw ? { verilatorBuild: r3(buildSeconds), verilatorCached: cached, harness: r3(run.rtls.reduce((a, t) => a + t.summary.cpuSeconds, 0)), decode: r3(run.rtls.reduce((a, t) => a + t.summary.decodeSeconds, 0)), pipeWait: r3(run.pipeWaitSeconds) } : {}),
        ...Object.fromEntries(swNames.map((n) => [n === "native" && refOnly ? "reference" : n, r3(run.engineSeconds[n])])),
      },
      recordsPerSecond: Math.round(run.records / Math.max(1e-9, totalSeconds)),
    };
    if (recordsOut) recordsOut.commit();
    if (reportOut) {
      // Latency histograms are drawn from at most 100,000 values per distinct latency.
      const values = (h: Histogram) => [...h.counts].sort((a, b) => a[0] - b[0]).flatMap(([v, n]) => new Array<number>(Math.min(n, 100_000)).fill(v));
      const flat = Object.entries(summary).filter(([, v]) => v === null || typeof v !== "object").map(([k2, v]) => [k2, String(v ?? "—")]);
      const body = [
        `<h2>Run</h2>${table(["figure", "value"], flat)}`,
        `<h2>Kernels</h2>${table(["kernel", "records out", "latency (cycles, own RTL run)", "with no stalls"], summary.stages.map((x) => [x.name, String(x.records), x.latencyCycles ? JSON.stringify(x.latencyCycles) : "—", String(x.latencyCyclesNoStalls ?? "—")]))}`,
        whole ? (whole.latency.n ? `<h2>End-to-end latency (cycles at ${clockMhz} MHz, from the input that produced a record to that record at the last kernel's output)</h2>${histogramSvg(values(whole.latency), "cycles")}<p>${JSON.stringify(summary.latencyCycles)}</p>` : "<h2>Latency</h2><p>none: the pipeline output no records</p>") : "",
        ...stages.map((st, i) => {
          const t = kernelRtl(st.name), x = summary.stages[i];
          return [
            `<h2>Kernel ${i + 1}: ${st.name}</h2>`,
            t && t.latency.n && stages.length > 1 ? histogramSvg(values(t.latency), "cycles") : "",
            x.stats ? table(["counter", "value"], Object.entries(x.stats).map(([k2, v]) => [k2, JSON.stringify(v)])) : "",
            hw?.stages?.[i].report ? scheduleSection(hw.stages[i].report!) : "",
          ].join("\n");
        }),
      ].join("\n");
      reportOut.write(page(`${r.name} (${stages.map((x) => x.name).join(" → ")}) on ${input}`, body));
      reportOut.commit();
    }
    if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
    else {
      const lat = (x: { min: number; p50: number; p99: number; max: number } | null) => (x ? `min ${x.min}, p50 ${x.p50}, p99 ${x.p99}, max ${x.max}` : "none");
      const lines = [
        `${input}: ${isBeat(first) ? `${run.frames} frames, ${run.beats} beats` : `${run.beats} input records`}, pipeline ${r.name}: ${stages.map((s) => s.name).join(" → ")} (${engines.join(", ")}${refOnly ? "; native as reference" : ""})`,
        ...summary.stages.map((s) => `  ${s.name.padEnd(12)} records ${String(s.records).padStart(9)}${hw ? `   latency ${lat(s.latencyCycles)} cycles (${s.latencyCyclesNoStalls} with no stalls)` : ""}`),
        hw ? `end to end   latency ${lat(summary.latencyCycles)} cycles at ${clockMhz} MHz, from the input that produced a record to that record at the last kernel's output; input ready low ${summary.inputReadyLowCycles} cycles` : "",
        `mismatches ${mismatches}${firstMismatch ? ` (first: ${JSON.stringify(firstMismatch).slice(0, 300)})` : ""}`,
        `speed      ${summary.recordsPerSecond.toLocaleString("en-US")} records/s end to end (${totalSeconds.toFixed(1)} s: ${Object.entries(summary.seconds).filter(([k]) => k !== "total" && k !== "verilatorCached").map(([k, v]) => `${k} ${Number(v).toFixed(1)} s`).join(", ")})`,
      ].filter(Boolean);
      process.stdout.write(lines.join("\n") + "\n");
    }
    return mismatches ? 1 : 0;
  } finally {
    for (const s of stops) s();
    for (const out of outputs) out.abort();
  }
}
