/**
 * `tsfpga synth <file> --target <device> [--top T] [--seeds N] [--clock-mhz F] [--no-pnr] [--json] [-o dir]`:
 * compile the design (a function, a kernel or a pipeline of kernels) for the clock, wrap its ports
 * in registers, synthesize with Yosys, place and route with nextpnr (seeds 1..N), and report
 * LUT/FF/BRAM/DSP use, the median post-route fmax and the critical path mapped to TypeScript lines.
 * `--no-pnr` (and `--target generic`) stops after Yosys and reports its counts. Exit 1 when the
 * design does not fit the device or misses the clock. The flow itself is sim/pnr/place-route.ts;
 * docs/synthesis.md documents it.
 */
import type { Command } from "commander";
import { join } from "node:path";
import type { PnrResult, YosysOnlyResult } from "../../sim/pnr/place-route.js";
import type { NameTableFile } from "../verilog/source-map.js";
import type { PortLike } from "../../sim/pnr/wrapper.js";
import type { DelayModel } from "../schedule/delay-model.js";
import { guarded, UserError } from "./common.js";
import { calibratedTargets } from "../../sim/pnr/models.js";
import { compilePipelineHw, compileUnitDesign, parseClock, targetModel, writeDesign, writePipelineDesign } from "./compile.js";
import { prepareOutputDir, writeOutputFile } from "./paths.js";

interface SynthOptions { top?: string; target?: string; seeds: string; clockMhz?: string; compileMhz?: string; outputStages?: string; json?: boolean; out: string; quiet?: boolean; pnr?: boolean }

/** What the schedule promised (`compiled` in --json). */
interface CompiledFigures { stages: number; latencyCycles: number; clockMhz: number; predictedFmaxMhz: number; delayModel: string }

/** One kernel of a pipeline (`kernels` in --json). */
interface KernelFigures { stage: string; kernel: string; module: string; instance: string; stages: number; latencyCycles: number; predictedFmaxMhz: number }

/** A compiled design ready for Yosys: a function or kernel (one module) or a pipeline (its kernels' modules and a top). */
interface SynthDesign {
  top: string; module: string; verilog: string; ports: readonly PortLike[]; clock: string; names: NameTableFile;
  compiled: CompiledFigures; kernels?: KernelFigures[]; files: { verilog: string; kernels?: string[] };
}

/** Compile `--top` (a function, a kernel or a pipeline) and write its files to `out`. */
async function compileForSynth(file: string, top: string | undefined, compileMhz: number, model: DelayModel | undefined, out: string, outputStages?: number): Promise<SynthDesign | undefined> {
  const { isPipelineTop } = await import("../driver.js");
  if (isPipelineTop(file, top)) {
    const p = await compilePipelineHw(file, top, compileMhz, model);
    if (!p) return undefined;
    const { stageInstance } = await import("../verilog/pipeline-hw.js");
    const paths = writePipelineDesign(p, out);
    const reports = p.hw.stages.map((h) => h.report!);
    return {
      top: p.name, module: p.hw.module, verilog: p.hw.verilog, ports: p.hw.signature.ports, clock: p.hw.signature.clock, names: p.hw.names,
      compiled: {
        stages: reports.reduce((n, r) => n + r.stages, 0), latencyCycles: p.hw.latencyCycles, clockMhz: compileMhz,
        predictedFmaxMhz: Math.min(...reports.map((r) => r.predictedFmaxMhz)), delayModel: p.delayModel,
      },
      kernels: p.stages.map((st, i) => ({
        stage: st.name, kernel: st.kernel.name, module: p.hw.stages[i].module!, instance: stageInstance(i, st.name),
        stages: reports[i].stages, latencyCycles: reports[i].latencyCycles, predictedFmaxMhz: reports[i].predictedFmaxMhz,
      })),
      files: { verilog: join(out, `${p.hw.module}.v`), kernels: paths.verilog.filter((v) => v !== join(out, `${p.hw.module}.v`)) },
    };
  }
  const c = await compileUnitDesign(file, top, compileMhz, model, outputStages);
  if (!c) return undefined;
  const paths = writeDesign(c, out);
  return {
    top: c.fn.name, module: c.module, verilog: c.verilog, ports: c.signature.ports, clock: c.signature.clock, names: c.names,
    compiled: { stages: c.report.stages, latencyCycles: c.report.latencyCycles, clockMhz: c.report.clockMhz, predictedFmaxMhz: c.report.predictedFmaxMhz, delayModel: c.report.delayModel },
    files: { verilog: paths.verilog },
  };
}

