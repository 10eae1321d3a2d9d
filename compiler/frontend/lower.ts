/**
 * Lowering: TypeScript dialect functions → IR. Each dialect function becomes one IR function
 * (calls become `invoke`, inlined later by the inline pass). Inside a function the lowering is a
 * partial evaluator: compile-time values (loop counters, consts, enum members) are folded as it
 * goes, loops are unrolled, and control flow becomes predication — every assignment, return and
 * break is guarded by the condition under which it runs, so if/else, early return, break and
 * continue all turn into `sel` nodes with no merge points to reconcile. Problems are reported as
 * diagnostics and lowering continues with a placeholder, so one run shows every error.
 */
import ts = require("typescript"); // a require, not an ESM import: see frontend/program.ts
import { Builder } from "../ir/builder.js";
import { memWriteField, type DType, type Fn, type Node } from "../ir/ir.js";
import { bits, recordOf, typeEq } from "../ir/types.js";
import type { DiagKey } from "../diagnostics/catalogue.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { constructHint, globalHint, widenHint } from "../diagnostics/hints.js";
import { displayPath, type Frontend } from "./program.js";
import { dtypeOf, dtypeToString, irTypeOf } from "./dtypes.js";
import {
  boolConst, constBool, constInt, dtypeOfAV, fromNode, intAt, intAV, intConst, materialize, merge,
  type AV, type BoolAV, type IntAV,
} from "./avalues.js";
import * as A from "./arith.js";
import { contains, rangeOfType } from "./ranges.js";
import { classify } from "./syntax-table.js";
import { lowerIntrinsic, RUNTIME_INTRINSICS } from "./intrinsics.js";

export const MAX_UNROLL = 4096;

/** Thrown to abandon the current expression after a diagnostic; caught where a placeholder fits. */
class Poison extends Error {}

/** TypeScript's type for a name it could not resolve (it has reported that already). */
const isErrorType = (t: ts.Type) => (t as { intrinsicName?: string }).intrinsicName === "error";

export type ConstTree = { k: "int"; v: bigint; big: boolean } | { k: "bool"; v: boolean } | { k: "record"; name: string; fields: [string, ConstTree][] } | { k: "array"; elems: ConstTree[] } | { k: "mem"; n: number; fill: ConstTree; table?: ConstTree[] };

/** memBreak/memCont: memory writes counted on the paths that left by break / continue (lower.ts memCall). */
interface Flag { kind: "loop" | "switch"; brk: BoolAV; cont: BoolAV; memBreak?: Map<string, number>; memCont?: Map<string, number> }

export interface FnSig { params: { name: string; type: DType }[]; ret: DType }

export class Lowering {
  readonly diagnostics: Diagnostic[] = [];
  readonly fns = new Map<ts.FunctionDeclaration, Fn>();
  private readonly sigs = new Map<ts.FunctionDeclaration, FnSig | undefined>();
  private readonly consts = new Map<ts.Symbol, ConstTree | "pending" | "error">();
  private readonly queue: ts.FunctionDeclaration[] = [];
  nextId = 1;

  constructor(readonly fe: Frontend) {}

  get checker(): ts.TypeChecker { return this.fe.checker; }

  report(at: ts.Node, key: DiagKey, args: (string | number | bigint)[] = []): void {
    const sf = at.getSourceFile();
    const start = at.getStart(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    const sourceLine = sf.text.split("\n")[line]?.replace(/\r$/, "");
    const length = Math.max(1, Math.min(at.getEnd(), sf.getLineEndOfPosition(start)) - start);
    if (key === "global" && args.length === 1) args = [...args, globalHint(String(args[0]))];
    if (key === "construct" && args.length === 1) args = [...args, constructHint(String(args[0]))];
    this.diagnostics.push(makeDiagnostic(key, args, { file: displayPath(sf.fileName), line: line + 1, col: character + 1, length, sourceLine }));
  }

  fail(at: ts.Node, key: DiagKey, args: (string | number | bigint)[] = []): never {
    this.report(at, key, args);
    throw new Poison();
  }

  /** The dialect signature of a function declaration (reports missing widths once). */
  sigOf(decl: ts.FunctionDeclaration): FnSig | undefined {
    if (this.sigs.has(decl)) return this.sigs.get(decl);
    let ok = true;
    const params = decl.parameters.map((p) => {
      const t = this.checker.getTypeAtLocation(p);
      const d = dtypeOf(this.checker, t);
      if ("error" in d && isErrorType(t)) ok = false; // a name TypeScript cannot resolve: its error is the root cause
      else if ("error" in d) { ok = false; this.report(p, d.error, d.error === "widthRequired" ? [`parameter '${p.name.getText()}'`, d.what] : [d.what]); }
      return { name: p.name.getText(), type: d as DType };
    });
    const sig = this.checker.getSignatureFromDeclaration(decl);
    const rt = sig ? this.checker.getReturnTypeOfSignature(sig) : undefined;
    const rd = rt ? dtypeOf(this.checker, rt) : { error: "unsupportedType" as const, what: "?" };
    if ("error" in rd && rt && isErrorType(rt)) ok = false;
    else if ("error" in rd) { ok = false; this.report(decl.type ?? decl.name ?? decl, rd.error, rd.error === "widthRequired" ? [`the return type of '${decl.name?.text}'`, rd.what] : [rd.what]); }
    const result = ok ? { params, ret: rd as DType } : undefined;
    this.sigs.set(decl, result);
    return result;
  }

  /** Lower a function and, transitively, everything it calls. */
  lowerFunction(decl: ts.FunctionDeclaration): Fn | undefined {
    this.queue.push(decl);
    while (this.queue.length) {
      const d = this.queue.shift()!;
      if (this.fns.has(d)) continue;
      if (d !== decl && this.hasDiagnosticIn(d)) return undefined; // a callee already reported as broken
      const fn = new FnLowering(this, d).run();
      if (fn) this.fns.set(d, fn);
      else return undefined;
    }
    return this.fns.get(decl);
  }

  /** Whether TypeScript or an earlier check already reported a problem inside n's lines. */
  hasDiagnosticIn(n: ts.Node): boolean {
    const sf = n.getSourceFile();
    const file = displayPath(sf.fileName);
    const first = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const last = sf.getLineAndCharacterOfPosition(n.getEnd()).line + 1;
    return [...this.fe.tsDiagnostics, ...this.diagnostics].some((d) => d.file === file && d.line >= first && d.line <= last);
  }

  private steps?: Set<ts.FunctionDeclaration>;
  /** Whether decl is the step function of a `kernel(INIT, step)` declared in a user file (it may use memories). */
  isKernelStep(decl: ts.FunctionDeclaration): boolean {
    if (!this.steps) {
      this.steps = new Set();
      for (const sf of this.fe.userFiles) for (const st of sf.statements) {
        if (!ts.isVariableStatement(st)) continue;
        for (const d of st.declarationList.declarations) {
          const init = d.initializer;
          if (!init || !ts.isCallExpression(init) || init.arguments.length < 2 || init.arguments.length > 3 || !ts.isIdentifier(init.arguments[1])) continue; // (init, step) or (init, step, options)
          let k = this.checker.getSymbolAtLocation(init.expression);
          if (k && k.flags & ts.SymbolFlags.Alias) k = this.checker.getAliasedSymbol(k);
          if (k?.name !== "kernel" || k.declarations?.[0]?.getSourceFile() !== this.fe.runtimeFile) continue;
          let s = this.checker.getSymbolAtLocation(init.arguments[1]);
          if (s && s.flags & ts.SymbolFlags.Alias) s = this.checker.getAliasedSymbol(s);
          const sd = s?.declarations?.[0];
          if (sd && ts.isFunctionDeclaration(sd)) this.steps.add(sd);
        }
      }
    }
    return this.steps.has(decl);
  }

  enqueue(decl: ts.FunctionDeclaration): void {
    if (!this.fns.has(decl)) this.queue.push(decl);
  }

  fnName(decl: ts.FunctionDeclaration): string {
    const base = decl.name?.text ?? "anon";
    const same = [...this.fns.keys(), ...this.queue].filter((d) => d.name?.text === base && d !== decl);
    return same.length && same.some((d) => d.getSourceFile() !== decl.getSourceFile()) ? `${base}_${displayPath(decl.getSourceFile().fileName).replace(/\W+/g, "_")}` : base;
  }

  /** The compile-time value of a module-level const. */
  moduleConst(sym: ts.Symbol, decl: ts.VariableDeclaration): ConstTree | undefined {
    const c = this.consts.get(sym);
    if (c === "pending" || c === "error") return undefined;
    if (c) return c;
    // A table whose own text has an error is not evaluated (its diagnostic is already in the list).
    if (this.hasDiagnosticIn(decl)) { this.consts.set(sym, "error"); return undefined; }
    this.consts.set(sym, "pending");
    const scratch = new FnLowering(this, undefined);
    let tree: ConstTree | undefined;
    try {
      if (!decl.initializer) this.fail(decl, "uninitialized", [decl.name.getText()]);
      const av = scratch.expr(decl.initializer);
      tree = toConstTree(av);
      if (!tree) this.report(decl.initializer, "notConst", [`module-level const '${decl.name.getText()}'`]);
    } catch (e) {
      if (!(e instanceof Poison)) throw e;
    }
    this.consts.set(sym, tree ?? "error");
    return tree;
  }
}

function toConstTree(av: AV): ConstTree | undefined {
  switch (av.k) {
    case "int": { const v = intConst(av); return v === undefined ? undefined : { k: "int", v, big: av.big }; }
    case "bool": { const v = boolConst(av); return v === undefined ? undefined : { k: "bool", v }; }
    case "record": {
      const fields: [string, ConstTree][] = [];
      for (const [n, f] of av.fields) { const t = toConstTree(f); if (!t) return undefined; fields.push([n, t]); }
      return { k: "record", name: av.name, fields };
    }
    case "array": {
      const elems = av.elems.map(toConstTree);
      return elems.every((e) => e) ? { k: "array", elems: elems as ConstTree[] } : undefined;
    }
    case "mem": {
      const fill = av.fill && toConstTree(av.fill);
      const table = av.table?.map(toConstTree);
      if (table && !table.every((t) => t)) return undefined;
      return fill && av.id === "" ? { k: "mem", n: av.n, fill, ...(table ? { table: table as ConstTree[] } : {}) } : undefined;
    }
  }
}

function fromConstTree(b: Builder, t: ConstTree): AV {
  switch (t.k) {
    case "int": return constInt(b, t.v, t.big);
    case "bool": return constBool(b, t.v);
    case "record": return { k: "record", name: t.name, fields: new Map(t.fields.map(([n, f]) => [n, fromConstTree(b, f)])) };
    case "array": return { k: "array", elems: t.elems.map((e) => fromConstTree(b, e)) };
    case "mem": return { k: "mem", id: "", n: t.n, fill: fromConstTree(b, t.fill), ...(t.table ? { table: t.table.map((e) => fromConstTree(b, e)) } : {}) };
  }
}

type PathStep = { field: string } | { index: IntAV; at: ts.Node };

/** Lowers one function body (or, with decl undefined, a module-level const initializer). */
export class FnLowering {
  readonly b: Builder;
  /** Expressions left unlowered because an error reported elsewhere is their root cause. */
  private followOns = 0;
  private readonly env = new Map<ts.Symbol, AV>();
  private readonly params = new Set<ts.Symbol>();
  private readonly mutated = new Set<ts.Symbol>();
  /** For each mutated local: the deepest field/element path written through it (p.x = 1 (1), a[i].x = 1 (2)). */
  private readonly writeDepth = new Map<ts.Symbol, number>();
  /** For-loop counters, with the number of run-time conditions entered when their loop began. */
  private readonly loopVars = new Map<ts.Symbol, number>();
  /** Run-time if/switch conditions currently entered (a loop counter may only change outside them). */
  private condDepth = 0;
  /** Locals already reported (declared without a value): later uses fail silently, not once more. */
  private readonly poisoned = new Set<ts.Symbol>();
  /**
   * Integer locals and parameters whose range a dominating comparison narrows (inside `if (i < 8)`,
   * the arms of `?:`, the right of `&&`/`||`, the rest of a block after `if (i >= 8) return …`):
   * the value narrowed (`base`) and the narrowed view. The view holds only while the variable
   * still has that value; an assignment replaces the value, so the view lapses by itself.
   */
  private narrowed = new Map<ts.Symbol, { base: AV; view: IntAV }>();
  private inIncrementor = false;
  private path: BoolAV;
  private done: BoolAV;
  private retVal: AV | undefined;
  private flags: Flag[] = [];
  private sig: FnSig | undefined;
  /** Kernel step only: the memories of the state (path → element type and size). */
  private readonly mems = new Map<string, { elem: DType; n: number }>();
  /** The write of each memory so far in this step: {en, addr, data} (at most one on any path). */
  private readonly memWrites = new Map<string, { en: BoolAV; addr: IntAV; data: AV }>();
  /** Writes of each memory on the path being lowered (if/else and switch cases are apart). */
  private memCount = new Map<string, number>();
  /**
   * The distinct reads of each memory in the step: the memread node, the address, the condition
   * under which the read runs, and where it is written. Reads of an identical address share one
   * node; reads on exclusive paths share the one read port through a mux on the address
   * (mergeReads); two on one path are TSF4020 (counted per path in memCount, key `read:<name>`).
   */
  private readonly memReads = new Map<string, { node: Node; addr: Node; en: BoolAV; at: ts.Node }[]>();

