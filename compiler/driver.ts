/**
 * The compiler's front door for every command: check a set of dialect files (TypeScript's own
 * errors, banned constructs, and lowering of every exported function), or lower one top function
 * and run the pass pipeline. Returns diagnostics as data; only cli/ prints them.
 */
import ts from "typescript";
import { sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { makeDiagnostic } from "./diagnostics/diagnostic.js";
import { checkDialect } from "./frontend/check.js";
import { Lowering } from "./frontend/lower.js";
import { createFrontend, displayPath } from "./frontend/program.js";
import type { Fn, KernelInfo, Package } from "./ir/ir.js";
import { findKernelDecls, lowerKernel } from "./frontend/kernel.js";
import { runPipeline, type PipelineOptions } from "./passes/pipeline.js";

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
  }
  return { diagnostics: sortDiagnostics([...fe.tsDiagnostics, ...L.diagnostics]), lowering: L };
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

/** Lower one exported function of `file` (after checking the whole program) to an IR package. */
export function lowerTop(file: string, top: string | undefined): TopResult {
  const { diagnostics, lowering: L } = checkFiles([file], { lowerAll: false });
  const sf = L.fe.userFiles.find((s) => displayPath(s.fileName) === displayPath(file)) ?? L.fe.userFiles[0];
  const exported = sf ? exportedFunctions(sf).map((f) => f.name!.text) : [];
  if (diagnostics.length) return { diagnostics, exported };
  const name = top ?? (exported.length === 1 ? exported[0] : undefined);
  const decl = sf && exportedFunctions(sf).find((f) => f.name?.text === name);
  if (!decl) {
    const d = makeDiagnostic("noTop", [name ?? "(none given)", displayPath(file)], { file: displayPath(file), line: 1, col: 1 });
    d.suggestion = exported.length ? `name one of: ${exported.join(", ")} with --top` : "export a function";
    return { diagnostics: [d], exported };
  }
  const fn = lowerSafely(L, decl);
  if (L.diagnostics.length || !fn) return { diagnostics: sortDiagnostics(L.diagnostics), exported };
  const pkg: Package = { name: fn.name, fns: [...L.fns.values()] };
  return { diagnostics: [], pkg, fn, exported };
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
  const { diagnostics, lowering: L } = checkFiles([file], { lowerAll: false });
  const sf = L.fe.userFiles.find((s) => displayPath(s.fileName) === displayPath(file)) ?? L.fe.userFiles[0];
  const decls = sf ? findKernelDecls(L, sf) : [];
  const kernels = decls.map((k) => k.name);
  const exported = sf ? exportedFunctions(sf).map((f) => f.name!.text) : [];
  if (diagnostics.length) return { diagnostics, exported, kernels };
  const k = decls.find((d) => d.name === name) ?? (name === undefined && decls.length === 1 ? decls[0] : undefined);
  if (!k) {
    const d = makeDiagnostic("noTop", [name ?? "(none given)", displayPath(file)], { file: displayPath(file), line: 1, col: 1 });
    d.suggestion = kernels.length ? `name one of the kernels: ${kernels.join(", ")}` : "declare one: export const k = kernel(INIT, step)";
    return { diagnostics: [d], exported, kernels };
  }
  let lowered: ReturnType<typeof lowerKernel>;
  try {
    lowered = lowerKernel(L, k);
  } catch (e) {
    L.diagnostics.push(makeDiagnostic("internal", [e instanceof Error ? e.message : String(e)], { file: displayPath(file), line: 1, col: 1 }));
  }
  if (L.diagnostics.length || !lowered) return { diagnostics: sortDiagnostics(L.diagnostics), exported, kernels };
  const pkg: Package = { name: k.name, fns: [...L.fns.values()], kernel: lowered.info };
  runPipeline(pkg, lowered.fn.name, opts);
  const fn = pkg.fns.find((f) => f.name === lowered!.fn.name)!;
  return { diagnostics: [], pkg, fn, kernel: lowered.info, exported, kernels };
}