/** "feed (u1_feed, 1 stage) → watch (u2_watch, 2 stages)" for a pipeline. */
function kernelsText(d: SynthDesign): string[] {
  return d.kernels ? [`pipeline: ${d.kernels.map((k) => `${k.stage} (instance ${k.instance}, ${k.stages} stage${k.stages === 1 ? "" : "s"})`).join(" → ")}`] : [];
}

function parseSeeds(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new UserError(`--seeds must be a whole number from 1 to 99 (got '${s}')`);
  return n;
}

const fmt = (n: number) => n.toLocaleString("en-US");

function summary(r: PnrResult, clockMhz: number, latencyCycles: number, description: string, compiled: { predictedFmaxMhz: number; delayModel: string }, d: SynthDesign): string {
  const meets = r.fmaxMhz >= clockMhz;
  const seeds = r.seeds.map((s) => `seed ${s.seed}: ${s.fmaxMhz.toFixed(2)}`).join(", ");
  const p = r.criticalPath;
  const along: string[] = [];
  for (const s of p.steps) {
    if (s.where !== "design" || !s.signal) continue;
    const text = `${s.signal}${s.source ? ` (${s.source})` : s.role ? ` (${s.role})` : ""}`;
    if (!along.includes(text)) along.push(text);
  }
  return [
    `${r.top} on ${r.target} (${description}): ${fmt(r.luts)} LUT4, ${fmt(r.ffs)} FF, ${r.brams} BRAM, ${r.dsps} DSP` +
      ` (with the port wrapper: ${fmt(r.total.luts)} LUT4, ${fmt(r.total.ffs)} FF of ${fmt(r.capacity.luts)} / ${fmt(r.capacity.ffs)})`,
    ...kernelsText(d),
    `post-route fmax ${r.fmaxMhz.toFixed(2)} MHz, median of ${r.seeds.length} seed(s) (${seeds}); requested ${clockMhz} MHz: ${meets ? "met" : "MISSED"}`,
    `predicted ${compiled.predictedFmaxMhz.toFixed(2)} MHz by the ${compiled.delayModel} delay model: achieved/predicted ${(r.fmaxMhz / compiled.predictedFmaxMhz).toFixed(2)}`,
    `latency ${latencyCycles} cycle(s) = ${(latencyCycles * 1000 / r.fmaxMhz).toFixed(1)} ns at ${r.fmaxMhz.toFixed(2)} MHz`,
    `critical path ${p.delayNs.toFixed(2)} ns (${p.logicNs.toFixed(2)} logic, ${p.routingNs.toFixed(2)} routing) from ${p.from} to ${p.to}`,
    `  TypeScript: ${p.sourceLines.length ? p.sourceLines.join(" → ") : "none (wrapper or control logic only)"}`,
    ...(along.length ? [`  signals: ${along.join(" → ")}`] : []),
    ...areaText(r),
  ].join("\n") + "\n";
}

/** The design's area by TypeScript line: the 10 largest lines, then control and unattributed. */
function areaText(r: Pick<PnrResult, "areaByLine">): string[] {
  const a = r.areaByLine;
  const pct = (x: number, t: number) => (t ? `${Math.round((100 * x) / t)}%` : "0%");
  const lines = a.lines.filter((l) => !l.source.startsWith("control: ") && l.source !== "unattributed");
  const rest = a.lines.filter((l) => l.source.startsWith("control: ") || l.source === "unattributed");
  const row = (l: { source: string; luts: number; ffs: number }) => `  ${l.source}: ${fmt(l.luts)} LUT4, ${fmt(l.ffs)} FF`;
  const control = rest.filter((l) => l.source !== "unattributed").reduce((t, l) => ({ luts: t.luts + l.luts, ffs: t.ffs + l.ffs }), { luts: 0, ffs: 0 });
  const un = rest.find((l) => l.source === "unattributed");
  return [
    `area by TypeScript line: ${fmt(a.attributedLuts)} of ${fmt(a.luts)} LUT4 (${pct(a.attributedLuts, a.luts)}) and ${fmt(a.attributedFfs)} of ${fmt(a.ffs)} FF on ${lines.length} line(s); largest:`,
    ...lines.slice(0, 10).map(row),
    `  control (handshake, skid buffer, state register): ${fmt(control.luts)} LUT4, ${fmt(control.ffs)} FF; unattributed: ${fmt(un?.luts ?? 0)} LUT4, ${fmt(un?.ffs ?? 0)} FF (all lines in --json areaByLine)`,
  ];
}