  constructor(readonly L: Lowering, readonly decl: ts.FunctionDeclaration | undefined) {
    this.b = new Builder(decl ? L.fnName(decl) : "const", L.nextId);
    this.path = constBool(this.b, true);
    this.done = constBool(this.b, false);
  }

  private get checker() { return this.L.checker; }

  run(): Fn | undefined {
    const decl = this.decl!;
    this.sig = this.L.sigOf(decl);
    if (!this.sig || !decl.body) { this.L.nextId = this.b.nextId; return undefined; }
    const sf = decl.getSourceFile();
    this.scanMutations(decl.body);
    const isStep = this.L.isKernelStep(decl);
    const memAt = (d: DType, path: string): void => {
      if (d.k === "mem") this.mems.set(path, { elem: d.elem, n: d.n });
      if (d.k === "record") for (const f of d.fields) memAt(f.type, path ? `${path}.${f.name}` : f.name);
    };
    let memBad = false;
    this.sig.params.forEach((p, i) => {
      if (!hasMem(p.type)) return;
      if (isStep && i === 0 && !arrayOfMem(p.type)) memAt(p.type, "");
      else { memBad = true; this.L.report(decl.parameters[i], "memUse", [isStep && i === 0 ? "an array of memories" : isStep ? "a memory outside the kernel state" : `passing a memory to '${decl.name?.text}', which is not a kernel step,`]); }
    });
    const stateRet = this.sig.ret.k === "record" ? this.sig.ret.fields.find((f) => f.name === "state") : undefined;
    if (hasMem(this.sig.ret) && !(isStep && this.sig.ret.k === "record" && this.sig.ret.fields.every((f) => f === stateRet || !hasMem(f.type)))) {
      memBad = true;
      this.L.report(decl.type ?? decl.name ?? decl, "memUse", ["returning a memory other than in a kernel step's next state"]);
    }
    if (memBad) { this.L.nextId = this.b.nextId; return undefined; }
    decl.parameters.forEach((p, i) => {
      const sym = this.checker.getSymbolAtLocation(p.name)!;
      this.params.add(sym);
      this.b.loc = this.locOf(p);
      const n = this.b.param(p.name.getText(), irTypeOf(this.sig!.params[i].type));
      this.env.set(sym, fromNode(this.b, n, this.sig!.params[i].type));
    });
    this.path = constBool(this.b, true);
    this.done = constBool(this.b, false);
    const reported = this.L.diagnostics.length;
    try {
      this.block(decl.body.statements);
    } catch (e) {
      if (!(e instanceof Poison)) throw e;
    }
    let ret: Node;
    try {
      if (!this.retVal && (this.L.diagnostics.length > reported || this.followOns)) throw new Poison(); // already explained
      if (!this.retVal) this.L.fail(decl.name ?? decl, "missingReturn", [decl.name?.text ?? "function"]);
      this.b.loc = this.locOf(decl);
      ret = this.fit(decl.type ?? decl.name ?? decl, this.retVal, this.sig.ret);
    } catch (e) {
      if (!(e instanceof Poison)) throw e;
      ret = this.b.literal(0n, 1);
    }
    if (this.mems.size && this.retVal) ret = this.withMemWrites(decl, ret, this.retVal);
    this.mergeReads();
    const fn = this.b.finish(ret);
    fn.sig = this.sig;
    fn.loc = this.locOf(decl);
    void sf;
    this.L.nextId = this.b.nextId;
    return fn;
  }

  locOf(n: ts.Node) {
    const sf = n.getSourceFile();
    const { line, character } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
    return { file: displayPath(sf.fileName), line: line + 1, col: character + 1 };
  }

  // ---- mutation and aliasing rules --------------------------------------------------------------

  private rootSymbol(e: ts.Expression): ts.Symbol | undefined {
    while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    return ts.isIdentifier(e) ? this.checker.getSymbolAtLocation(e) : undefined;
  }

  private scanMutations(body: ts.Node): void {
    const visit = (n: ts.Node) => {
      const note = (target: ts.Expression) => {
        const s = this.rootSymbol(target);
        if (!s) return;
        this.mutated.add(s);
        this.writeDepth.set(s, Math.max(this.writeDepth.get(s) ?? 0, pathDepth(target)));
      };
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastCompoundAssignment) {
        if (!ts.isIdentifier(n.left)) note(n.left);
      }
      if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && !ts.isIdentifier(n.operand) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
        note(n.operand as ts.Expression);
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
  }

  /**
   * An aggregate stored where it will be mutated through a path must be a fresh object: in
   * JavaScript `[p, p]` holds p twice, so writing rows[0].x would change p and rows[1] too.
   * Literals (checked element by element), calls and selects of fresh values are fresh.
   */
  private checkFresh(e: ts.Expression): void {
    const x = skipParens(e);
    if (ts.isArrayLiteralExpression(x)) { x.elements.forEach((el) => this.checkFresh(el)); return; }
    if (ts.isObjectLiteralExpression(x)) {
      for (const p of x.properties) {
        if (ts.isPropertyAssignment(p)) this.checkFresh(p.initializer);
        else if (ts.isShorthandPropertyAssignment(p)) this.checkFresh(p.name);
      }
      return;
    }
    if (ts.isConditionalExpression(x)) { this.checkFresh(x.whenTrue); this.checkFresh(x.whenFalse); return; }
    if (ts.isCallExpression(x)) return;
    if (this.checker.getTypeAtLocation(x).flags & ts.TypeFlags.Object) this.L.report(x, "mutateNonLocal");
  }

