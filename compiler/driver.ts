/**
 * The compiler's front door for every command: check a set of dialect files (TypeScript's own
 * errors, banned constructs, and lowering of every exported function), or lower one top function
 * and run the pass pipeline. Returns diagnostics as data; only cli/ prints them. The checked
 * TypeScript program is kept per file set (frontend/program.ts): checking or compiling several
 * tops of unchanged files builds it once, and after an edit only the changed files are parsed again.
 */
import ts = require("typescript"); // a require, not an ESM import: see frontend/program.ts
import { sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { makeDiagnostic } from "./diagnostics/diagnostic.js";
import { checkDialect } from "./frontend/check.js";
import { Lowering } from "./frontend/lower.js";
import { createFrontend, displayPath, frontendFiles } from "./frontend/program.js";
import type { Fn, KernelInfo, Package } from "./ir/ir.js";
import { findKernelDecls, lowerKernel, type KernelDecl } from "./frontend/kernel.js";
import { runPipeline, type PipelineOptions } from "./passes/pipeline.js";
import { findPipelineDecls, lowerPipeline, type PipelineDecl } from "./frontend/pipeline.js";

export interface CheckResult {
  diagnostics: Diagnostic[];
  lowering: Lowering;
}

function exportedFunctions(sf: ts.SourceFile): ts.FunctionDeclaration[] {
  return sf.statements.filter((s): s is ts.FunctionDeclaration =>
    ts.isFunctionDeclaration(s) && !!s.body && !!ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
}

/** Check files: every problem in one list, sorted by position. */
export function checkFiles(files: string[], opts: { lowerAll?: boolean } = {}): CheckResult {
  const fe = createFrontend(files);
  const L = new Lowering(fe);
  for (const sf of fe.userFiles) {
    checkDialect(L, sf);
    for (const st of sf.statements) if (ts.isFunctionDeclaration(st) && st.body) L.sigOf(st); // widths in every signature
  }
  const early = [...fe.tsDiagnostics, ...L.diagnostics];
  if (opts.lowerAll !== false) {
    // Lower every exported function whose own text has no earlier error, so value-level problems
    // (ranges, widths, indexes) are reported in the same run as the banned constructs.
    for (const sf of fe.userFiles) for (const f of exportedFunctions(sf)) if (!hasErrorInside(f, early)) lowerSafely(L, f);
    if (early.length === 0) for (const sf of fe.userFiles) for (const k of findKernelDecls(L, sf)) lowerKernel(L, k);
    // Pipelines: every stage a kernel, each taking what the one before it outputs.
    if (early.length === 0 && L.diagnostics.length === 0) for (const sf of fe.userFiles) for (const p of findPipelineDecls(L, sf)) lowerPipeline(L, p);
  }
  suggestImports(fe);
  return { diagnostics: sortDiagnostics([...fe.tsDiagnostics, ...L.diagnostics]), lowering: L };
}

/** TypeScript's "Cannot find name 'u16'" for a name the tsfpga runtime exports: say how to import it. */
function suggestImports(fe: ReturnType<typeof createFrontend>): void {
  const mod = fe.runtimeFile && fe.checker.getSymbolAtLocation(fe.runtimeFile);
  const names = new Set(mod ? fe.checker.getExportsOfModule(mod).map((s) => s.name) : []);
  for (const d of fe.tsDiagnostics) {
    const m = (d.code === "TS2304" || d.code === "TS2552") && /Cannot find name '(\w+)'/.exec(d.message);
    if (m && names.has(m[1])) d.suggestion = `import it with the others: import { ${m[1]} } from "tsfpga"`;
  }
}

/** The files a check of `files` read (they and the local files they import): what watch mode watches. */
export function watchedFiles(files: string[]): string[] {
  return frontendFiles(files);
}

function hasErrorInside(f: ts.FunctionDeclaration, ds: Diagnostic[]): boolean {
  const sf = f.getSourceFile();
  const file = displayPath(sf.fileName);
  const first = sf.getLineAndCharacterOfPosition(f.getStart(sf)).line + 1;
  const last = sf.getLineAndCharacterOfPosition(f.getEnd()).line + 1;
  return ds.some((d) => d.file === file && d.line >= first && d.line <= last);
}

function lowerSafely(L: Lowering, f: ts.FunctionDeclaration): Fn | undefined {
  try {
    return L.lowerFunction(f);
  } catch (e) {
    const sf = f.getSourceFile();
    const { line, character } = sf.getLineAndCharacterOfPosition(f.getStart(sf));
    L.diagnostics.push(makeDiagnostic("internal", [e instanceof Error ? e.message : String(e)], { file: displayPath(sf.fileName), line: line + 1, col: character + 1 }));
    return undefined;
  }
}

export interface TopResult {
  diagnostics: Diagnostic[];
  pkg?: Package;
  fn?: Fn;
  /** Exported functions of the main file, for messages. */
  exported: string[];
}

/** The checked program and what the main file declares (exported functions, kernels). */
interface MainFile {
  diagnostics: Diagnostic[];
  L: Lowering;
  exported: ts.FunctionDeclaration[];
  kernels: KernelDecl[];
  pipelines: PipelineDecl[];
}

function checkMain(file: string): MainFile {
  const { diagnostics, lowering: L } = checkFiles([file], { lowerAll: false });
  const sf = L.fe.userFiles.find((s) => displayPath(s.fileName) === displayPath(file)) ?? L.fe.userFiles[0];
  return { diagnostics, L, exported: sf ? exportedFunctions(sf) : [], kernels: sf ? findKernelDecls(L, sf) : [], pipelines: sf ? findPipelineDecls(L, sf) : [] };
}

function noTop(file: string, name: string | undefined, m: MainFile): Diagnostic {
  const at = { file: displayPath(file), line: 1, col: 1 };
  const names = [...m.exported.map((f) => f.name!.text), ...m.kernels.map((k) => `${k.name} (kernel)`), ...m.pipelines.map((p) => `${p.name} (pipeline)`)];
  if (name === undefined && !names.length) return makeDiagnostic("nothingToCompile", [displayPath(file)], at);
  if (name === undefined) return makeDiagnostic("chooseTop", [displayPath(file), `${names.length} top${names.length === 1 ? "" : "s"}`, names.join(", "), names[0].replace(/ \((kernel|pipeline)\)$/, "")], at);
  const d = makeDiagnostic("noTop", [name, displayPath(file)], at);
  d.suggestion = names.length ? `name one of: ${names.join(", ")} with --top` : "export a function, or declare a kernel: export const k = kernel(INIT, step)";
  return d;
}

function lowerFunctionTop(file: string, m: MainFile, name: string | undefined): TopResult {
  const exported = m.exported.map((f) => f.name!.text);
  const decl = m.exported.find((f) => f.name?.text === name);
  if (!decl) return { diagnostics: [noTop(file, name, m)], exported };
  const fn = lowerSafely(m.L, decl);
  if (m.L.diagnostics.length || !fn) return { diagnostics: sortDiagnostics(m.L.diagnostics), exported };
  return { diagnostics: [], pkg: { name: fn.name, fns: [...m.L.fns.values()] }, fn, exported };
}

/** Lower one exported function of `file` (after checking the whole program) to an IR package. */
export function lowerTop(file: string, top: string | undefined): TopResult {
  const m = checkMain(file);
  if (m.diagnostics.length) return { diagnostics: m.diagnostics, exported: m.exported.map((f) => f.name!.text) };
  return lowerFunctionTop(file, m, top ?? (m.exported.length === 1 ? m.exported[0].name!.text : undefined));
}

/** Lower and optimise: the IR every engine and backend consumes. */
export function compileTop(file: string, top: string | undefined, opts: PipelineOptions = {}): TopResult {
  const r = lowerTop(file, top);
  if (!r.pkg || !r.fn) return r;
  runPipeline(r.pkg, r.fn.name, opts);
  const fn = r.pkg.fns.find((f) => f.name === r.fn!.name)!;
  return { ...r, fn };
}

export interface KernelResult extends TopResult {
  kernel?: KernelInfo;
  /** Kernels declared in the main file. */
  kernels: string[];
}

/** Lower and optimise a streaming kernel of `file` (the only one when `name` is not given). */
export function compileKernel(file: string, name: string | undefined, opts: PipelineOptions = {}): KernelResult {
  const m = checkMain(file);
  return m.diagnostics.length ? { diagnostics: m.diagnostics, exported: [], kernels: m.kernels.map((k) => k.name) } : kernelOf(file, m, name, opts);
}

/** Run a lowering; an exception is an internal error diagnostic at the top of `file` (undefined then). */
function lowerOrInternal<T>(L: { diagnostics: Diagnostic[] }, file: string, lower: () => T): T | undefined {
  try {
    return lower();
  } catch (e) {
    L.diagnostics.push(makeDiagnostic("internal", [e instanceof Error ? e.message : String(e)], { file: displayPath(file), line: 1, col: 1 }));
    return undefined;
  }
}

function kernelOf(file: string, m: MainFile, name: string | undefined, opts: PipelineOptions): KernelResult {
  const kernels = m.kernels.map((k) => k.name);
  const exported = m.exported.map((f) => f.name!.text);
  const k = m.kernels.find((d) => d.name === name) ?? (name === undefined && m.kernels.length === 1 && !m.pipelines.length ? m.kernels[0] : undefined);
  if (!k) return { diagnostics: [noTop(file, name, m)], exported, kernels };
  const L = m.L;
  const lowered = lowerOrInternal(L, file, () => lowerKernel(L, k));
  if (L.diagnostics.length || !lowered) return { diagnostics: sortDiagnostics(L.diagnostics), exported, kernels };
  const pkg: Package = { name: k.name, fns: [...L.fns.values()], kernel: lowered.info };
  runPipeline(pkg, lowered.fn.name, opts);
  const fn = pkg.fns.find((f) => f.name === lowered!.fn.name)!;
  return { diagnostics: [], pkg, fn, kernel: lowered.info, exported, kernels };
}

/**
 * Lower and optimise whatever `top` names in `file`: a kernel or an exported function. Without
 * `top`, the file's only kernel is taken, else its only exported function (a file's only pipeline
 * comes first: the commands ask isPipelineTop before calling this). The program is checked
 * once; `kernel` is set when the result is a kernel.
 */
export function compileUnit(file: string, top: string | undefined, opts: PipelineOptions = {}): KernelResult {
  const m = checkMain(file);
  const kernels = m.kernels.map((k) => k.name);
  if (m.diagnostics.length) return { diagnostics: m.diagnostics, exported: m.exported.map((f) => f.name!.text), kernels };
  const isKernel = top !== undefined ? kernels.includes(top) : kernels.length === 1 && !m.pipelines.length;
  if (isKernel) return kernelOf(file, m, top, opts);
  const r = lowerFunctionTop(file, m, top ?? (m.exported.length === 1 ? m.exported[0].name!.text : undefined));
  if (!r.pkg || !r.fn) return { ...r, kernels };
  runPipeline(r.pkg, r.fn.name, opts);
  return { ...r, fn: r.pkg.fns.find((f) => f.name === r.fn!.name)!, kernels };
}

/** One compiled stage of a pipeline: its kernel, lowered and optimised. */
export interface PipelineStage {
  /** The stage's name: the kernel's name, with `_<index>` when the pipeline uses that kernel twice. */
  name: string;
  kernel: KernelInfo;
  pkg: Package;
  fn: Fn;
}

export interface PipelineResult {
  diagnostics: Diagnostic[];
  name?: string;
  stages?: PipelineStage[];
  /** Pipelines declared in the main file. */
  pipelines: string[];
}

/**
 * Whether `top` names a pipeline of `file` (without `top`: the file declares exactly one pipeline,
 * which composes its kernels, so it is the default top), for the commands that take a kernel, a
 * function or a pipeline.
 */
export function isPipelineTop(file: string, top: string | undefined): boolean {
  const m = checkMain(file);
  if (m.diagnostics.length) return false;
  return top !== undefined ? m.pipelines.some((p) => p.name === top) : m.pipelines.length === 1;
}

/**
 * Lower and optimise every kernel of a pipeline declared in `file` (the only one when `name` is not
 * given); each stage's input type must be the previous stage's output type.
 */
export function compilePipeline(file: string, name: string | undefined, opts: PipelineOptions = {}): PipelineResult {
  const m = checkMain(file);
  const pipelines = m.pipelines.map((p) => p.name);
  if (m.diagnostics.length) return { diagnostics: m.diagnostics, pipelines };
  const p = m.pipelines.find((d) => d.name === name) ?? (name === undefined && m.pipelines.length === 1 ? m.pipelines[0] : undefined);
  if (!p) return { diagnostics: [noTop(file, name, m)], pipelines };
  const L = m.L;
  const low = lowerOrInternal(L, file, () => lowerPipeline(L, p));
  if (L.diagnostics.length || !low) return { diagnostics: sortDiagnostics(L.diagnostics), pipelines };
  const { decls, lowered } = low;
  const done = new Map<ts.VariableDeclaration, PipelineStage>();
  const stages: PipelineStage[] = [];
  const count = (n: string) => decls.filter((d) => d.name === n).length;
  decls.forEach((d, i) => {
    let st = done.get(d.decl);
    if (!st) {
      const { fn, info } = lowered.get(d.decl)!;
      const pkg: Package = { name: info.name, fns: [...L.fns.values()], kernel: info };
      runPipeline(pkg, fn.name, opts);
      st = { name: info.name, kernel: info, pkg, fn: pkg.fns.find((f) => f.name === fn.name)! };
      done.set(d.decl, st);
    }
    stages.push({ ...st, name: count(d.name) > 1 ? `${d.name}_${i}` : d.name });
  });
  return { diagnostics: [], name: p.name, stages, pipelines };
}