/** `--no-pnr` or `--target generic`: Yosys counts only. */
async function yosysOnly(file: string, d: SynthDesign, target: string, description: string, o: SynthOptions): Promise<number> {
  const { synthesizeOnly, PnrError } = await import("../../sim/pnr/place-route.js");
  const dir = join(o.out, `${d.top}.${target}`);
  const progress = o.quiet ? undefined : (line: string) => process.stderr.write(`synth: ${line}\n`);
  let r: YosysOnlyResult;
  try {
    r = await synthesizeOnly(d.verilog, d.module, target, { names: d.names.entries, ports: d.ports, clock: d.clock, dir, progress });
  } catch (e) {
    if (e instanceof PnrError) throw new UserError(e.message);
    throw e;
  }
  const namesPath = join(o.out, `${d.top}.names.json`);
  const out = {
    top: d.top, module: d.module, source: file, target, device: description, placeAndRoute: false, fits: r.fits, message: r.message,
    compiled: d.compiled, ...(d.kernels ? { kernels: d.kernels } : {}),
    luts: r.luts, ffs: r.ffs, brams: r.brams, dsps: r.dsps, memories: r.memories, total: r.total, wrapper: r.wrapper, capacity: r.capacity,
    areaByLine: r.areaByLine, tools: r.tools, seconds: r.seconds,
    files: { verilog: d.files.verilog, ...(d.files.kernels ? { kernels: d.files.kernels } : {}), names: namesPath, pnr: dir },
  };
  writeOutputFile(join(dir, "synth.json"), JSON.stringify(out, null, 2) + "\n");
  if (o.json) process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  else {
    const head = r.target === "generic"
      ? `${d.top}, Yosys generic synth -lut 4 (the design alone, no place and route): ${fmt(r.luts)} LUT4, ${fmt(r.ffs)} FF, ${r.memories!.count} memor${r.memories!.count === 1 ? "y" : "ies"} (${fmt(r.memories!.bits)} bits, kept as memories)`
      : `${d.top} on ${target} (${description}), Yosys only (no place and route): ${fmt(r.luts)} LUT4, ${fmt(r.ffs)} FF, ${r.brams} BRAM, ${r.dsps} DSP` +
        ` (with the port wrapper: ${fmt(r.total!.luts)} LUT4, ${fmt(r.total!.ffs)} FF, ${r.total!.brams} BRAM of ${fmt(r.capacity!.luts)} / ${fmt(r.capacity!.ffs)} / ${r.capacity!.brams}): ${r.fits ? "fits" : "does NOT fit"}`;
    process.stdout.write([head, ...kernelsText(d), ...areaText(r)].join("\n") + `\nwrote ${[d.files.verilog, ...(d.files.kernels ?? [])].join(", ")}, ${namesPath}, ${dir}/\n`);
  }
  if (r.fits === false) { process.stderr.write(`tsfpga: ${r.message}\n`); return 1; }
  return 0;
}