  /** A bare reference to a mutated aggregate in a copying position would alias in JavaScript. */
  private checkNotAliased(e: ts.Expression): void {
    const inner = skipParens(e);
    const s = this.rootSymbol(inner);
    if (!s || !this.mutated.has(s)) return;
    if (ts.isIdentifier(inner) || this.checker.getTypeAtLocation(inner).flags & ts.TypeFlags.Object) this.L.report(inner, "aliasMutable", [inner.getText()]);
  }

  // ---- flow state -------------------------------------------------------------------------------

  private not(x: BoolAV): BoolAV { return { k: "bool", node: this.b.add("not", [x.node]) }; }
  private and(x: BoolAV, y: BoolAV): BoolAV {
    const cx = boolConst(x), cy = boolConst(y);
    if (cx === true) return y; if (cy === true) return x;
    if (cx === false || cy === false) return constBool(this.b, false);
    return { k: "bool", node: this.b.add("and", [x.node, y.node]) };
  }
  private or(x: BoolAV, y: BoolAV): BoolAV {
    const cx = boolConst(x), cy = boolConst(y);
    if (cx === false) return y; if (cy === false) return x;
    if (cx === true || cy === true) return constBool(this.b, true);
    return { k: "bool", node: this.b.add("or", [x.node, y.node]) };
  }
  /** The condition under which the statement being lowered runs. */
  private active(): BoolAV {
    let a = this.and(this.path, this.not(this.done));
    for (const f of this.flags) a = this.and(a, this.not(f.kind === "loop" ? this.or(f.brk, f.cont) : f.brk));
    return a;
  }
  private dead(): boolean { return boolConst(this.active()) === false; }

  private assign(sym: ts.Symbol, v: AV, unguarded = false): void {
    const old = this.env.get(sym);
    this.env.set(sym, old === undefined || unguarded ? v : merge(this.b, this.active(), v, old));
  }

  // ---- memories (kernel step only) ------------------------------------------------------------

  /** Whether an expression contains a `.get` of a memory (its arms then get their own paths). */
  private readsMem(e: ts.Node): boolean {
    if (!this.mems.size) return false;
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "get" &&
      this.checker.getTypeAtLocation(e.expression.expression).getProperty("__tsfpga_mem")) return true;
    return ts.forEachChild(e, (c) => this.readsMem(c) || undefined) ?? false;
  }

  /** `m.get(i)` / `m.set(i, v)` on a memory of the kernel state; undefined when e is no such call. */
  private memCall(e: ts.CallExpression): AV | undefined {
    const callee = skipParens(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const objType = this.checker.getTypeAtLocation(callee.expression);
    if (!objType.getProperty("__tsfpga_mem")) return undefined;
    const method = callee.name.text;
    if (method !== "get" && method !== "set") this.L.fail(callee.name, "memUse", [`'.${method}'`]);
    const m = this.decl ? this.expr(callee.expression) : undefined;
    if (m?.k !== "mem" || !this.mems.has(m.id)) this.L.fail(callee, "memUse", [this.decl && this.L.isKernelStep(this.decl) ? `'.${method}' on a memory that is not a field of the state parameter` : `'.${method}' outside a kernel's step function`]);
    const { elem, n } = this.mems.get(m.id)!;
    const aw = Math.max(1, (n - 1).toString(2).length);
    const at = e.arguments[0];
    if (!at || e.arguments.length !== (method === "get" ? 1 : 2)) this.L.fail(e, "memUse", [`a call of '.${method}' with ${e.arguments.length} argument(s)`]);
    const i = this.intOf(at);
    this.checkIndex(i, n, at);
    if (method === "set" && this.dead()) return constBool(this.b, false);
    const pending = this.memWrites.get(m.id);
    if (method === "get") {
      const addr = intAt(this.b, i, aw);
      const list = this.memReads.get(m.id) ?? [];
      this.memReads.set(m.id, list);
      // The same address read again (on this path or another) is the same read: one port, one node,
      // which runs where any of its uses runs. The distinct reads on each path are the keys
      // `read:<name>#<k>` of memCount (merged over branches like the write counts): at most one.
      const k = list.findIndex((r) => sameValue(r.addr, addr));
      const prefix = `read:${m.id}#`;
      const key = `${prefix}${k >= 0 ? k : list.length}`;
      const onPath = [...this.memCount.keys()].filter((x) => x.startsWith(prefix));
      if (!onPath.includes(key) && onPath.length >= 1) this.L.fail(e, "memPorts", [m.id, "read", onPath.length + 1, "two reads of different entries on one path need two ports: read it once per step, into a local before the branches that need the entry (const e = s.m.get(i)), choosing the index first (const i = c ? a : b); reads in exclusive branches (if/else, switch cases, the arms of ?:, after a return) share the port"]);
      this.memCount.set(key, 1);
      let node: Node;
      if (k >= 0) {
        node = list[k].node;
        list[k].en = this.or(list[k].en, this.active());
      } else {
        node = this.b.add("memread", [addr], { mem: m.id }, irTypeOf(elem), `${m.id.replace(/\W/g, "_")}_rd`);
        list.push({ node, addr, en: this.active(), at: e });
      }
      const v = fromNode(this.b, node, elem);
      if (!pending) return v;
      // A write earlier in this step: JavaScript reads the value just written (docs/dialect.md §9c).
      const hit = this.and(pending.en, A.compare(this.b, "==", i, pending.addr));
      return merge(this.b, hit, pending.data, v);
    }
    if (!ts.isExpressionStatement(e.parent)) this.L.fail(e, "memUse", ["using the result of '.set' (it has none)"]);
    // A write to the very index of the step's earlier write replaces it (the last one wins): one port.
    // (Every earlier write of the step, on any path, was to that index when the merged address is it.)
    if (pending && sameValue(pending.addr.node, i.node)) this.memCount.set(m.id, Math.max(1, this.memCount.get(m.id) ?? 0));
    else {
      const writes = (this.memCount.get(m.id) ?? 0) + 1;
      this.memCount.set(m.id, writes);
      if (writes > 1) this.L.fail(e, "memPorts", [m.id, "written", writes, "write it once per step: choose the index and the value first (const i = c ? a : b; const v = …), then call set once; writes in different branches of an if/else or switch count once"]);
    }
    const v = this.expr(e.arguments[1]);
    const bad = misfit(v, elem);
    if (bad) this.L.fail(e.arguments[1], "construct", [`a value that may be ${bad}, outside ${dtypeToString(elem)}, stored in a Mem<${dtypeToString(elem)}, ${n}> (narrow it explicitly)`]);
    const a = this.active();
    this.memWrites.set(m.id, pending
      ? { en: this.or(a, pending.en), addr: merge(this.b, a, i, pending.addr) as IntAV, data: merge(this.b, a, v, pending.data) }
      : { en: a, addr: i, data: v });
    return constBool(this.b, false);
  }

  /**
   * Reads of one memory on exclusive paths (a branch each, or before and after a return) become one
   * read whose address is chosen by the conditions of the paths: en1 ? a1 : en2 ? a2 : … : an. The
   * read is issued in the cycle before the step, so those conditions and addresses must come from
   * the input and the configuration only: a condition that needs the state is TSF4020 (one port
   * cannot serve two reads chosen by the state), an address that needs it TSF4021, at the read.
   */
  private mergeReads(): void {
    const state = this.b.fn.params[0];
    const memo = new Map<Node, boolean>();
    const onState = (n: Node): boolean => {
      let r = memo.get(n);
      if (r === undefined) {
        memo.set(n, false);
        r = n === state || n.op === "memread" || n.operands.some(onState);
        memo.set(n, r);
      }
      return r;
    };
    const replace = new Map<Node, Node>();
    for (const [name, reads] of this.memReads) {
      if (reads.length < 2) continue;
      const bad = reads.findIndex((r, k) => k < reads.length - 1 && onState(r.en.node));
      if (bad >= 0) {
        const other = reads[bad === 0 ? 1 : bad];
        this.L.report(other.at, "memPorts", [name, "read", reads.length, "these reads are in branches chosen by the kernel state, and the read is issued in the cycle before the step, when the state is not yet known, so one port cannot serve them: read one entry whose index comes from the input and the configuration, then choose with the state after the read"]);
        continue;
      }
      const late = reads.find((r) => onState(r.addr));
      if (late) { this.L.report(late.at, "memAddrState", [name]); continue; }
      const last = reads[reads.length - 1];
      this.b.loc = this.locOf(reads[0].at);
      let addr = last.addr;
      for (let k = reads.length - 2; k >= 0; k--) addr = this.b.add("sel", [reads[k].en.node, reads[k].addr, addr], {}, addr.type, `${name.replace(/\W/g, "_")}_raddr`);
      const one = this.b.add("memread", [addr], { mem: name }, reads[0].node.type, reads[0].node.name);
      for (const r of reads) replace.set(r.node, one);
    }
    if (!replace.size) return;
    // Every user of the separate reads now uses the one read; it was built last, so order the
    // nodes again (operands before users).
    const nodes = this.b.fn.nodes.filter((n) => !replace.has(n));
    for (const n of nodes) n.operands = n.operands.map((o) => replace.get(o) ?? o);
    const seen = new Set<Node>(), order: Node[] = [];
    const visit = (n: Node): void => {
      if (seen.has(n)) return;
      seen.add(n);
      for (const o of n.operands) visit(o);
      order.push(n);
    };
    for (const n of nodes) visit(n);
    this.b.fn.nodes.splice(0, this.b.fn.nodes.length, ...order);
  }

  /** The step's result with one field per written memory: `mem:<name>` = {en, addr, data}. */
  private withMemWrites(decl: ts.FunctionDeclaration, ret: Node, retVal: AV): Node {
    // The next state must hand on each memory itself (JavaScript would otherwise swap objects).
    const check = (d: DType, v: AV | undefined, path: string): void => {
      if (d.k === "mem" && (v?.k !== "mem" || v.id !== path)) this.L.report(decl.name ?? decl, "memUse", [`a next state whose '${path}' is not the state's own '${path}'`]);
      if (d.k === "record" && v?.k === "record") for (const f of d.fields) check(f.type, v.fields.get(f.name), path ? `${path}.${f.name}` : f.name);
    };
    const stateD = this.sig!.ret.k === "record" ? this.sig!.ret.fields.find((f) => f.name === "state")?.type : undefined;
    if (stateD && retVal.k === "record") check(stateD, retVal.fields.get("state"), "");
    if (ret.op !== "record" || ret.type.k !== "record" || this.memWrites.size === 0) return ret;
    const fields = [...ret.type.fields];
    const ops = [...ret.operands];
    for (const [name, w] of this.memWrites) {
      const { elem, n } = this.mems.get(name)!;
      const aw = Math.max(1, (n - 1).toString(2).length);
      const rec = recordOf([{ name: "en", type: bits(1) }, { name: "addr", type: bits(aw) }, { name: "data", type: irTypeOf(elem) }]);
      ops.push(this.b.add("record", [w.en.node, intAt(this.b, w.addr, aw), materialize(this.b, w.data, elem)], {}, rec, `${name.replace(/\W/g, "_")}_wr`));
      fields.push({ name: memWriteField(name), type: rec });
    }
    return this.b.add("record", ops, {}, recordOf(fields), ret.name);
  }

  // ---- statements -------------------------------------------------------------------------------

  block(stmts: readonly ts.Statement[]): void {
    const saved = this.narrowed;
    try {
      for (const s of stmts) {
        if (this.dead()) return;
        try {
          this.stmt(s);
        } catch (e) {
          if (!(e instanceof Poison)) throw e;
        }
        // After `if (c) return/break/continue;` the rest of the block runs only where c is false.
        if (ts.isIfStatement(s) && endsFlow(s.thenStatement) !== (s.elseStatement !== undefined && endsFlow(s.elseStatement))) {
          if (this.narrowed === saved) this.narrowed = new Map(saved);
          this.narrowBy(s.expression, !endsFlow(s.thenStatement));
        }
      }
    } finally {
      this.narrowed = saved;
    }
  }

  stmt(s: ts.Statement): void {
    this.b.loc = this.locOf(s);
    switch (s.kind) {
      case ts.SyntaxKind.Block: return this.block((s as ts.Block).statements);
      case ts.SyntaxKind.EmptyStatement: return;
      case ts.SyntaxKind.VariableStatement: return this.varDecls((s as ts.VariableStatement).declarationList);
      case ts.SyntaxKind.ExpressionStatement: return this.exprStmt((s as ts.ExpressionStatement).expression);
      case ts.SyntaxKind.IfStatement: return this.ifStmt(s as ts.IfStatement);
      case ts.SyntaxKind.ReturnStatement: return this.returnStmt(s as ts.ReturnStatement);
      case ts.SyntaxKind.ForStatement: return this.forStmt(s as ts.ForStatement);
      case ts.SyntaxKind.ForOfStatement: return this.forOfStmt(s as ts.ForOfStatement);
      case ts.SyntaxKind.WhileStatement: return this.whileStmt(s as ts.WhileStatement);
      case ts.SyntaxKind.BreakStatement:
      case ts.SyntaxKind.ContinueStatement: return this.jump(s as ts.BreakStatement | ts.ContinueStatement);
      case ts.SyntaxKind.SwitchStatement: return this.switchStmt(s as ts.SwitchStatement);
      case ts.SyntaxKind.FunctionDeclaration: this.L.fail(s, "closure"); break;
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration: return;
    }
    this.unexpected(s);
  }

  private unexpected(n: ts.Node): never {
    const c = classify(n.kind);
    if (c && typeof c === "object") this.L.fail(n, c.banned, c.what ? [c.what] : []);
    this.L.fail(n, "internal", [`unexpected ${ts.SyntaxKind[n.kind]}`]);
  }

  private varDecls(list: ts.VariableDeclarationList): void {
    if (!(list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) this.L.fail(list, "construct", ["'var' (use let or const)"]);
    for (const d of list.declarations) {
      if (!ts.isIdentifier(d.name)) this.L.fail(d.name, "construct", ["a destructuring pattern"]);
      const sym = this.checker.getSymbolAtLocation(d.name)!;
      if (!d.initializer) { this.poisoned.add(sym); this.L.fail(d, "uninitialized", [d.name.text]); }
      this.checkNotAliased(d.initializer);
      const init = skipParens(d.initializer);
      if (this.mutated.has(sym) && !(ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init) || isFillCall(init))) {
        this.L.report(d.name, "mutateNonLocal");
      } else if ((this.writeDepth.get(sym) ?? 0) >= 2) this.checkFresh(d.initializer);
      this.declType(d);
      let value: AV;
      try { value = this.expr(d.initializer); } catch (e) { if (e instanceof Poison) this.poisoned.add(sym); throw e; } // reported once
      this.env.set(sym, nameHint(value, d.name.text));
    }
  }

  /** A declared type annotation on a local must be a dialect type too. */
  private declType(d: ts.VariableDeclaration): void {
    if (!d.type) return;
    const dt = dtypeOf(this.checker, this.checker.getTypeFromTypeNode(d.type));
    if ("error" in dt && dt.error !== "widthRequired") this.L.report(d.type, dt.error, [dt.what]);
  }

  private exprStmt(e: ts.Expression): void {
    e = skipParens(e);
    if (ts.isBinaryExpression(e) && isAssignmentOp(e.operatorToken.kind)) return this.assignment(e);
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
      if (this.brandedInt(e.operand)) this.L.fail(e, "construct", [`'${ts.tokenToString(e.operator)}' on a sized integer (it can leave the type's range; write x = ${this.checker.typeToString(this.checker.getTypeAtLocation(e.operand))}(x ${ts.tokenToString(e.operator)![0]} 1))`]);
      const one = constInt(this.b, 1n, this.isBig(e.operand));
      const cur = this.expr(e.operand);
      const v = this.arith(e, e.operator === ts.SyntaxKind.PlusPlusToken ? "+" : "-", cur, one);
      return this.store(e.operand, v);
    }
    if (ts.isCallExpression(e)) { this.expr(e); return; }
    this.L.fail(e, "construct", ["an expression statement without effect"]);
  }

