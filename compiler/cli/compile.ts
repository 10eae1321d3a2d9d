/**
 * `tsfpga compile <file> --top f [--clock-mhz N] [-o dir]`: lower, optimise, schedule and emit
 * `<dir>/<top>.v`, `<top>.signature.json` and `<top>.report.json`, then print a short summary.
 * Also exports the shared step (compile to memory) used by `simulate` and `testbench`.
 */
import type { Command } from "commander";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { compileKernel, compileTop } from "../driver.js";
import type { Fn, Package } from "../ir/ir.js";
import { generateHardware, generateKernelHardware, type BackendResult } from "../verilog/backend.js";
import type { KernelInfo } from "../ir/ir.js";
import { guarded, printDiagnostics, UserError } from "./common.js";
import { page, scheduleSection } from "../../sim/report-html.js";

export interface Compiled extends Required<Omit<BackendResult, "diagnostics">> {
  pkg: Package;
  fn: Fn;
  kernel?: KernelInfo;
}

/** Does the file declare a streaming kernel (`const k = kernel(INIT, step)`)? */
export function declaresKernel(file: string): boolean {
  try { return /=\s*kernel\s*\(/.test(readFileSync(file, "utf8")); } catch { return false; }
}

function sourceInfo(file: string): { source: string; sourceHash: string } {
  let text: string;
  try { text = readFileSync(file, "utf8"); } catch (e) { throw new UserError(`cannot read ${file}: ${(e as Error).message}`); }
  return { sourceHash: createHash("sha256").update(text).digest("hex"), source: relative(process.cwd(), file).split("\\").join("/") || file };
}

/** Compile a streaming kernel to memory (prints diagnostics and returns undefined on any). */
export function compileKernelDesign(file: string, name: string | undefined, clockMhz: number): Compiled | undefined {
  const r = compileKernel(file, name);
  if (r.diagnostics.length || !r.pkg || !r.fn || !r.kernel) { printDiagnostics(r.diagnostics); return undefined; }
  const hw = generateKernelHardware(r.fn, r.kernel, { clockMhz, ...sourceInfo(file) });
  if (hw.diagnostics.length || !hw.verilog) { printDiagnostics(hw.diagnostics); return undefined; }
  return { ...(hw as Required<BackendResult>), pkg: r.pkg, fn: { ...r.fn, name: r.kernel.name }, kernel: r.kernel };
}

export function parseClock(s: string | undefined): number {
  const mhz = s === undefined ? 250 : Number(s);
  if (!Number.isFinite(mhz) || mhz <= 0 || mhz > 100_000) throw new UserError(`--clock-mhz must be a positive number of MHz (got '${s}')`);
  return mhz;
}

/** Compile to memory; prints diagnostics and returns undefined when there are any. */
export function compileDesign(file: string, top: string | undefined, clockMhz: number): Compiled | undefined {
  const r = compileTop(file, top);
  if (r.diagnostics.length || !r.pkg || !r.fn) { printDiagnostics(r.diagnostics); return undefined; }
  let text: string;
  try { text = readFileSync(file, "utf8"); } catch (e) { throw new UserError(`cannot read ${file}: ${(e as Error).message}`); }
  const sourceHash = createHash("sha256").update(text).digest("hex");
  const source = relative(process.cwd(), file).split("\\").join("/") || file;
  const hw = generateHardware(r.fn, { clockMhz, source, sourceHash });
  if (hw.diagnostics.length || !hw.verilog) { printDiagnostics(hw.diagnostics); return undefined; }
  return { ...(hw as Required<BackendResult>), pkg: r.pkg, fn: r.fn };
}

/** Write the three output files; returns their paths. */
export function writeDesign(c: Compiled, dir: string): { verilog: string; signature: string; report: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, c.fn.name);
  const paths = { verilog: `${base}.v`, signature: `${base}.signature.json`, report: `${base}.report.json`, html: `${base}.report.html` };
  writeFileSync(paths.html, page(`${c.fn.name}: ${c.report.stages} stage(s) at ${c.report.clockMhz} MHz`, scheduleSection(c.report)));
  writeFileSync(paths.verilog, c.verilog);
  writeFileSync(paths.signature, JSON.stringify(c.signature, null, 2) + "\n");
  writeFileSync(paths.report, JSON.stringify(c.report, null, 2) + "\n");
  return paths;
}

export function registerCompile(program: Command): void {
  program
    .command("compile")
    .description("compile a function to pipelined Verilog with an AXI-Stream interface")
    .argument("<file>", "dialect source file")
    .option("--top <fn>", "the exported function (default: the only one)")
    .option("--clock-mhz <n>", "target clock frequency in MHz", "250")
    .option("-o, --out <dir>", "output directory", "build")
    .action((file: string, o: { top?: string; clockMhz?: string; out: string }) => guarded(() => {
      const kernelMode = declaresKernel(file) && (o.top === undefined || !new RegExp(`export function ${o.top}\\b`).test(readFileSync(file, "utf8")));
      const c = kernelMode ? compileKernelDesign(file, o.top, parseClock(o.clockMhz)) : compileDesign(file, o.top, parseClock(o.clockMhz));
      if (!c) return 1;
      const p = writeDesign(c, o.out);
      const r = c.report;
      process.stdout.write(
        `${c.fn.name}: ${r.stages} stage(s) at ${r.clockMhz} MHz, latency ${r.latencyCycles} cycle(s), ii ${r.ii}\n` +
        r.perStage.map((s) => `  stage ${s.stage}: ${s.estimatedDelayNs.toFixed(3)} ns / ${r.budgetNs} ns, ${s.ops} ops  ${s.sourceLines.join(" ")}\n`).join("") +
        `wrote ${p.verilog}, ${p.signature}, ${p.report}, ${p.html}\n`,
      );
      return 0;
    }));
}
