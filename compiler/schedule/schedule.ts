/**
 * ASAP pipeline scheduling against a clock period. Every node gets a stage (1..S) such that the
 * combinational delay accumulated inside a stage, from its registers (or the input port) to the
 * next registers, fits the period minus the register margin of the delay model. The schedule is
 * a side table (node id → stage, plus the arrival time of each value inside its stage); the IR is
 * not changed. Literals are constants (stage 0, no register). An op that alone exceeds the usable
 * period yields a TSF4001 diagnostic at its TypeScript line — the schedule is never relaxed.
 */
import { makeDiagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Fn, Node } from "../ir/ir.js";
import type { OpName } from "../ir/ops.js";
import { typeToString } from "../ir/types.js";
import { activeDelayModel, delayOf, guardFactor, portBits, predictedFmaxMhz, REGISTER_MARGIN_NS, stageFloorNs } from "./delay-model.js";

export interface Schedule {
  clockMhz: number;
  periodNs: number;
  /** Usable combinational time per stage: period minus the register margin. */
  budgetNs: number;
  /** Node id → stage (1-based; literals are 0). */
  stage: Map<number, number>;
  /** Node id → time (ns) its value settles, measured from the start of its stage. */
  arrival: Map<number, number>;
  /** Number of logic stages; each ends in a register bank, so latencyCycles = stages. */
  stages: number;
  /** Nodes computed ahead of the pipeline (stage 0, read from registers in every stage). */
  fixed?: ReadonlySet<number>;
  /** Bits of the module's ports when they are not the function's parameters and result (a
   *  kernel: its state is a register inside the module, only its readable fields are ports). */
  portBits?: number;
}

export interface StageReport {
  stage: number;
  estimatedDelayNs: number;
  /** "file.ts:line" of every TypeScript line with an op in this stage, in line order. */
  sourceLines: string[];
  ops: number;
}

export interface ScheduleReport {
  clockMhz: number;
  periodNs: number;
  budgetNs: number;
  stages: number;
  latencyCycles: number;
  ii: number;
  perStage: StageReport[];
  opCounts: Partial<Record<OpName, number>>;
  /** The delay model the schedule used: "generic" or a calibrated target (compile --target). */
  delayModel: string;
  /** 1000 / (slowest stage's estimated delay + the model's register margin, or its stage floor if longer), MHz (0.1). */
  predictedFmaxMhz: number;
}

const fmt = (x: number) => String(Math.round(x * 1000) / 1000);
const baseName = (f: string) => f.split("/").pop() ?? f;

/**
 * Schedule `fn` ASAP; diagnostics list every op that cannot fit the period on its own.
 * `earliest` gives nodes (a kernel's state parameter) a first stage later than 1. `fixed` nodes
 * (a kernel's configuration-only logic, computed and registered ahead of the pipeline) are, like
 * literals, stage 0 and available at time 0 in every stage.
 */
export function scheduleFn(fn: Fn, clockMhz: number, earliest?: ReadonlyMap<number, number>, fixed?: ReadonlySet<number>, ports?: number): { schedule: Schedule; diagnostics: Diagnostic[] } {
  const bits = ports ?? portBits(fn);
  const periodNs = 1000 / clockMhz;
  const budgetNs = periodNs - REGISTER_MARGIN_NS;
  const stage = new Map<number, number>();
  const arrival = new Map<number, number>();
  const slow = new Map<string, { n: Node; d: number }>();
  for (const n of fn.nodes) {
    if (n.op === "literal") {
      stage.set(n.id, 0);
      arrival.set(n.id, 0);
      continue;
    }
    const d = delayOf(n);
    const key = n.loc ? `${n.loc.file}:${n.loc.line}` : "";
    if (d > budgetNs && d > 0 && d > (slow.get(key)?.d ?? 0)) slow.set(key, { n, d });
    if (fixed?.has(n.id)) {
      stage.set(n.id, 0);
      arrival.set(n.id, 0);
      continue;
    }
    let s = Math.max(earliest?.get(n.id) ?? 1, ...n.operands.map((o) => stage.get(o.id)!));
    let start = Math.max(0, ...n.operands.filter((o) => stage.get(o.id) === s).map((o) => arrival.get(o.id)!));
    if (start + d > budgetNs && start > 0) {
      s += 1;
      start = 0;
    }
    stage.set(n.id, s);
    arrival.set(n.id, start + d);
  }
  // One diagnostic per TypeScript line: its slowest op; when the period cannot even hold a
  // register, one diagnostic for the whole function with the fastest clock it allows.
  const diagnostics = budgetNs <= 0 ? [noOpFits(fn, periodNs, clockMhz)] : [...slow.values()].map(({ n, d }) => tooSlow(n, d, budgetNs, clockMhz, fn));
  const stages = [...stage.values()].reduce((a, b) => Math.max(a, b), 1);
  // A target model's stage floor (handshake through every stage, wide port buses) must fit the period too.
  const floorNs = stageFloorNs(bits, stages) * guardFactor();
  if (!diagnostics.length && floorNs > periodNs) diagnostics.push(pipelineTooSlow(fn, floorNs, stages, clockMhz, bits));
  return { schedule: { clockMhz, periodNs, budgetNs, stage, arrival, stages, ...(fixed?.size ? { fixed } : {}), ...(ports !== undefined ? { portBits: ports } : {}) }, diagnostics };
}