  private assignment(e: ts.BinaryExpression): void {
    const k = e.operatorToken.kind;
    this.checkNotAliased(e.right);
    const root = this.rootSymbol(e.left);
    if (root && k === ts.SyntaxKind.EqualsToken && pathDepth(e.left) < (this.writeDepth.get(root) ?? 0)) this.checkFresh(e.right);
    let v = this.expr(e.right);
    if (k !== ts.SyntaxKind.EqualsToken) {
      const op = ts.tokenToString(k)!.slice(0, -1);
      v = this.binaryOp(e, op, this.expr(e.left), v);
    }
    this.store(e.left, v);
  }

  /** Store v into an lvalue: a variable, or a field/element path rooted at a mutable local. */
  private store(target: ts.Expression, v: AV): void {
    target = skipParens(target);
    const steps: PathStep[] = [];
    let root: ts.Expression = target;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) {
      if (ts.isPropertyAccessExpression(root)) steps.unshift({ field: root.name.text });
      else steps.unshift({ index: this.intOf(root.argumentExpression), at: root.argumentExpression });
      root = skipParens(root.expression);
    }
    if (!ts.isIdentifier(root)) this.L.fail(target, "construct", ["this assignment target"]);
    const sym = this.checker.getSymbolAtLocation(root)!;
    if (this.poisoned.has(sym)) throw new Poison();
    if (this.params.has(sym)) this.L.fail(target, "mutateParam", [root.text]);
    const cur = this.env.get(sym);
    if (!cur) this.L.fail(root, "mutateNonLocal");
    // A for-loop counter stays a compile-time value: its update runs whenever the loop body does,
    // unless a run-time if/switch or continue inside the loop guards it (then it is a run-time value).
    const depth = this.loopVars.get(sym);
    const unguarded = steps.length === 0 && depth !== undefined &&
      (this.inIncrementor || (this.condDepth === depth && this.flags.every((f) => boolConst(f.cont) === false && (f.kind === "loop" || boolConst(f.brk) === false))));
    if (steps.length === 0) return this.assign(sym, nameHint(v, root.text), unguarded);
    this.env.set(sym, this.updatePath(cur, steps, v, this.active()));
  }

  private updatePath(cur: AV, steps: PathStep[], v: AV, cond: BoolAV): AV {
    if (steps.length === 0) return merge(this.b, cond, v, cur);
    const [s, ...rest] = steps;
    if ("field" in s) {
      if (cur.k !== "record") throw new Error("internal: field store on non-record");
      const fields = new Map(cur.fields);
      fields.set(s.field, this.updatePath(cur.fields.get(s.field)!, rest, v, cond));
      return { k: "record", name: cur.name, fields };
    }
    if (cur.k !== "array") throw new Error("internal: element store on non-array");
    this.checkIndex(s.index, cur.elems.length, s.at);
    return {
      k: "array",
      elems: cur.elems.map((e, i) => {
        const hit = A.compare(this.b, "==", s.index, constInt(this.b, BigInt(i), false));
        return boolConst(hit) === false ? e : this.updatePath(e, rest, v, this.and(cond, hit));
      }),
    };
  }

  private ifStmt(s: ts.IfStatement): void {
    const c = this.cond(s.expression);
    const cv = boolConst(c);
    if (cv === true) return this.stmt(s.thenStatement);
    if (cv === false) { if (s.elseStatement) this.stmt(s.elseStatement); return; }
    const saved = this.path;
    const count0 = this.memCount;
    let countThen: Map<string, number> | undefined, countElse: Map<string, number> | undefined = count0;
    this.condDepth++;
    try {
      this.path = this.and(saved, c);
      this.memCount = new Map(count0);
      try { this.under(s.expression, true, () => this.stmt(s.thenStatement)); } finally { this.path = saved; }
      // Memory writes per path: a branch that ends in return/break/continue does not reach what follows.
      countThen = endsFlow(s.thenStatement) ? undefined : this.memCount;
      this.memCount = new Map(count0);
      if (s.elseStatement) {
        this.path = this.and(saved, this.not(c));
        try { this.under(s.expression, false, () => this.stmt(s.elseStatement!)); } finally { this.path = saved; }
        countElse = endsFlow(s.elseStatement) ? undefined : this.memCount;
      }
    } finally {
      this.condDepth--;
      this.memCount = countThen && countElse ? maxCounts(countThen, countElse) : (countThen ?? countElse ?? count0);
    }
  }

  // ---- ranges narrowed by comparisons -----------------------------------------------------------

  /** Run f with the ranges that condition c being `truth` implies (sound under predication: what f
   * builds is used only where c has that value). */
  private under<T>(c: ts.Expression, truth: boolean, f: () => T): T {
    const saved = this.narrowed;
    this.narrowed = new Map(saved);
    try {
      this.narrowBy(c, truth);
      return f();
    } finally {
      this.narrowed = saved;
    }
  }

  private narrowBy(c: ts.Expression, truth: boolean): void {
    const facts = this.facts(c, truth);
    // Facts apply one after another (`j !== 7 && j !== 6` on 0…7 gives 0…5), so repeat until stable.
    for (let pass = 0, changed = true; changed && pass < facts.length; pass++) {
      changed = false;
      for (const { sym, r } of facts) {
        const cur = this.env.get(sym);
        const now = cur && this.current(sym, cur);
        if (!now || now.k !== "int") continue;
        let lo = r.lo !== undefined && r.lo > now.r.lo ? r.lo : now.r.lo;
        let hi = r.hi !== undefined && r.hi < now.r.hi ? r.hi : now.r.hi;
        if (r.ne === lo) lo++;
        else if (r.ne === hi) hi--;
        if (lo > hi || (lo === now.r.lo && hi === now.r.hi)) continue; // contradictory (never runs) or nothing new
        const view = lo === hi ? constInt(this.b, lo, now.big) : intAV(this.b, now.node, now.r.lo < 0n, { lo, hi }, now.big);
        this.narrowed.set(sym, { base: cur, view });
        changed = true;
      }
    }
  }

  /** The value of a variable here: its narrowed view while that still applies. */
  private current(sym: ts.Symbol, own: AV): AV {
    const n = this.narrowed.get(sym);
    return n && n.base === own ? n.view : own;
  }

  /** Bounds on integer variables implied by c having the value `truth` (comparisons, !, &&, ||). */
  private facts(c: ts.Expression, truth: boolean, out: Fact[] = []): Fact[] {
    const e = skipParens(c);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return this.facts(e.operand, !truth, out);
    if (!ts.isBinaryExpression(e)) return out;
    const k = e.operatorToken.kind;
    if ((k === ts.SyntaxKind.AmpersandAmpersandToken && truth) || (k === ts.SyntaxKind.BarBarToken && !truth)) {
      this.facts(e.left, truth, out);
      this.facts(e.right, truth, out);
      return out;
    }
    const rel = RELATION.get(k);
    if (!rel) return out;
    const [op, swapped] = [truth ? rel : NEGATED[rel], SWAPPED[truth ? rel : NEGATED[rel]]];
    const l = this.peekRange(e.left), r = this.peekRange(e.right);
    const side = (x: ts.Expression, o: string, y: { lo: bigint; hi: bigint } | undefined) => {
      const x0 = skipParens(x);
      const sym = ts.isIdentifier(x0) ? this.checker.getSymbolAtLocation(x0) : undefined;
      if (!sym || !y || !this.env.has(sym)) return;
      switch (o) {
        case "<": out.push({ sym, r: { hi: y.hi - 1n } }); break;
        case "<=": out.push({ sym, r: { hi: y.hi } }); break;
        case ">": out.push({ sym, r: { lo: y.lo + 1n } }); break;
        case ">=": out.push({ sym, r: { lo: y.lo } }); break;
        case "==": out.push({ sym, r: { lo: y.lo, hi: y.hi } }); break;
        case "!=": if (y.lo === y.hi) out.push({ sym, r: { ne: y.lo } });
      }
    };
    side(e.left, op, r);
    side(e.right, swapped, l);
    return out;
  }

  /** The range of a side of a comparison without lowering it again: literals, enum members,
   * integer variables (their narrowed view) and module-level constants; undefined for the rest. */
  private peekRange(x: ts.Expression): { lo: bigint; hi: bigint } | undefined {
    const e = skipParens(x);
    if (ts.isNumericLiteral(e)) return /^\d+$/.test(e.text) ? { lo: BigInt(e.text), hi: BigInt(e.text) } : undefined;
    if (ts.isBigIntLiteral(e)) { const v = BigInt(e.text.slice(0, -1)); return { lo: v, hi: v }; }
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
      const r = this.peekRange(e.operand);
      return r && { lo: -r.hi, hi: -r.lo };
    }
    if (ts.isPropertyAccessExpression(e)) {
      const cv = this.checker.getConstantValue(e);
      return typeof cv === "number" && Number.isInteger(cv) ? { lo: BigInt(cv), hi: BigInt(cv) } : undefined;
    }
    if (!ts.isIdentifier(e)) return undefined;
    let sym = this.checker.getSymbolAtLocation(e);
    if (!sym) return undefined;
    const own = this.env.get(sym);
    if (own) { const v = this.current(sym, own); return v.k === "int" ? v.r : undefined; }
    if (sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    const decl = sym.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !ts.isSourceFile(decl.parent.parent.parent) || !(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
    if (decl.getSourceFile() === this.L.fe.runtimeFile) return undefined;
    const t = this.L.moduleConst(sym, decl);
    return t?.k === "int" ? { lo: t.v, hi: t.v } : undefined;
  }

  private returnStmt(s: ts.ReturnStatement): void {
    if (!this.decl) this.L.fail(s, "internal", ["return outside a function"]);
    if (!s.expression) this.L.fail(s, "missingReturn", [this.decl.name?.text ?? "function"]);
    const v = this.expr(s.expression);
    const a = this.active();
    this.retVal = this.retVal ? merge(this.b, a, v, this.retVal) : v;
    this.done = this.or(this.done, a);
  }

  private jump(s: ts.BreakStatement | ts.ContinueStatement): void {
    if (s.label) this.L.fail(s, "construct", ["a labeled jump"]);
    const isBreak = s.kind === ts.SyntaxKind.BreakStatement;
    const idx = isBreak ? this.flags.length - 1 : findLastIndex(this.flags, (f) => f.kind === "loop");
    if (idx < 0) this.L.fail(s, "internal", ["jump outside a loop"]);
    const a = this.active();
    const f = this.flags[idx];
    if (isBreak) f.memBreak = maxCounts(this.memCount, f.memBreak); else f.memCont = maxCounts(this.memCount, f.memCont);
    if (isBreak) f.brk = this.or(f.brk, a); else f.cont = this.or(f.cont, a);
  }

  private loopBody(body: () => void, at: ts.Node, flag: Flag, iteration: () => boolean): void {
    let n = 0;
    this.flags.push(flag);
    try {
      while (iteration()) {
        if (++n > MAX_UNROLL) this.L.fail(at, "unboundedLoop", [MAX_UNROLL]);
        flag.cont = constBool(this.b, false);
        body();
        // A continue reaches the next iteration; a break only what follows the loop.
        this.memCount = maxCounts(this.memCount, flag.memCont);
        if (boolConst(flag.brk) === true || boolConst(this.and(this.path, this.not(this.done))) === false) break;
      }
    } finally {
      this.flags.pop();
      this.memCount = maxCounts(this.memCount, flag.memBreak);
    }
  }

  private loopCond(e: ts.Expression | undefined): boolean {
    if (!e) return true;
    const c = this.cond(e);
    const v = boolConst(c);
    if (v === undefined) this.L.fail(e, "loopCondition");
    return v;
  }

  private forStmt(s: ts.ForStatement): void {
    const flag: Flag = { kind: "loop", brk: constBool(this.b, false), cont: constBool(this.b, false) };
    if (s.initializer) {
      if (ts.isVariableDeclarationList(s.initializer)) {
        this.varDecls(s.initializer);
        for (const d of s.initializer.declarations) this.loopVars.set(this.checker.getSymbolAtLocation(d.name)!, this.condDepth);
      } else this.exprStmt(s.initializer);
    }
    let first = true;
    this.loopBody(() => this.stmt(s.statement), s, flag, () => {
      if (!first && s.incrementor) {
        const saved = this.flags; this.flags = [];
        this.inIncrementor = true;
        try { this.exprStmt(s.incrementor); } finally { this.flags = saved; this.inIncrementor = false; }
      }
      first = false;
      return this.loopCond(s.condition);
    });
  }

  private forOfStmt(s: ts.ForOfStatement): void {
    if (!ts.isVariableDeclarationList(s.initializer) || s.initializer.declarations.length !== 1 || !ts.isIdentifier(s.initializer.declarations[0].name))
      this.L.fail(s.initializer, "construct", ["this for…of binding"]);
    const arr = this.expr(s.expression);
    if (arr.k !== "array") this.L.fail(s.expression, "construct", ["for…of over a non-array"]);
    const sym = this.checker.getSymbolAtLocation(s.initializer.declarations[0].name as ts.Identifier)!;
    if (this.mutated.has(sym)) this.L.report(s.initializer.declarations[0].name, "mutateNonLocal"); // it is the array's element itself
    const flag: Flag = { kind: "loop", brk: constBool(this.b, false), cont: constBool(this.b, false) };
    let i = 0;
    this.loopBody(() => { this.env.set(sym, arr.elems[i++]); this.stmt(s.statement); }, s, flag, () => i < arr.elems.length);
  }

  private whileStmt(s: ts.WhileStatement): void {
    const flag: Flag = { kind: "loop", brk: constBool(this.b, false), cont: constBool(this.b, false) };
    this.loopBody(() => this.stmt(s.statement), s, flag, () => this.loopCond(s.expression));
  }

  private switchStmt(s: ts.SwitchStatement): void {
    const x = this.expr(s.expression);
    const clauses = s.caseBlock.clauses;
    const labelMatch = (c: ts.CaseClause): BoolAV => {
      const l = this.expr(c.expression);
      if (l.k === "int" && intConst(l) === undefined) this.L.fail(c.expression, "caseNotConst");
      if (l.k === "bool" && boolConst(l) === undefined) this.L.fail(c.expression, "caseNotConst");
      return this.equal(c, x, l, true);
    };
    const matches = clauses.map((c) => (ts.isCaseClause(c) ? labelMatch(c) : undefined));
    const anyCase = matches.reduce<BoolAV>((acc, m) => (m ? this.or(acc, m) : acc), constBool(this.b, false));
    const flag: Flag = { kind: "switch", brk: constBool(this.b, false), cont: constBool(this.b, false) };
    this.flags.push(flag);
    const count0 = this.memCount;
    let countEnd = count0;
    try {
      let group: BoolAV = constBool(this.b, false);
      clauses.forEach((c, i) => {
        group = this.or(group, matches[i] ?? this.not(anyCase));
        if (c.statements.length === 0) return;
        const last = c.statements[c.statements.length - 1];
        if (i < clauses.length - 1 && !endsFlow(last)) this.L.report(c, "fallthrough");
        const saved = this.path;
        const runtime = boolConst(group) === undefined;
        this.path = this.and(saved, group);
        if (runtime) this.condDepth++;
        this.memCount = new Map(count0);
        try { this.block(c.statements); } finally { this.path = saved; if (runtime) this.condDepth--; }
        countEnd = maxCounts(countEnd, this.memCount);
        group = constBool(this.b, false);
      });
    } finally {
      this.flags.pop();
      this.memCount = maxCounts(countEnd, flag.memBreak);
    }
  }

  // ---- expressions ------------------------------------------------------------------------------

  brandedInt(e: ts.Expression): boolean {
    const t = this.checker.getTypeAtLocation(e);
    return !!(t.getProperty("__tsfpga_uint") || t.getProperty("__tsfpga_sint"));
  }

  /** materialize, after checking that av's range fits the dialect type (else JS and hardware differ). */
  fit(at: ts.Node, av: AV, d: DType): Node {
    const bad = misfit(av, d);
    if (bad) this.L.fail(at, "construct", [`a value that may be ${bad}, outside ${dtypeToString(d)}, passed where ${dtypeToString(d)} is expected (narrow it explicitly)`]);
    return materialize(this.b, av, d);
  }

  isBig(e: ts.Expression): boolean {
    return !!(this.checker.getTypeAtLocation(e).flags & ts.TypeFlags.BigIntLike);
  }

  cond(e: ts.Expression): BoolAV {
    const v = this.expr(e);
    if (v.k !== "bool") this.L.fail(e, "booleanRequired", [v.k === "int" ? "an integer" : `a ${v.k}`]);
    return v;
  }

  intOf(e: ts.Expression): IntAV {
    const v = this.expr(e);
    if (v.k !== "int") this.L.fail(e, "construct", [`using a ${v.k} as a number`]);
    return v;
  }

  constOf(e: ts.Expression, what: string): bigint {
    const v = intConst(this.intOf(e));
    if (v === undefined) this.L.fail(e, "notConst", [what]);
    return v;
  }

  expr(e: ts.Expression): AV {
    const saved = this.b.loc;
    this.b.loc = this.locOf(e);
    try {
      return this.exprInner(e);
    } finally {
      this.b.loc = saved;
    }
  }

  private exprInner(e: ts.Expression): AV {
    switch (e.kind) {
      case ts.SyntaxKind.NumericLiteral: {
        const text = (e as ts.NumericLiteral).text;
        if (!/^\d+$/.test(text)) this.L.fail(e, "float");
        return constInt(this.b, BigInt(text), false);
      }
      case ts.SyntaxKind.BigIntLiteral: return constInt(this.b, BigInt((e as ts.BigIntLiteral).text.slice(0, -1)), true);
      case ts.SyntaxKind.TrueKeyword: return constBool(this.b, true);
      case ts.SyntaxKind.FalseKeyword: return constBool(this.b, false);
      case ts.SyntaxKind.ParenthesizedExpression: return this.expr((e as ts.ParenthesizedExpression).expression);
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression: {
        const a = e as ts.AsExpression;
        if (ts.isAsExpression(a) && !(ts.isTypeReferenceNode(a.type) && a.type.getText() === "const")) this.L.fail(e, "construct", ["a type assertion 'as T' (use a type constructor such as u8(x))"]);
        return this.expr(a.expression);
      }
      case ts.SyntaxKind.Identifier: return this.identifier(e as ts.Identifier);
      case ts.SyntaxKind.PropertyAccessExpression: return this.property(e as ts.PropertyAccessExpression);
      case ts.SyntaxKind.ElementAccessExpression: return this.element(e as ts.ElementAccessExpression);
      case ts.SyntaxKind.PrefixUnaryExpression: return this.prefix(e as ts.PrefixUnaryExpression);
      case ts.SyntaxKind.BinaryExpression: {
        const be = e as ts.BinaryExpression;
        if (isAssignmentOp(be.operatorToken.kind)) this.L.fail(e, "construct", ["an assignment used as a value"]);
        const op = ts.tokenToString(be.operatorToken.kind)!;
        if (op === "&&" || op === "||") {
          const l = this.cond(be.left);
          const lc = boolConst(l);
          if (lc === (op === "||")) return l;
          if (!this.readsMem(be.right)) {
            const r = this.under(be.left, op === "&&", () => this.cond(be.right));
            return op === "&&" ? this.and(l, r) : this.or(l, r);
          }
          const saved = this.path;
          this.path = this.and(saved, op === "&&" ? l : this.not(l)); // the right runs only when the left does not decide
          let r: BoolAV;
          try { r = this.under(be.left, op === "&&", () => this.cond(be.right)); } finally { this.path = saved; }
          return op === "&&" ? this.and(l, r) : this.or(l, r);
        }
        return this.binaryOp(be, op, this.expr(be.left), this.expr(be.right));
      }
      case ts.SyntaxKind.ConditionalExpression: {
        const ce = e as ts.ConditionalExpression;
        const c = this.cond(ce.condition);
        const cv = boolConst(c);
        if (cv !== undefined) return this.expr(cv ? ce.whenTrue : ce.whenFalse);
        this.checkNotAliased(ce.whenTrue); this.checkNotAliased(ce.whenFalse);
        if (!this.readsMem(ce.whenTrue) && !this.readsMem(ce.whenFalse)) {
          const t = this.under(ce.condition, true, () => this.expr(ce.whenTrue));
          const f = this.under(ce.condition, false, () => this.expr(ce.whenFalse));
          if (t.k !== f.k) this.L.fail(e, "construct", ["a conditional whose arms have different kinds"]);
          return merge(this.b, c, t, f);
        }
        // Each arm runs only under its condition (a memory read in each arm is on its own path).
        const saved = this.path, count0 = this.memCount;
        let t: AV, f: AV, countT: Map<string, number>;
        try {
          this.path = this.and(saved, c);
          this.memCount = new Map(count0);
          t = this.under(ce.condition, true, () => this.expr(ce.whenTrue));
          countT = this.memCount;
          this.path = this.and(saved, this.not(c));
          this.memCount = new Map(count0);
          f = this.under(ce.condition, false, () => this.expr(ce.whenFalse));
          this.memCount = maxCounts(countT, this.memCount);
        } finally {
          this.path = saved;
        }
        if (t.k !== f.k) this.L.fail(e, "construct", ["a conditional whose arms have different kinds"]);
        return merge(this.b, c, t, f);
      }
      case ts.SyntaxKind.CallExpression: return this.call(e as ts.CallExpression);
      case ts.SyntaxKind.ObjectLiteralExpression: return this.objectLiteral(e as ts.ObjectLiteralExpression);
      case ts.SyntaxKind.ArrayLiteralExpression: {
        const al = e as ts.ArrayLiteralExpression;
        if (al.elements.length === 0) this.L.fail(e, "construct", ["an empty array"]);
        const elems = al.elements.map((x) => { this.checkNotAliased(x); return this.expr(x); });
        if (!elems.every((x) => x.k === elems[0].k)) this.L.fail(e, "heteroTuple", []);
        return { k: "array", elems };
      }
      case ts.SyntaxKind.PostfixUnaryExpression:
        this.L.fail(e, "construct", ["'++'/'--' inside an expression (use it as a statement)"]);
    }
    return this.unexpected(e);
  }

  /** Stop lowering this expression without a diagnostic: an error already reported is its root cause. */
  private followOn(): never {
    this.followOns++;
    throw new Poison();
  }

  /** The symbol an import names; an import TypeScript could not resolve (reported there) poisons. */
  private brokenImport(alias: ts.Symbol): ts.Symbol {
    const target = this.checker.getAliasedSymbol(alias);
    if (!target.declarations?.length && alias.declarations?.some((d) => this.L.hasDiagnosticIn(d))) this.followOn();
    return target;
  }

  private identifier(id: ts.Identifier, valueSymbol?: ts.Symbol): AV {
    if (id.text === "undefined") this.L.fail(id, "nullish");
    let sym = valueSymbol ?? this.checker.getSymbolAtLocation(id);
    if (!sym && this.L.hasDiagnosticIn(id)) this.followOn(); // an unresolved name: TypeScript reported it
    if (!sym) this.L.fail(id, "global", [id.text]);
    if (this.poisoned.has(sym)) throw new Poison();
    const own = this.env.get(sym);
    if (own) return this.current(sym, own);
    if (sym.flags & ts.SymbolFlags.Alias) sym = this.brokenImport(sym);
    const aliased = this.env.get(sym);
    if (aliased) return aliased;
    const decl = sym.valueDeclaration ?? sym.declarations?.[0];
    if (decl && ts.isVariableDeclaration(decl) && ts.isSourceFile(decl.parent.parent.parent)) {
      if (decl.getSourceFile() === this.L.fe.runtimeFile) this.L.fail(id, "notAFunction", [id.text]);
      if (!(decl.parent.flags & ts.NodeFlags.Const)) this.L.fail(id, "notConst", [`module-level '${id.text}' (declare it const)`]);
      const t = this.L.moduleConst(sym, decl);
      if (!t) throw new Poison();
      return fromConstTree(this.b, t);
    }
    if (decl && ts.isFunctionDeclaration(decl)) this.L.fail(id, "closure");
    // The declaration's own error (a non-const enum, 'var', a bad initializer) is the root cause.
    if (decl && (ts.isEnumDeclaration(decl) || ts.isVariableDeclaration(decl)) && this.L.hasDiagnosticIn(decl)) this.followOn();
    if (!decl || decl.getSourceFile().isDeclarationFile) this.L.fail(id, "global", [id.text]);
    return this.L.fail(id, "uninitialized", [id.text]);
  }

  private property(e: ts.PropertyAccessExpression): AV {
    if (e.questionDotToken) this.L.fail(e, "optionalChain");
    const cv = this.checker.getConstantValue(e);
    if (typeof cv === "number") {
      if (!Number.isInteger(cv)) this.L.fail(e, "float");
      return constInt(this.b, BigInt(cv), false);
    }
    if (typeof cv === "string") this.L.fail(e, "string");
    if (ts.isIdentifier(e.expression)) {
      const s = this.checker.getSymbolAtLocation(e.expression);
      const d = s?.declarations?.[0];
      if (s && !this.env.has(s) && (!d || d.getSourceFile().isDeclarationFile)) this.L.fail(e, "global", [e.getText()]);
    }
    const base = this.expr(e.expression);
    if (base.k === "array" && e.name.text === "length") return constInt(this.b, BigInt(base.elems.length), false);
    if (base.k !== "record") this.L.fail(e, "construct", [`'.${e.name.text}' on a ${base.k}`]);
    const f = base.fields.get(e.name.text);
    if (!f) this.L.fail(e.name, "construct", [`reading '${e.name.text}', which ${base.name} does not have,`]);
    return f;
  }

  checkIndex(i: IntAV, n: number, at: ts.Node): void {
    if (i.r.lo < 0n || i.r.hi >= BigInt(n)) this.L.fail(at, "indexRange", [i.r.lo < 0n ? i.r.lo : i.r.hi, n - 1, guardHint(at, i.r.lo < 0n, n)]);
  }

  private element(e: ts.ElementAccessExpression): AV {
    if (e.questionDotToken) this.L.fail(e, "optionalChain");
    const base = this.expr(e.expression);
    if (base.k !== "array") this.L.fail(e, "construct", [`indexing a ${base.k}`]);
    const i = this.intOf(e.argumentExpression);
    this.checkIndex(i, base.elems.length, e.argumentExpression);
    const c = intConst(i);
    if (c !== undefined) return base.elems[Number(c)];
    return this.dynamicIndex(base, i);
  }

  dynamicIndex(arr: Extract<AV, { k: "array" }>, i: IntAV): AV {
    const d = dtypeOfAV(arr);
    if (d.k !== "array") throw new Error("internal");
    const node = materialize(this.b, arr, d);
    const idx = this.b.add("index", [node, i.node]);
    if (d.elem.k === "int") {
      const r = arr.elems.map((x) => (x as IntAV).r).reduce((a, b2) => ({ lo: a.lo < b2.lo ? a.lo : b2.lo, hi: a.hi > b2.hi ? a.hi : b2.hi }));
      return { k: "int", node: idx, r, big: (arr.elems[0] as IntAV).big };
    }
    return fromNode(this.b, idx, d.elem);
  }

  private prefix(e: ts.PrefixUnaryExpression): AV {
    switch (e.operator) {
      case ts.SyntaxKind.ExclamationToken: return this.not(this.cond(e.operand));
      case ts.SyntaxKind.MinusToken: {
        const x = this.intOf(e.operand);
        return this.result(e, A.neg(this.b, x, e.getText()), x);
      }
      case ts.SyntaxKind.TildeToken: return A.bitNot(this.b, this.intOf(e.operand));
      case ts.SyntaxKind.PlusToken: this.L.fail(e, "construct", ["unary '+' (a JavaScript number conversion)"]); break;
      default: this.L.fail(e, "construct", ["'++'/'--' inside an expression (use it as a statement)"]);
    }
    return this.unexpected(e);
  }

  result(at: ts.Node, r: A.ArithResult, ...xs: IntAV[]): IntAV {
    if ("diag" in r) this.L.fail(at, r.diag, r.diag === "unsafeNumber" ? [...r.args, this.widened(at, xs)] : r.args);
    return r;
  }

  /** TSF3001's suggestion: the expression at `at` with its operands widened to bigints. */
  private widened(at: ts.Node, xs: IntAV[]): string {
    const signed = (i: number) => (xs[i]?.r.lo ?? 0n) < 0n;
    if (ts.isBinaryExpression(at)) return widenHint(at.getText(), [{ text: at.left.getText(), signed: signed(0) }, { text: at.right.getText(), signed: signed(1) }], at.operatorToken.getText().replace(/=$/, ""));
    if (ts.isPrefixUnaryExpression(at)) return widenHint(at.getText(), [{ text: at.operand.getText(), signed: true }], "-");
    return widenHint(at.getText(), xs.map((_, i) => ({ text: "", signed: signed(i) })));
  }

  private arith(at: ts.Node, op: "+" | "-", x: AV, y: AV): AV {
    return this.binaryOp(at, op, x, y);
  }

  equal(at: ts.Node, x: AV, y: AV, eq: boolean): BoolAV {
    if (x.k === "int" && y.k === "int") return A.compare(this.b, eq ? "==" : "!=", x, y);
    if (x.k === "bool" && y.k === "bool") return { k: "bool", node: this.b.add(eq ? "eq" : "ne", [x.node, y.node]) };
    return this.L.fail(at, "construct", ["comparing records or arrays with '==='/'!==' (it compares references in JavaScript)"]);
  }

  binaryOp(at: ts.Node, op: string, x: AV, y: AV): AV {
    const what = at.getText();
    if (op === "==" || op === "===" || op === "!=" || op === "!==") return this.equal(at, x, y, op[0] === "=");
    if (x.k !== "int" || y.k !== "int") {
      if (x.k === "bool" && y.k === "bool" && (op === "&" || op === "|" || op === "^"))
        this.L.fail(at, "construct", [`'${op}' on booleans (use &&, || or !==)`]);
      return this.L.fail(at, "construct", [`'${op}' on a ${x.k === "int" ? y.k : x.k}`]);
    }
    const b = this.b;
    switch (op) {
      case "+": return this.result(at, A.add(b, x, y, what), x, y);
      case "-": return this.result(at, A.sub(b, x, y, what), x, y);
      case "*": return this.result(at, A.mul(b, x, y, what), x, y);
      case "/":
      case "%": {
        if (op === "/" && !x.big) this.L.fail(at, "numberDivision");
        const d = intConst(y);
        if (d === undefined || d === 0n) this.L.fail(at, "divisorNotConst");
        return A.divmod(b, x, d, op === "%");
      }
      case "&": return A.bitwise(b, "and", x, y);
      case "|": return A.bitwise(b, "or", x, y);
      case "^": return A.bitwise(b, "xor", x, y);
      case "<<": case ">>": case ">>>": return this.result(at, A.shift(b, op, x, y));
      case "<": case "<=": case ">": case ">=": return A.compare(b, op, x, y);
    }
    return this.L.fail(at, "construct", [`the operator '${op}'`]);
  }

  private objectLiteral(e: ts.ObjectLiteralExpression): AV {
    const t = this.checker.getContextualType(e) ?? this.checker.getTypeAtLocation(e);
    const d = dtypeOf(this.checker, t);
    const given = new Map<string, AV>();
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p)) {
        const name = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name) ? p.name.text : this.L.fail(p.name, "construct", ["a computed property name"]);
        this.checkNotAliased(p.initializer);
        given.set(name, this.expr(p.initializer));
      } else if (ts.isShorthandPropertyAssignment(p)) {
        this.checkNotAliased(p.name);
        given.set(p.name.text, this.identifier(p.name, this.checker.getShorthandAssignmentValueSymbol(p)));
      } else this.unexpected(p);
    }
    const order = !("error" in d) && d.k === "record" ? d.fields.map((f) => f.name) : [...given.keys()];
    const fields = new Map<string, AV>();
    for (const n of order) {
      const v = given.get(n);
      if (!v) this.L.fail(e, "internal", [`missing field ${n}`]);
      fields.set(n, v);
    }
    return { k: "record", name: !("error" in d) && d.k === "record" ? d.name : "record", fields };
  }

  private call(e: ts.CallExpression): AV {
    if (e.questionDotToken) this.L.fail(e, "optionalChain");
    const m = this.memCall(e);
    if (m) return m;
    let sym = this.checker.getSymbolAtLocation(e.expression);
    if (!sym && this.L.hasDiagnosticIn(e.expression)) this.followOn(); // an unresolved name: TypeScript reported it
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.brokenImport(sym);
    const decl = sym?.declarations?.[0];
    if (!sym || !decl) this.L.fail(e.expression, "notAFunction", [e.expression.getText()]);
    if (decl.getSourceFile() === this.L.fe.runtimeFile) {
      if (!RUNTIME_INTRINSICS.test(sym.name)) this.L.fail(e.expression, "notAFunction", [sym.name]);
      return lowerIntrinsic(this, sym.name, e);
    }
    if (decl.getSourceFile().isDeclarationFile) this.L.fail(e.expression, "global", [e.expression.getText()]);
    if (!ts.isFunctionDeclaration(decl)) this.L.fail(e.expression, "notAFunction", [e.expression.getText()]);
    const sig = this.L.sigOf(decl);
    if (!sig) throw new Poison();
    if (sig.params.some((p) => hasMem(p.type)) || hasMem(sig.ret)) this.L.fail(e, "memUse", [`passing a memory to '${decl.name?.text}', which is not a kernel step,`]);
    const args = e.arguments.map((a, i) => {
      if (mayAlias(sig.params[i].type, sig.ret)) this.checkNotAliased(a);
      return this.fit(a, this.expr(a), sig.params[i].type);
    });
    this.L.enqueue(decl);
    const n = this.b.add("invoke", args, { fn: this.L.fnName(decl) }, irTypeOf(sig.ret), decl.name?.text);
    return fromNode(this.b, n, sig.ret);
  }
}

