/**
 * `tsfpga compile <file> --top f [--clock-mhz N] [--target D] [-o dir]`: lower, optimise, schedule
 * (with the generic delay model, or the target's calibrated one) and emit
 * `<dir>/<top>.v`, `<top>.signature.json` and `<top>.report.json`, then print a short summary.
 * Also exports the shared step (compile to memory) used by `simulate` and `testbench`.
 */
import type { Command } from "commander";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { KernelResult, PipelineStage } from "../driver.js";
import type { PipelineHw } from "../verilog/pipeline-hw.js";
import type { Fn, Package } from "../ir/ir.js";
import type { BackendResult } from "../verilog/backend.js";
import type { KernelInfo } from "../ir/ir.js";
import { GENERIC_MODEL, withDelayModel, type DelayModel } from "../schedule/delay-model.js";
import { loadDelayModel } from "../../sim/pnr/models.js";
import { printDiagnostics, UserError } from "./common.js";
import { watchOr } from "./watch.js";
import { prepareOutputDir, writeOutputFile } from "./paths.js";
import { page, scheduleSection } from "../../sim/report-html.js";

export interface Compiled extends Required<Omit<BackendResult, "diagnostics">> {
  pkg: Package;
  fn: Fn;
  kernel?: KernelInfo;
}

function sourceInfo(file: string): { source: string; sourceHash: string } {
  let text: string;
  try { text = readFileSync(file, "utf8"); } catch (e) { throw new UserError(`cannot read ${file}: ${(e as Error).message}`); }
  return { sourceHash: createHash("sha256").update(text).digest("hex"), source: relative(process.cwd(), file).split("\\").join("/") || file };
}

export function parseClock(s: string | undefined): number {
  const mhz = s === undefined ? 250 : Number(s);
  if (!Number.isFinite(mhz) || mhz <= 0 || mhz > 100_000) throw new UserError(`--clock-mhz must be a positive number of MHz (got '${s}')`);
  return mhz;
}

/** Compile a function to memory; prints diagnostics and returns undefined when there are any. */
// The driver (which loads TypeScript) and the backend are imported when a design is compiled, not
// when the command is registered: `tsfpga --version`, `--help` and `pcap` never load them.
const driver = () => import("../driver.js");

/** The delay model for --target (undefined: the generic model); an unknown target is a UserError. */
export function targetModel(target: string | undefined): DelayModel | undefined {
  if (target === undefined) return undefined;
  try { return loadDelayModel(target); } catch (e) { throw new UserError((e as Error).message); }
}

export async function compileDesign(file: string, top: string | undefined, clockMhz: number, model?: DelayModel): Promise<Compiled | undefined> {
  return toHardware(file, { ...(await driver()).compileTop(file, top), kernels: [] }, clockMhz, model);
}

/** Compile a streaming kernel to memory (prints diagnostics and returns undefined on any). */
export async function compileKernelDesign(file: string, name: string | undefined, clockMhz: number, model?: DelayModel): Promise<Compiled | undefined> {
  return toHardware(file, (await driver()).compileKernel(file, name), clockMhz, model);
}

/** Compile whatever --top names, a kernel or a function (see compileUnit), to memory. */
export async function compileUnitDesign(file: string, top: string | undefined, clockMhz: number, model?: DelayModel, outputStages?: number): Promise<Compiled | undefined> {
  return toHardware(file, (await driver()).compileUnit(file, top), clockMhz, model, outputStages);
}

async function toHardware(file: string, r: KernelResult, clockMhz: number, model: DelayModel = GENERIC_MODEL, outputStages?: number): Promise<Compiled | undefined> {
  if (r.diagnostics.length || !r.pkg || !r.fn) { printDiagnostics(r.diagnostics); return undefined; }
  const src = sourceInfo(file);
  const { generateHardware, generateKernelHardware } = await import("../verilog/backend.js");
  const fn = r.fn;
  const hw = withDelayModel(model, () => (r.kernel ? generateKernelHardware(fn, r.kernel, { clockMhz, ...src, ...(outputStages !== undefined ? { outputStages } : {}) }) : generateHardware(fn, { clockMhz, ...src })));
  if (hw.diagnostics.length || !hw.verilog) { printDiagnostics(hw.diagnostics); return undefined; }
  return { ...(hw as Required<BackendResult>), pkg: r.pkg, fn: r.kernel ? { ...r.fn, name: r.kernel.name } : r.fn, kernel: r.kernel };
}

