/**
 * Streaming kernels: recognises module-level `const k = kernel(INIT, step)` declarations (the
 * runtime's `kernel`), checks the step function's form — `(state: S, input: I, cfg?: C) =>
 * Step<S, O>`, i.e. a record `{ state: S; out: O; valid: boolean }` — evaluates INIT at compile
 * time into the reset value of the state, and lowers the step function like any other function.
 */
import ts = require("typescript"); // a require, not an ESM import: see frontend/program.ts
import type { DType, Fn, KernelInfo, MemInfo } from "../ir/ir.js";
import { wrap, type Value } from "../ir/values.js";
import type { ConstTree, Lowering } from "./lower.js";
import { dtypeToString } from "./dtypes.js";

export interface KernelDecl {
  name: string;
  decl: ts.VariableDeclaration;
  call: ts.CallExpression;
}

/** The `kernel(…)` declarations of a file, exported or not. */
export function findKernelDecls(L: Lowering, sf: ts.SourceFile): KernelDecl[] {
  const out: KernelDecl[] = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(d.name)) continue;
      let sym = L.checker.getSymbolAtLocation(init.expression);
      if (sym && sym.flags & ts.SymbolFlags.Alias) sym = L.checker.getAliasedSymbol(sym);
      const decl = sym?.declarations?.[0];
      if (sym?.name === "kernel" && decl?.getSourceFile() === L.fe.runtimeFile) out.push({ name: d.name.text, decl: d, call: init });
    }
  }
  return out;
}