/** The forms that make an index provably in range (the range analysis narrows under them). */
function guardHint(at: ts.Node, negative: boolean, n: number): string {
  const arr = ts.isElementAccessExpression(at.parent) ? at.parent.expression.getText() : "a";
  const named = ts.isIdentifier(at);
  const i = named ? at.text : "j";
  const test = negative ? `${i} >= 0 && ${i} < ${n}` : `${i} < ${n}`;
  const forms = `if (${test}) { … ${arr}[${i}] … }, ${test} ? ${arr}[${i}] : 0, or const k = ${test} ? ${i} : ${n - 1}; ${arr}[k]`;
  const mask = (n & (n - 1)) === 0 ? `, or mask it: ${arr}[${i} & ${n - 1}]` : "";
  return `${named ? "" : `name it (const j = ${at.getText()}), then `}guard it: ${forms}${mask}`;
}

/** The arrays and records inside d, d included (what a reference into a value of type d can be). */
function aggregates(d: DType, out: DType[] = []): DType[] {
  if (d.k === "array") { out.push(d); aggregates(d.elem, out); }
  if (d.k === "record") { out.push(d); for (const f of d.fields) aggregates(f.type, out); }
  return out;
}
/** Whether TypeScript lets a value of type p be used as type r (records may have extra fields). */
function assignable(p: DType, r: DType): boolean {
  if (p.k === "int" && r.k === "int") return p.w === r.w && p.signed === r.signed && p.big === r.big;
  if (p.k === "array" && r.k === "array") return p.n === r.n && assignable(p.elem, r.elem);
  if (p.k === "record" && r.k === "record") return r.fields.every((f) => { const g = p.fields.find((x) => x.name === f.name); return !!g && assignable(g.type, f.type); });
  return p.k === r.k;
}
/**
 * Whether a call's result may share an object with an argument of type param: only when some
 * array or record inside the argument could be returned as (part of) the result's type. A helper
 * returning `{ min: u8; max: u8 }` from a `Vec<u8, 4>` builds a fresh object; one returning the
 * same Vec type (or a record that holds it) might return the argument itself.
 */