/** Write the three output files; returns their paths. */
export function writeDesign(c: Compiled, dir: string): { verilog: string; signature: string; report: string; html: string } {
  prepareOutputDir(dir);
  const base = join(dir, c.fn.name);
  const paths = { verilog: `${base}.v`, signature: `${base}.signature.json`, report: `${base}.report.json`, html: `${base}.report.html` };
  writeOutputFile(paths.html, page(`${c.fn.name}: ${c.report.stages} stage(s) at ${c.report.clockMhz} MHz`, scheduleSection(c.report)));
  writeOutputFile(paths.verilog, c.verilog);
  writeOutputFile(paths.signature, JSON.stringify(c.signature, null, 2) + "\n");
  writeOutputFile(paths.report, JSON.stringify(c.report, null, 2) + "\n");
  return paths;
}

/** A pipeline of kernels compiled to memory: its stages and hardware (pipeline-hw.ts). */
export interface CompiledPipeline { name: string; stages: PipelineStage[]; hw: Required<Omit<PipelineHw, "diagnostics">>; clockMhz: number; delayModel: string }

/** Compile a pipeline to memory (prints diagnostics and returns undefined on any). */
export async function compilePipelineHw(file: string, top: string | undefined, clockMhz: number, model: DelayModel | undefined): Promise<CompiledPipeline | undefined> {
  const r = (await driver()).compilePipeline(file, top);
  if (r.diagnostics.length || !r.stages || !r.name) { printDiagnostics(r.diagnostics); return undefined; }
  const src = sourceInfo(file);
  const { generatePipelineHardware } = await import("../verilog/pipeline-hw.js");
  const name = r.name, stages = r.stages;
  const m = model ?? GENERIC_MODEL;
  const hw = withDelayModel(m, () => generatePipelineHardware(name, stages, { clockMhz, ...src }));
  if (hw.diagnostics.length || !hw.verilog) { printDiagnostics(hw.diagnostics); return undefined; }
  return { name, stages, hw: hw as CompiledPipeline["hw"], clockMhz, delayModel: m.name };
}

/** Write a compiled pipeline: one Verilog file per module, the top's signature, the report (JSON and HTML). */
export function writePipelineDesign(p: CompiledPipeline, dir: string): { verilog: string[]; signature: string; report: string; html: string } {
  const { name, stages, hw, clockMhz } = p;
  const report = {
    top: name, module: hw.module, clockMhz, latencyCycles: hw.latencyCycles, ii: 1,
    stages: stages.map((s, i) => ({ stage: s.name, kernel: s.kernel.name, ...hw.stages[i].report! })),
  };
  const base = join(dir, name);
  const paths = { signature: `${base}.signature.json`, report: `${base}.report.json`, html: `${base}.report.html` };
  writeOutputFile(paths.html, page(`${name}: ${stages.map((s) => s.name).join(" → ")} at ${clockMhz} MHz`, hw.stages.map((h, i) => `<h2>Kernel ${i + 1}: ${stages[i].name}</h2>${scheduleSection(h.report!)}`).join("\n")));
  const files = hw.files.map((f) => ({ path: join(dir, `${f.module}.v`), text: f.verilog }));
  for (const f of files) writeOutputFile(f.path, f.text);
  writeOutputFile(paths.signature, JSON.stringify(hw.signature, null, 2) + "\n");
  writeOutputFile(paths.report, JSON.stringify(report, null, 2) + "\n");
  return { verilog: files.map((f) => f.path), ...paths };
}

