/**
 * `tsfpga synth <file> --target <device> [--top T] [--seeds N] [--clock-mhz F] [--json] [-o dir]`:
 * compile the design for the clock, wrap its ports in registers, synthesize with Yosys, place and
 * route with nextpnr (seeds 1..N), and report LUT/FF/BRAM/DSP use, the median post-route fmax and
 * the critical path mapped to TypeScript lines. Exit 1 when the design does not fit the device or
 * misses the clock. The flow itself is sim/pnr/place-route.ts; docs/synthesis.md documents it.
 */
import type { Command } from "commander";
import { join } from "node:path";
import type { PnrResult } from "../../sim/pnr/place-route.js";
import { guarded, UserError } from "./common.js";
import { calibratedTargets } from "../../sim/pnr/models.js";
import { compileUnitDesign, parseClock, targetModel, writeDesign } from "./compile.js";
import { prepareOutputDir, writeOutputFile } from "./paths.js";

interface SynthOptions { top?: string; target?: string; seeds: string; clockMhz?: string; compileMhz?: string; json?: boolean; out: string; quiet?: boolean }

function parseSeeds(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new UserError(`--seeds must be a whole number from 1 to 99 (got '${s}')`);
  return n;
}

const fmt = (n: number) => n.toLocaleString("en-US");

function summary(r: PnrResult, clockMhz: number, latencyCycles: number, description: string, compiled: { predictedFmaxMhz: number; delayModel: string }): string {
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
function areaText(r: PnrResult): string[] {
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

async function synth(file: string, o: SynthOptions): Promise<number> {
  if (!o.target) throw new UserError("synth needs --target <device>");
  const { DEVICES, deviceNames } = await import("../../sim/pnr/devices.js");
  const device = DEVICES[o.target];
  if (!device) throw new UserError(`unknown --target '${o.target}': use one of ${deviceNames().join(", ")}`);
  const seeds = parseSeeds(o.seeds);
  // Schedule for --compile-mhz (default: --clock-mhz, else 250); require --clock-mhz (default: the compile clock).
  const compileMhz = parseClock(o.compileMhz ?? o.clockMhz);
  const clockMhz = o.clockMhz !== undefined ? parseClock(o.clockMhz) : compileMhz;
  prepareOutputDir(o.out);
  // Scheduled with the target's calibrated delay model when there is one, else the generic model.
  const c = await compileUnitDesign(file, o.top, compileMhz, calibratedTargets().includes(device.name) ? targetModel(device.name) : undefined);
  if (!c) return 1;
  const paths = writeDesign(c, o.out);
  const namesPath = join(o.out, `${c.fn.name}.names.json`);
  writeOutputFile(namesPath, JSON.stringify(c.names, null, 2) + "\n");
  const pnrDir = join(o.out, `${c.fn.name}.${device.name}`);
  const { placeAndRouteSeeds, PnrError } = await import("../../sim/pnr/place-route.js");
  const progress = o.quiet ? undefined : (line: string) => process.stderr.write(`synth: ${line}\n`);
  // The delay model's promise: the longest stage plus the register margin, or the model's stage floor if longer.
  const predictedFmaxMhz = c.report.predictedFmaxMhz;
  const compiled = { stages: c.report.stages, latencyCycles: c.report.latencyCycles, clockMhz: c.report.clockMhz, predictedFmaxMhz, delayModel: c.report.delayModel };
  let r: PnrResult;
  try {
    r = await placeAndRouteSeeds(c.verilog, c.module, device.name, Array.from({ length: seeds }, (_, i) => i + 1), { freqMhz: clockMhz, names: c.names.entries, ports: c.signature.ports, clock: c.signature.clock, dir: pnrDir, progress });
  } catch (e) {
    if (!(e instanceof PnrError)) throw e;
    if (e.kind === "nofit" && o.json) {
      process.stdout.write(JSON.stringify({ top: c.fn.name, module: c.module, source: file, target: device.name, device: device.description, fits: false, meetsClock: false, message: e.message, used: e.details?.used ?? null, capacity: e.details?.capacity ?? device.capacity }, null, 2) + "\n");
      process.stderr.write(`tsfpga: ${e.message}\n`);
      return 1;
    }
    throw new UserError(e.message);
  }
  const meetsClock = r.fmaxMhz >= clockMhz;
  const out = {
    top: c.fn.name, module: c.module, source: file, target: device.name, device: device.description,
    clockMhz, fits: true, meetsClock, fmaxMhz: r.fmaxMhz,
    seeds: r.seeds.map((s) => ({ seed: s.seed, fmaxMhz: s.fmaxMhz, seconds: s.seconds, criticalPathNs: s.criticalPath.delayNs })),
    compiled, latencyNs: Math.round(compiled.latencyCycles * 100_000 / r.fmaxMhz) / 100,
    luts: r.luts, ffs: r.ffs, brams: r.brams, dsps: r.dsps, total: r.total, wrapper: r.wrapper, capacity: r.capacity, utilisation: r.utilisation,
    criticalPath: r.criticalPath, areaByLine: r.areaByLine, tools: r.tools, seconds: r.seconds,
    files: { verilog: paths.verilog, names: namesPath, pnr: pnrDir },
  };
  writeOutputFile(join(pnrDir, "synth.json"), JSON.stringify(out, null, 2) + "\n");
  if (o.json) process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  else process.stdout.write(summary(r, clockMhz, compiled.latencyCycles, device.description, compiled) + `wrote ${paths.verilog}, ${namesPath}, ${pnrDir}/\n`);
  if (!meetsClock) {
    const lines = r.criticalPath.sourceLines.length ? r.criticalPath.sourceLines.join(" → ") : `${r.criticalPath.from} → ${r.criticalPath.to}`;
    process.stderr.write(`tsfpga: ${c.fn.name} misses ${clockMhz} MHz on ${device.name}: post-route fmax ${r.fmaxMhz.toFixed(2)} MHz (median of ${seeds} seed(s)); critical path ${r.criticalPath.delayNs.toFixed(2)} ns from ${r.criticalPath.from} to ${r.criticalPath.to}: ${lines}\n`);
    return 1;
  }
  return 0;
}

export function registerSynth(program: Command): void {
  program
    .command("synth")
    .description("compile, synthesize, place and route for an FPGA: resources, post-route fmax and the critical path in TypeScript lines")
    .argument("<file>", "dialect source file")
    .option("--top <name>", "an exported function or a kernel (default: the file's only kernel, else its only exported function)")
    .option("--target <device>", "ice40-hx1k, ice40-hx8k, ice40-up5k, ecp5-25f, ecp5-45f or ecp5-85f")
    .option("--seeds <n>", "place and route with seeds 1..n and report the median fmax", "1")
    .option("--clock-mhz <n>", "clock to meet after routing, and to compile for unless --compile-mhz is given (MHz, default 250)")
    .option("--compile-mhz <n>", "clock to schedule the design for (MHz, default --clock-mhz)")
    .option("--json", "print the result as JSON (fields in docs/synthesis.md)")
    .option("-q, --quiet", "no progress lines on stderr")
    .option("-o, --out <dir>", "output directory", "build")
    .action((file: string, o: SynthOptions) => guarded(() => synth(file, o)));
}