function mayAlias(param: DType, ret: DType): boolean {
  const inRet = aggregates(ret);
  return aggregates(param).some((a) => inRet.some((r) => assignable(a, r)));
}

/** Why av does not fit dialect type d (a range or shape), or undefined when it does. */
function misfit(av: AV, d: DType): string | undefined {
  if (d.k === "int") {
    if (av.k !== "int") return `a ${av.k}`;
    const r = rangeOfType(d.w, d.signed);
    return contains(r, av.r) ? undefined : `${av.r.lo < r.lo ? av.r.lo : av.r.hi}`;
  }
  if (d.k === "bool") return av.k === "bool" ? undefined : `a ${av.k}`;
  if (d.k === "mem") return av.k === "mem" && av.n === d.n ? undefined : `a ${av.k}`;
  if (d.k === "array") {
    if (av.k !== "array" || av.elems.length !== d.n) return "an array of another length";
    for (const e of av.elems) { const m = misfit(e, d.elem); if (m) return m; }
    return undefined;
  }
  if (av.k !== "record") return `a ${av.k}`;
  for (const f of d.fields) { const v = av.fields.get(f.name); if (!v) return `missing field ${f.name}`; const m = misfit(v, f.type); if (m) return m; }
  return undefined;
}

type Relation = "<" | "<=" | ">" | ">=" | "==" | "!=";
/** A bound on an integer variable that a condition implies. */
interface Fact { sym: ts.Symbol; r: { lo?: bigint; hi?: bigint; ne?: bigint } }
const RELATION = new Map<ts.SyntaxKind, Relation>([
  [ts.SyntaxKind.LessThanToken, "<"], [ts.SyntaxKind.LessThanEqualsToken, "<="],
  [ts.SyntaxKind.GreaterThanToken, ">"], [ts.SyntaxKind.GreaterThanEqualsToken, ">="],
  [ts.SyntaxKind.EqualsEqualsEqualsToken, "=="], [ts.SyntaxKind.EqualsEqualsToken, "=="],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, "!="], [ts.SyntaxKind.ExclamationEqualsToken, "!="],
]);
/** `!(x < y)` is `x >= y`; `x < y` is `y > x`. */
const NEGATED: Record<Relation, Relation> = { "<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==" };
const SWAPPED: Record<Relation, Relation> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=" };