function tooSlow(n: Node, d: number, budget: number, mhz: number, fn: Fn): Diagnostic {
  const where = n.loc ? ` at ${baseName(n.loc.file)}:${n.loc.line}` : "";
  const what = `'${n.op}' (${typeToString(n.type)})${where}`;
  const at = n.loc ?? fn.loc ?? { file: fn.name, line: 1, col: 1 };
  return makeDiagnostic("clockUnreachable", [what, fmt(d), fmt(budget), fmt(mhz), fmaxMhz(d)], { file: at.file, line: at.line, col: at.col });
}

function pipelineTooSlow(fn: Fn, floorNs: number, stages: number, mhz: number, bits: number): Diagnostic {
  const at = fn.loc ?? { file: fn.name, line: 1, col: 1 };
  const m = activeDelayModel();
  return makeDiagnostic("pipelineFloor", [fmt(mhz), stages, m.name, bits, fmt(floorNs), Math.round(m.ns.guard * 100), fmt(1000 / mhz), Math.floor(10_000 / floorNs) / 10], { file: at.file, line: at.line, col: at.col });
}

/** The fastest clock (MHz, rounded down to 0.1) at which an op of delay d fits one cycle. */
const fmaxMhz = (d: number) => String(Math.floor(10_000 / (d + REGISTER_MARGIN_NS)) / 10);

function noOpFits(fn: Fn, periodNs: number, mhz: number): Diagnostic {
  const slowest = fn.nodes.reduce((m, n) => (n.op === "literal" ? m : Math.max(m, delayOf(n))), 0);
  const at = fn.loc ?? { file: fn.name, line: 1, col: 1 };
  return makeDiagnostic("clockTooFast", [fmt(mhz), fmt(periodNs), fmt(REGISTER_MARGIN_NS), fmaxMhz(slowest), fmaxMhz(0)], { file: at.file, line: at.line, col: at.col });
}

/** Check a schedule: operands never later than users, every stage's path fits the budget. */
export function verifySchedule(fn: Fn, s: Schedule): string[] {
  const problems: string[] = [];
  const arr = new Map<number, number>();
  for (const n of fn.nodes) {
    const st = s.stage.get(n.id);
    if (st === undefined) {
      problems.push(`node ${n.id} has no stage`);
      continue;
    }
    if (n.op === "literal" || s.fixed?.has(n.id)) {
      if (st !== 0) problems.push(`${n.op === "literal" ? "literal" : "fixed node"} ${n.id} is in stage ${st}, not 0`);
      arr.set(n.id, 0);
      continue;
    }
    if (st < 1 || st > s.stages) problems.push(`node ${n.id} stage ${st} outside 1..${s.stages}`);
    let start = 0;
    for (const o of n.operands) {
      const os = s.stage.get(o.id) ?? Infinity;
      if (os > st) problems.push(`node ${n.id} (stage ${st}) uses node ${o.id} from later stage ${os}`);
      if (os === st) start = Math.max(start, arr.get(o.id) ?? 0);
    }
    const t = start + delayOf(n);
    arr.set(n.id, t);
    if (t > s.budgetNs + 1e-9 && delayOf(n) <= s.budgetNs) problems.push(`stage ${st} path through node ${n.id} takes ${fmt(t)} ns > ${fmt(s.budgetNs)} ns`);
  }
  const rs = s.stage.get(fn.ret.id);
  if (rs !== undefined && rs > s.stages) problems.push("return value is computed after the last stage");
  return problems;
}

/** The per-stage summary written to <top>.report.json. */
export function scheduleReport(fn: Fn, s: Schedule): ScheduleReport {
  const perStage: StageReport[] = [];
  for (let i = 1; i <= s.stages; i++) perStage.push({ stage: i, estimatedDelayNs: 0, sourceLines: [], ops: 0 });
  const lines = perStage.map(() => new Map<string, number>());
  const opCounts: Partial<Record<OpName, number>> = {};
  for (const n of fn.nodes) {
    opCounts[n.op] = (opCounts[n.op] ?? 0) + 1;
    const st = s.stage.get(n.id)!;
    if (st < 1) continue;
    const r = perStage[st - 1];
    r.ops += n.op === "param" ? 0 : 1;
    r.estimatedDelayNs = Math.max(r.estimatedDelayNs, Math.round(s.arrival.get(n.id)! * 1000) / 1000);
    if (n.loc && n.op !== "param") lines[st - 1].set(`${baseName(n.loc.file)}:${n.loc.line}`, n.loc.line);
  }
  perStage.forEach((r, i) => (r.sourceLines = [...lines[i].entries()].sort((a, b) => a[1] - b[1]).map((e) => e[0])));
  return {
    clockMhz: s.clockMhz, periodNs: Math.round(s.periodNs * 1000) / 1000, budgetNs: Math.round(s.budgetNs * 1000) / 1000,
    stages: s.stages, latencyCycles: s.stages, ii: 1, perStage, opCounts,
    delayModel: activeDelayModel().name,
    predictedFmaxMhz: predictedFmaxMhz(Math.max(0, ...perStage.map((r) => r.estimatedDelayNs)), s.portBits ?? portBits(fn), s.stages),
  };
}