async function synth(file: string, o: SynthOptions): Promise<number> {
  if (!o.target) throw new UserError("synth needs --target <device>");
  const { DEVICES, deviceNames } = await import("../../sim/pnr/devices.js");
  const generic = o.target === "generic";
  const device = DEVICES[o.target];
  if (!device && !generic) throw new UserError(`unknown --target '${o.target}': use one of ${deviceNames().join(", ")}, or generic (Yosys only)`);
  const seeds = parseSeeds(o.seeds);
  // Schedule for --compile-mhz (default: --clock-mhz, else 250); require --clock-mhz (default: the compile clock).
  const compileMhz = parseClock(o.compileMhz ?? o.clockMhz);
  const clockMhz = o.clockMhz !== undefined ? parseClock(o.clockMhz) : compileMhz;
  const outputStages = o.outputStages === undefined ? undefined : Number(o.outputStages);
  if (outputStages !== undefined && (!/^[0-4]$/.test(o.outputStages!))) throw new UserError(`--output-stages '${o.outputStages}' is not an integer from 0 to 4`);
  prepareOutputDir(o.out);
  // Scheduled with the target's calibrated delay model when there is one, else the generic model.
  const d = await compileForSynth(file, o.top, compileMhz, device && calibratedTargets().includes(device.name) ? targetModel(device.name) : undefined, o.out, outputStages);
  if (!d) return 1;
  const namesPath = join(o.out, `${d.top}.names.json`);
  writeOutputFile(namesPath, JSON.stringify(d.names, null, 2) + "\n");
  if (generic || o.pnr === false) return yosysOnly(file, d, generic ? "generic" : device.name, generic ? "Yosys generic 4-LUT synthesis" : device.description, o);
  const pnrDir = join(o.out, `${d.top}.${device.name}`);
  const { placeAndRouteSeeds, PnrError } = await import("../../sim/pnr/place-route.js");
  const progress = o.quiet ? undefined : (line: string) => process.stderr.write(`synth: ${line}\n`);
  // The delay model's promise: the longest stage plus the register margin, or the model's stage floor if longer.
  const compiled = d.compiled;
  let r: PnrResult;
  try {
    r = await placeAndRouteSeeds(d.verilog, d.module, device.name, Array.from({ length: seeds }, (_, i) => i + 1), { freqMhz: clockMhz, names: d.names.entries, ports: d.ports, clock: d.clock, dir: pnrDir, progress });
  } catch (e) {
    if (!(e instanceof PnrError)) throw e;
    if (e.kind === "nofit" && o.json) {
      process.stdout.write(JSON.stringify({ top: d.top, module: d.module, source: file, target: device.name, device: device.description, fits: false, meetsClock: false, message: e.message, used: e.details?.used ?? null, capacity: e.details?.capacity ?? device.capacity }, null, 2) + "\n");
      process.stderr.write(`tsfpga: ${e.message}\n`);
      return 1;
    }
    throw new UserError(e.message);
  }
  const meetsClock = r.fmaxMhz >= clockMhz;
  const out = {
    top: d.top, module: d.module, source: file, target: device.name, device: device.description, placeAndRoute: true,
    clockMhz, fits: true, meetsClock, fmaxMhz: r.fmaxMhz,
    seeds: r.seeds.map((s) => ({ seed: s.seed, fmaxMhz: s.fmaxMhz, seconds: s.seconds, criticalPathNs: s.criticalPath.delayNs })),
    compiled, ...(d.kernels ? { kernels: d.kernels } : {}), latencyNs: Math.round(compiled.latencyCycles * 100_000 / r.fmaxMhz) / 100,
    luts: r.luts, ffs: r.ffs, brams: r.brams, dsps: r.dsps, total: r.total, wrapper: r.wrapper, capacity: r.capacity, utilisation: r.utilisation,
    criticalPath: r.criticalPath, areaByLine: r.areaByLine, tools: r.tools, seconds: r.seconds,
    files: { verilog: d.files.verilog, ...(d.files.kernels ? { kernels: d.files.kernels } : {}), names: namesPath, pnr: pnrDir },
  };
  writeOutputFile(join(pnrDir, "synth.json"), JSON.stringify(out, null, 2) + "\n");
  if (o.json) process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  else process.stdout.write(summary(r, clockMhz, compiled.latencyCycles, device.description, compiled, d) + `wrote ${[d.files.verilog, ...(d.files.kernels ?? [])].join(", ")}, ${namesPath}, ${pnrDir}/\n`);
  if (!meetsClock) {
    const lines = r.criticalPath.sourceLines.length ? r.criticalPath.sourceLines.join(" → ") : `${r.criticalPath.from} → ${r.criticalPath.to}`;
    process.stderr.write(`tsfpga: ${d.top} misses ${clockMhz} MHz on ${device.name}: post-route fmax ${r.fmaxMhz.toFixed(2)} MHz (median of ${seeds} seed(s)); critical path ${r.criticalPath.delayNs.toFixed(2)} ns from ${r.criticalPath.from} to ${r.criticalPath.to}: ${lines}\n`);
    return 1;
  }
  return 0;
}

export function registerSynth(program: Command): void {
  program
    .command("synth")
    .description("compile, synthesize, place and route a function, kernel or pipeline for an FPGA: resources, post-route fmax and the critical path in TypeScript lines")
    .argument("<file>", "dialect source file")
    .option("--top <name>", "an exported function, a kernel or a pipeline (default: the file's only pipeline, else its only kernel, else its only exported function)")
    .option("--target <device>", "ice40-hx1k, ice40-hx8k, ice40-up5k, ecp5-25f, ecp5-45f or ecp5-85f; or generic (Yosys' generic 4-LUT synthesis, no place and route)")
    .option("--seeds <n>", "place and route with seeds 1..n and report the median fmax", "1")
    .option("--clock-mhz <n>", "clock to meet after routing, and to compile for unless --compile-mhz is given (MHz, default 250)")
    .option("--compile-mhz <n>", "clock to schedule the design for (MHz, default --clock-mhz)")
    .option("--no-pnr", "stop after Yosys: report its LUT/FF/BRAM/DSP counts and whether they fit, without place and route")
    .option("--output-stages <n>", "a kernel (not a pipeline): start the record logic that reads the state n stages after the state loop, 0 to 4 (default: the kernel's outputStages option, else 0)")
    .option("--json", "print the result as JSON (fields in docs/synthesis.md)")
    .option("-q, --quiet", "no progress lines on stderr")
    .option("-o, --out <dir>", "output directory", "build")
    .action((file: string, o: SynthOptions) => guarded(() => synth(file, o)));
}