/**
 * Compile a pipeline of kernels: one Verilog file with every kernel's module and the top module,
 * the top's signature, and a report with each kernel's schedule; prints a summary per kernel.
 */
async function compilePipelineDesign(file: string, top: string | undefined, clockMhz: number, model: DelayModel | undefined, dir: string): Promise<number> {
  const p = await compilePipelineHw(file, top, clockMhz, model);
  if (!p) return 1;
  const { name, stages, hw } = p;
  const paths = writePipelineDesign(p, dir);
  process.stdout.write(
    `${name}: pipeline of ${stages.length} kernel(s) at ${clockMhz} MHz, latency ${hw.latencyCycles} cycle(s) with no stalls, ii 1\n` +
    hw.stages.map((h, i) => {
      const k = h.report!;
      return `  ${i + 1}. ${stages[i].name} (module ${h.module}): ${k.stages} stage(s), predicted fmax ${k.predictedFmaxMhz} MHz` +
        (k.kernel ? `, state loop in stage ${k.kernel.loopStage} (${k.kernel.stateLoopNs.toFixed(3)} ns / ${k.budgetNs} ns)` : "") + "\n";
    }).join("") +
    `wrote ${paths.verilog.join(", ")}, ${paths.signature}, ${paths.report}, ${paths.html}\n`,
  );
  return 0;
}

export function registerCompile(program: Command): void {
  program
    .command("compile")
    .description("compile a function or a streaming kernel to pipelined Verilog with AXI-Stream interfaces")
    .argument("<file>", "dialect source file")
    .option("--top <name>", "an exported function, a kernel or a pipeline (default: the file's only pipeline, else its only kernel, else its only exported function)")
    .option("--clock-mhz <n>", "target clock frequency in MHz", "250")
    .option("--target <device>", "schedule with this device's calibrated delay model (ice40-hx8k, ecp5-25f; default: the generic model)")
    .option("-o, --out <dir>", "output directory", "build")
    .option("--watch", "compile again whenever the file (or a file it imports) changes; Ctrl-C stops")
    .action((file: string, o: { top?: string; clockMhz?: string; target?: string; out: string; watch?: boolean }) => watchOr(o.watch, [file], async () => {
      prepareOutputDir(o.out);
      if ((await driver()).isPipelineTop(file, o.top)) return compilePipelineDesign(file, o.top, parseClock(o.clockMhz), targetModel(o.target), o.out);
      const c = await compileUnitDesign(file, o.top, parseClock(o.clockMhz), targetModel(o.target));
      if (!c) return 1;
      const p = writeDesign(c, o.out);
      const r = c.report;
      process.stdout.write(
        `${c.fn.name}: ${r.stages} stage(s) at ${r.clockMhz} MHz, latency ${r.latencyCycles} cycle(s), ii ${r.ii}\n` +
        `  delay model ${r.delayModel}: predicted fmax ${r.predictedFmaxMhz} MHz\n` +
        (r.kernel ? `  state loop in stage ${r.kernel.loopStage}: ${r.kernel.stateLoopNs.toFixed(3)} ns / ${r.budgetNs} ns; ${r.kernel.inputStages} input stage(s) of beat-only logic ahead of it (added input latency ${r.kernel.inputStages} cycle(s)); ${r.kernel.outputStages ? `record logic from stage ${r.kernel.loopStage + r.kernel.outputStages} (${r.kernel.outputStages} output stage(s) after the loop); ` : ""}${r.kernel.configStages} configuration stage(s) (a change of cfg takes effect ${r.kernel.configStages} cycle(s) later)\n` : "") +
        r.perStage.map((s) => `  stage ${s.stage}: ${s.estimatedDelayNs.toFixed(3)} ns / ${r.budgetNs} ns, ${s.ops} ops  ${s.sourceLines.join(" ")}\n`).join("") +
        `wrote ${p.verilog}, ${p.signature}, ${p.report}, ${p.html}\n`,
      );
      return 0;
    }));
}