function sameType(a: DType, b: DType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function constToValue(t: ConstTree, d: DType): Value | string {
  switch (d.k) {
    case "int": {
      if (t.k !== "int") return `expected an integer, got a ${t.k}`;
      const lo = d.signed ? -(1n << BigInt(d.w - 1)) : 0n, hi = d.signed ? (1n << BigInt(d.w - 1)) - 1n : (1n << BigInt(d.w)) - 1n;
      return t.v < lo || t.v > hi ? `${t.v} is outside ${dtypeToString(d)}` : wrap(t.v, d.w);
    }
    case "bool": return t.k === "bool" ? (t.v ? 1n : 0n) : `expected a boolean, got a ${t.k}`;
    case "array": {
      if (t.k !== "array" || t.elems.length !== d.n) return `expected an array of ${d.n}`;
      const out: Value[] = [];
      for (const e of t.elems) { const v = constToValue(e, d.elem); if (typeof v === "string") return v; out.push(v); }
      return out;
    }
    case "record": {
      if (t.k !== "record") return `expected a record ${d.name}`;
      const out: Value[] = [];
      for (const f of d.fields) {
        const ft = t.fields.find(([n]) => n === f.name);
        if (!ft) return `missing field ${f.name}`;
        const v = constToValue(ft[1], f.type);
        if (typeof v === "string") return `${f.name}: ${v}`;
        out.push(v);
      }
      return out;
    }
    case "mem": return `a memory (Mem) has no value of its own`;
  }
}

/**
 * The state without its memories (they live in block RAM, not in the state register), and the
 * memories with their reset contents from INIT (`mem(n, fill)`), in field order.
 */
function splitMems(state: DType, tree: ConstTree): { regs: DType; regTree: ConstTree; mems: MemInfo[] } | string {
  const mems: MemInfo[] = [];
  const walk = (d: DType, t: ConstTree, path: string): { d: DType; t: ConstTree } | string => {
    if (d.k !== "record") return { d, t };
    if (t.k !== "record") return `expected a record ${d.name}`;
    const fields: { name: string; type: DType }[] = [];
    const tfields: [string, ConstTree][] = [];
    for (const f of d.fields) {
      const ft = t.fields.find(([n]) => n === f.name)?.[1];
      if (!ft) return `missing field ${f.name}`;
      const p = path ? `${path}.${f.name}` : f.name;
      if (f.type.k === "mem") {
        if (ft.k !== "mem" || ft.n !== f.type.n) return `${p}: expected mem(${f.type.n}, …)`;
        const fill = constToValue(ft.fill, f.type.elem);
        if (typeof fill === "string") return `${p}: ${fill}`;
        const table: Value[] = [];
        for (const [i, e] of (ft.table ?? []).entries()) {
          const v = constToValue(e, f.type.elem);
          if (typeof v === "string") return `${p}: table entry ${i}: ${v}`;
          table.push(v);
        }
        mems.push({ name: p, elem: f.type.elem, n: f.type.n, addrWidth: Math.max(1, (f.type.n - 1).toString(2).length), fill, ...(ft.table ? { table } : {}) });
        continue;
      }
      const r = walk(f.type, ft, p);
      if (typeof r === "string") return r;
      fields.push({ name: f.name, type: r.d });
      tfields.push([f.name, r.t]);
    }
    return { d: { ...d, fields }, t: { ...t, fields: tfields } };
  };
  const r = walk(state, tree, "");
  return typeof r === "string" ? r : { regs: r.d, regTree: r.t, mems };
}

/** Check and lower one kernel; reports problems and returns undefined when it cannot. */
export function lowerKernel(L: Lowering, k: KernelDecl): { fn: Fn; info: KernelInfo } | undefined {
  const [initArg, stepArg, optArg] = k.call.arguments;
  if (!initArg || !stepArg || k.call.arguments.length > 3) { L.report(k.call, "construct", ["kernel(…) without exactly (init, step) or (init, step, options)"]); return undefined; }
  let sym = ts.isIdentifier(stepArg) ? L.checker.getSymbolAtLocation(stepArg) : undefined;
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = L.checker.getAliasedSymbol(sym);
  const stepDecl = sym?.declarations?.[0];
  if (!stepDecl || !ts.isFunctionDeclaration(stepDecl)) { L.report(stepArg, "construct", ["a kernel step that is not a function declared in a dialect file"]); return undefined; }
  const sig = L.sigOf(stepDecl);
  if (!sig) return undefined;
  const [state, input, cfg] = sig.params.map((p) => p.type);
  const ret = sig.ret;
  const field = (n: string) => (ret.k === "record" ? ret.fields.find((f) => f.name === n)?.type : undefined);
  const retState = field("state"), out = field("out"), valid = field("valid");
  if (sig.params.length < 2 || sig.params.length > 3 || !retState || !out || !valid || valid.k !== "bool" || !sameType(retState, state)) {
    L.report(stepDecl.name ?? stepDecl, "construct", ["a kernel step whose form is not (state: S, input: I, cfg?: C) => Step<S, O>"]);
    return undefined;
  }
  let initSym = ts.isIdentifier(initArg) ? L.checker.getSymbolAtLocation(initArg) : undefined;
  if (initSym && initSym.flags & ts.SymbolFlags.Alias) initSym = L.checker.getAliasedSymbol(initSym);
  const initDecl = initSym?.valueDeclaration;
  if (!initSym || !initDecl || !ts.isVariableDeclaration(initDecl)) { L.report(initArg, "notConst", ["a kernel's initial state (name a module-level const)"]); return undefined; }
  const tree = L.moduleConst(initSym, initDecl);
  if (!tree) return undefined;
  for (const [what, d] of [["input", input], ["configuration", cfg], ["output", out]] as const) {
    if (d && JSON.stringify(d).includes('"k":"mem"')) { L.report(stepDecl.name ?? stepDecl, "memUse", [`a memory in the kernel's ${what}`]); return undefined; }
  }
  const split = splitMems(state, tree);
  if (typeof split === "string") { L.report(initArg, "construct", [`an initial state that does not fit the state type (${split})`]); return undefined; }
  if (split.regs.k === "record" && split.regs.fields.length === 0) { L.report(stepDecl.name ?? stepDecl, "memUse", ["a state of memories only (keep at least one register field, e.g. a u32 counter)"]); return undefined; }
  // A nested record of memories only would be a record of no bits in the state register.
  const memsOnly = (d: DType, path: string): string | undefined => {
    if (d.k !== "record") return undefined;
    if (path && d.fields.length === 0) return path;
    for (const f of d.fields) { const p = memsOnly(f.type, path ? `${path}.${f.name}` : f.name); if (p) return p; }
    return undefined;
  };
  const empty = memsOnly(split.regs, "");
  if (empty) { L.report(stepDecl.name ?? stepDecl, "memUse", [`a state record '${empty}' of memories only (give it a register field, e.g. a u32 counter, or move its memories into the record that holds it)`]); return undefined; }
  const init = constToValue(split.regTree, split.regs);
  if (typeof init === "string") { L.report(initArg, "construct", [`an initial state that does not fit the state type (${init})`]); return undefined; }
  const opts = optArg ? kernelOptions(L, optArg, split.regs) : { readable: [] };
  if (!opts) return undefined;
  const { readable, outputStages } = opts;
  const fn = L.lowerFunction(stepDecl);
  if (!fn) return undefined;
  return { fn, info: { name: k.name, step: fn.name, init, state: split.regs, input, cfg, out, mems: split.mems, ...(readable.length ? { readable } : {}), ...(outputStages ? { outputStages } : {}) } };
}

/** The most output stages a kernel may ask for (each is one more cycle of record latency). */
export const MAX_OUTPUT_STAGES = 4;

/**
 * The options of a kernel, an object literal: `readable`, an array literal of string literals,
 * each a top-level field of the state, none twice; `outputStages`, an integer literal 0 to
 * MAX_OUTPUT_STAGES (the record logic that reads the state starts that many stages after the loop).
 */
function kernelOptions(L: Lowering, arg: ts.Expression, state: DType): { readable: string[]; outputStages?: number } | undefined {
  const bad = (node: ts.Node, what: string) => { L.report(node, "construct", [what]); return undefined; };
  if (!ts.isObjectLiteralExpression(arg)) return bad(arg, "kernel options that are not an object literal like { readable: [\"stats\"] }");
  const out: string[] = [];
  let outputStages: number | undefined;
  for (const p of arg.properties) {
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "outputStages") {
      const v = ts.isNumericLiteral(p.initializer) ? Number(p.initializer.text) : NaN;
      if (!Number.isInteger(v) || v < 0 || v > MAX_OUTPUT_STAGES || outputStages !== undefined) return bad(p.initializer, `kernel option outputStages that is not one integer literal from 0 to ${MAX_OUTPUT_STAGES}`);
      outputStages = v;
      continue;
    }
    if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || p.name.text !== "readable") return bad(p, "a kernel option other than readable and outputStages");
    if (!ts.isArrayLiteralExpression(p.initializer)) return bad(p.initializer, "kernel option readable that is not an array literal of state field names");
    for (const e of p.initializer.elements) {
      if (!ts.isStringLiteral(e)) return bad(e, "kernel option readable with an element that is not a string literal");
      if (state.k !== "record" || !state.fields.some((f) => f.name === e.text)) return bad(e, `a readable field '${e.text}' that is not a register field of the kernel state (a memory is not readable this way)`);
      if (out.includes(e.text)) return bad(e, `readable field '${e.text}' listed twice`);
      out.push(e.text);
    }
  }
  return { readable: out, ...(outputStages !== undefined ? { outputStages } : {}) };
}