/** Give a freshly computed scalar node the TypeScript variable's name (for readable IR and Verilog). */
function nameHint(v: AV, name: string): AV {
  if ((v.k === "int" || v.k === "bool") && !v.node.name && v.node.op !== "literal" && v.node.op !== "param") v.node.name = name;
  return v;
}

export function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}
function isAssignmentOp(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastCompoundAssignment;
}
/** Number of field/element steps in an assignment target (`a` 0, `a.x` 1, `a[i].x` 2). */
function pathDepth(e: ts.Expression): number {
  let n = 0;
  e = skipParens(e);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) { n++; e = skipParens(e.expression); }
  return n;
}
function isFillCall(e: ts.Expression): boolean {
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "fill";
}
function endsFlow(s: ts.Statement): boolean {
  if (ts.isBreakStatement(s) || ts.isReturnStatement(s) || ts.isContinueStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.length > 0 && endsFlow(s.statements[s.statements.length - 1]);
  return false;
}
function findLastIndex<T>(xs: T[], p: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (p(xs[i])) return i;
  return -1;
}


/** Whether a dialect type holds a memory anywhere inside. */
function hasMem(d: DType): boolean {
  return d.k === "mem" || (d.k === "record" && d.fields.some((f) => hasMem(f.type))) || (d.k === "array" && hasMem(d.elem));
}
/** Whether a memory sits inside an array of d (not supported: each memory is one state field). */
function arrayOfMem(d: DType): boolean {
  return (d.k === "array" && hasMem(d.elem)) || (d.k === "record" && d.fields.some((f) => arrayOfMem(f.type)));
}

/** Pointwise maximum of two per-memory counts. */
function maxCounts(a: Map<string, number>, b: Map<string, number> | undefined): Map<string, number> {
  const out = new Map(a);
  if (b) for (const [k, v] of b) out.set(k, Math.max(out.get(k) ?? 0, v));
  return out;
}

/**
 * Whether two nodes compute the same value: the same node, or the same op, attributes and type on
 * operands that compute the same values (`s.m.get(beat.bytes[0])` written twice builds two equal
 * index nodes). Parameters and memory reads are equal only to themselves.
 */
function sameValue(a: Node, b: Node): boolean {
  if (a === b) return true;
  if (a.op !== b.op || a.op === "param" || a.op === "memread" || a.operands.length !== b.operands.length || !typeEq(a.type, b.type)) return false;
  const ka = Object.keys(a.attrs), kb = Object.keys(b.attrs);
  if (ka.length !== kb.length || ka.some((k) => String(a.attrs[k]) !== String(b.attrs[k]) || typeof a.attrs[k] === "object")) return false;
  return a.operands.every((o, i) => sameValue(o, b.operands[i]));
}
