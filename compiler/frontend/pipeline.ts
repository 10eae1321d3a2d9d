/**
 * Pipelines of kernels: recognises module-level `const p = pipeline(a, b, …)` declarations (the
 * runtime's `pipeline`) and resolves each argument, through imports, to the `kernel(INIT, step)`
 * declaration it names. The stages are then lowered as kernels (frontend/kernel.ts); the driver
 * checks that each stage's input type is the previous stage's output type.
 */
import ts = require("typescript"); // a require, not an ESM import: see frontend/program.ts
import type { Lowering } from "./lower.js";
import { lowerKernel, type KernelDecl } from "./kernel.js";
import type { DType } from "../ir/ir.js";

export interface PipelineDecl {
  name: string;
  decl: ts.VariableDeclaration;
  call: ts.CallExpression;
}

/** Whether `call` calls the runtime's function `name`. */
function callsRuntime(L: Lowering, call: ts.CallExpression, name: string): boolean {
  let sym = L.checker.getSymbolAtLocation(call.expression);
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = L.checker.getAliasedSymbol(sym);
  return sym?.name === name && sym.declarations?.[0]?.getSourceFile() === L.fe.runtimeFile;
}

/** The `pipeline(…)` declarations of a file, exported or not. */
export function findPipelineDecls(L: Lowering, sf: ts.SourceFile): PipelineDecl[] {
  const out: PipelineDecl[] = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      if (init && ts.isCallExpression(init) && ts.isIdentifier(d.name) && callsRuntime(L, init, "pipeline")) out.push({ name: d.name.text, decl: d, call: init });
    }
  }
  return out;
}

/** The kernels a pipeline names, in order; reports an argument that is not a kernel and returns undefined. */
export function pipelineStages(L: Lowering, p: PipelineDecl): KernelDecl[] | undefined {
  const stages: KernelDecl[] = [];
  if (p.call.arguments.length < 1) { L.report(p.call, "construct", ["pipeline() without kernels"]); return undefined; }
  for (const a of p.call.arguments) {
    let sym = ts.isIdentifier(a) ? L.checker.getSymbolAtLocation(a) : undefined;
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = L.checker.getAliasedSymbol(sym);
    const d = sym?.valueDeclaration;
    const init = d && ts.isVariableDeclaration(d) ? d.initializer : undefined;
    if (!d || !ts.isVariableDeclaration(d) || !ts.isIdentifier(d.name) || !init || !ts.isCallExpression(init) || !callsRuntime(L, init, "kernel")) {
      L.report(a, "construct", ["a pipeline stage that is not a kernel declared with kernel(INIT, step)"]);
      return undefined;
    }
    stages.push({ name: d.name.text, decl: d, call: init });
  }
  return stages;
}

/**
 * Lower every kernel of a pipeline (each once, however often it is used) and check that each stage
 * takes what the stage before it outputs; reports problems and returns undefined when there are any.
 */
export function lowerPipeline(L: Lowering, p: PipelineDecl): { decls: KernelDecl[]; lowered: Map<ts.VariableDeclaration, NonNullable<ReturnType<typeof lowerKernel>>> } | undefined {
  const decls = pipelineStages(L, p);
  if (!decls) return undefined;
  const lowered = new Map<ts.VariableDeclaration, NonNullable<ReturnType<typeof lowerKernel>>>();
  for (const d of decls) if (!lowered.has(d.decl)) {
    const r = lowerKernel(L, d);
    if (!r) return undefined;
    lowered.set(d.decl, r);
  }
  const typeName = (d: DType) => (d.k === "record" ? d.name : JSON.stringify(d));
  for (let i = 1; i < decls.length; i++) {
    const a = lowered.get(decls[i - 1].decl)!.info, b = lowered.get(decls[i].decl)!.info;
    if (JSON.stringify(a.out) !== JSON.stringify(b.input)) {
      L.report(p.call.arguments[i], "construct", [`a pipeline stage whose input (${b.name} takes ${typeName(b.input)}) is not what the stage before it outputs (${a.name} outputs ${typeName(a.out)})`]);
      return undefined;
    }
  }
  return { decls, lowered };
}
