/**
 * Streaming kernels in hardware. A kernel's step function `(state, beat, cfg) -> {state, out,
 * valid}` becomes a pipeline. The state loop is one cycle long (a new beat may arrive every
 * cycle), so the next state must settle in the one stage that reads the state register; but
 * logic that depends only on the beat and the configuration does not have to wait for the
 * state: it is scheduled in input stages ahead of the loop stage, and the loop stage reads it
 * from registers. This file finds the state-update cone, measures the part of it that truly
 * depends on the state (TSF4003 when one cycle cannot hold it, naming the TypeScript lines), and
 * rewrites the step function so the rest of the backend sees an ordinary pipeline whose result is
 * {out, valid}; backend.ts then picks the fewest input stages that meet the clock.
 */
import { makeDiagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { memWriteField, type Fn, type KernelInfo, type MemInfo, type Node } from "../ir/ir.js";
import { recordOf } from "../ir/types.js";
import { flatWidth } from "../ir/types.js";
import { packValue } from "../ir/values.js";
import { delayOf, REGISTER_MARGIN_NS } from "../schedule/delay-model.js";
import type { ConfigSchedule } from "./config-stage.js";

export interface KernelHw {
  /** The step function with its result replaced by {out, valid}. */
  fn: Fn;
  /** The node computing the next state (kept alive by the plan). */
  stateNext: Node;
  /** Nodes of the step that read the state register, directly or through other nodes. */
  stateDependent: Set<Node>;
  /** Delay (ns) of the state-dependent part of the state update: the loop's critical path. */
  stateLoopNs: number;
  /** The loop's critical path as TypeScript lines with the time spent on each. */
  stateLoopPath: string[];
  stateWidth: number;
  /** The stage that reads the state register (1 + the number of input stages ahead of it). */
  loopStage: number;
  /** The reset value of the state, packed flat. */
  init: bigint;
  /** Width of the input: 73 for a Beat (s_axis_tdata, tkeep, tlast), else the input record packed flat. */
  beatWidth: number;
  /** The input is the runtime's 64-bit `Beat` (tdata, tkeep, tlast ports), not a record on s_axis_tdata. */
  inputIsBeat: boolean;
  cfgWidth: number;
  outWidth: number;
  /** The state's memories: a block RAM each, with its one read (a memread node) and one write ({en, addr, data}). */
  mems: KernelMem[];
  /** Readable state fields: an output port each, driven by the field's bits of `state_q`. */
  readable: ReadablePort[];
  /** Configuration-only logic, computed once and registered (config-stage.ts); set by the backend. */
  config?: ConfigSchedule;
}

export interface KernelMem {
  info: MemInfo;
  /** The memread node: its address is issued in the stage before the loop, its data read in the loop stage. */
  read?: Node;
  /** The {en, addr, data} record written when the beat leaves the loop stage. */
  write?: Node;
}

export interface ReadablePort {
  /** Output port name: `state_<field>`. */
  port: string;
  field: string;
  /** Position of the field in the packed state (`state_q`). */
  lsb: number;
  width: number;
}

/** The readable fields of the state (kernel(…, { readable })), as slices of the packed state. */
function readablePorts(state: Fn["params"][number]["type"], names: readonly string[]): ReadablePort[] {
  if (state.k !== "record") return [];
  const out: ReadablePort[] = [];
  let lsb = 0;
  for (const f of state.fields) {
    const width = flatWidth(f.type);
    if (names.includes(f.name)) out.push({ port: `state_${f.name}`, field: f.name, lsb, width });
    lsb += width;
  }
  return names.map((n) => out.find((r) => r.field === n)!).filter(Boolean);
}

const fmt = (x: number) => String(Math.round(x * 1000) / 1000);
// A delay shown rounded up and a budget rounded down, so "longer than" never reads as equal numbers.
const fmtUp = (x: number) => String(Math.ceil(x * 1000 - 1e-9) / 1000);
const fmtDown = (x: number) => String(Math.floor(x * 1000 + 1e-9) / 1000);

function fieldOperand(ret: Node, name: string): Node {
  if (ret.op !== "record" || ret.type.k !== "record") throw new Error("internal: kernel step result is not a record node");
  const i = ret.type.fields.findIndex((f) => f.name === name);
  return ret.operands[i];
}
function hasField(ret: Node, name: string): boolean {
  return ret.type.k === "record" && ret.type.fields.some((f) => f.name === name);
}

/**
 * The critical path (ns) of the cone that computes `root`, all in one stage. Nodes for which
 * `registered` is true arrive at time 0 (they are read from a register) and end the cone.
 */
export function coneDelay(root: Node, registered: (n: Node) => boolean = () => false): { delay: number; cone: Set<Node>; path: string[] } {
  const cone = new Set<Node>();
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (cone.has(n)) continue;
    cone.add(n);
    if (!registered(n)) stack.push(...n.operands);
  }
  const arrival = new Map<Node, number>();
  const at = (n: Node): number => {
    const hit = arrival.get(n);
    if (hit !== undefined) return hit;
    // Iterative post-order to avoid deep recursion on long chains.
    const work: [Node, boolean][] = [[n, false]];
    while (work.length) {
      const [m, expanded] = work.pop()!;
      if (arrival.has(m)) continue;
      if (registered(m)) { arrival.set(m, 0); continue; }
      if (!expanded) { work.push([m, true]); for (const o of m.operands) if (!arrival.has(o)) work.push([o, false]); continue; }
      let best: Node | undefined;
      for (const o of m.operands) if (!best || arrival.get(o)! > arrival.get(best)!) best = o;
      if (best) pred.set(m, best);
      arrival.set(m, m.op === "literal" ? 0 : (best ? arrival.get(best)! : 0) + delayOf(m));
    }
    return arrival.get(n)!;
  };
  const pred = new Map<Node, Node>();
  const delay = at(root);
  // The critical path, as the TypeScript lines it crosses (with the time spent on each).
  const steps: { line: string; ns: number }[] = [];
  for (let n: Node | undefined = root; n; n = pred.get(n)) {
    const line = n.loc ? `${n.loc.file.split("/").pop()}:${n.loc.line}` : "?";
    const t = arrival.get(n)! - (pred.get(n) ? arrival.get(pred.get(n)!)! : 0);
    if (steps.length && steps[steps.length - 1].line === line) steps[steps.length - 1].ns += t;
    else steps.push({ line, ns: t });
  }
  const path = steps.reverse().filter((s) => s.ns > 0.005 && s.line !== "?").map((s) => `${s.line} (${fmt(s.ns)} ns)`);
  return { delay, cone, path };
}

/**
 * The output as the hardware computes it. `out` is only emitted when `valid` is set (runtime: the
 * whole beat-by-beat meaning), so a part chosen by `valid ? x : y` (the step's `ok ? record :
 * NO_RECORD`, lowered field by field) is x: no AND gate on every output bit behind the latest
 * signal of the step. New nodes are appended to `added`; ids continue from `nextId`.
 */
function whenValid(out: Node, valid: Node, added: Node[], nextId: { v: number }): Node {
  if (out.op === "sel" && out.operands[0] === valid) return whenValid(out.operands[1], valid, added, nextId);
  if (out.op !== "record" && out.op !== "array") return out;
  const ops = out.operands.map((o) => whenValid(o, valid, added, nextId));
  if (ops.every((o, i) => o === out.operands[i])) return out;
  const n: Node = { ...out, id: nextId.v++, operands: ops };
  added.push(n);
  return n;
}

/** Whether a kernel takes 64-bit beats (the runtime's `Beat`) rather than records of another type. */
export function isBeat(k: KernelInfo): boolean {
  const t = k.input;
  return t.k === "record" && t.name === "Beat" && t.fields.map((f) => f.name).join() === "bytes,keep,last";
}

export function kernelHardware(step: Fn, k: KernelInfo, clockMhz: number): { hw?: KernelHw; diagnostics: Diagnostic[] } {
  const stateNext = fieldOperand(step.ret, "state");
  const out = fieldOperand(step.ret, "out");
  const valid = fieldOperand(step.ret, "valid");
  const budget = 1000 / clockMhz - REGISTER_MARGIN_NS;
  // The memories: one read (its address issued a cycle ahead) and one write per step each.
  const mems: KernelMem[] = (k.mems ?? []).map((info) => {
    const reads = step.nodes.filter((n) => n.op === "memread" && n.attrs.mem === info.name);
    if (reads.length > 1) throw new Error(`internal: memory ${info.name} has ${reads.length} reads after the front end allowed one`);
    // A memory the step never reads changes no output: its writes are dropped with it (no RAM).
    return { info, read: reads[0], write: reads.length && hasField(step.ret, memWriteField(info.name)) ? fieldOperand(step.ret, memWriteField(info.name)) : undefined };
  });
  // What reads the state (the register or a memory): everything else can be computed ahead of the loop and registered.
  const stateDependent = new Set<Node>([step.params[0], ...mems.flatMap((m) => (m.read ? [m.read] : []))]);
  for (const n of step.nodes) if (n.operands.some((o) => stateDependent.has(o))) stateDependent.add(n);
  const early: Diagnostic[] = [];
  for (const m of mems) if (m.read && stateDependent.has(m.read.operands[0])) {
    const at = m.read.loc ?? step.loc ?? { file: k.name, line: 1, col: 1 };
    early.push(makeDiagnostic("memAddrState", [m.info.name], at));
  }
  if (early.length) return { diagnostics: early };
  // The loop: the next state and every memory write settle in the cycle that reads the state.
  const loopRoots = [stateNext, ...mems.flatMap((m) => (m.write ? [m.write] : []))];
  const { delay, path } = loopRoots.map((r) => coneDelay(r, (n) => !stateDependent.has(n))).reduce((a, b) => (b.delay > a.delay ? b : a));
  if (budget <= 0) {
    // The period cannot even hold a register: say so, with the fastest clock the kernel allows.
    const slowest = Math.max(delay, ...step.nodes.map((n) => (n.op === "literal" ? 0 : delayOf(n))));
    const fastest = (d: number) => Math.floor(10_000 / (d + REGISTER_MARGIN_NS)) / 10;
    const at = step.loc ?? { file: k.name, line: 1, col: 1 };
    return { diagnostics: [makeDiagnostic("clockTooFast", [fmt(clockMhz), fmt(1000 / clockMhz), fmt(REGISTER_MARGIN_NS), fastest(slowest), fastest(0)], at)] };
  }
  if (delay > budget) {
    const fmax = Math.floor(1000 / (delay + REGISTER_MARGIN_NS));
    const at = step.loc ?? { file: k.name, line: 1, col: 1 };
    const d = makeDiagnostic("stateLoopTooSlow", [k.name, fmtUp(delay), fmtDown(budget), fmt(clockMhz), fmax], at);
    d.suggestion = `${d.suggestion}. The longest path of the state update runs through ${path.join(" → ")}`;
    return { diagnostics: [d] };
  }
  const outType = recordOf([{ name: "out", type: out.type }, { name: "valid", type: valid.type }]);
  const nextId = { v: Math.max(...step.nodes.map((n) => n.id)) + 1 };
  const added: Node[] = [];
  const hwOut = whenValid(out, valid, added, nextId);
  const result: Node = { id: nextId.v++, op: "record", type: outType, operands: [hwOut, valid], attrs: {}, name: "result", loc: step.ret.loc };
  const all = [...step.nodes.filter((n) => n !== step.ret), ...added, result];
  // What only the dropped `valid ? … : …` parts read is gone (the plan keeps stateNext alive).
  const live = new Set<Node>([result, ...loopRoots, ...step.params]);
  for (let i = all.length - 1; i >= 0; i--) if (live.has(all[i])) for (const o of all[i].operands) live.add(o);
  const fn: Fn = { ...step, nodes: all.filter((n) => live.has(n)), ret: result };
  return {
    diagnostics: [],
    hw: {
      fn, stateNext, stateDependent, stateLoopNs: delay, stateLoopPath: path, loopStage: 1,
      stateWidth: flatWidth(step.params[0].type),
      init: packValue(k.init, step.params[0].type),
      ...kernelPorts(step, k),
      inputIsBeat: isBeat(k),
      mems,
    },
  };
}

/** The widths of a kernel module's port buses (the input, the configuration, the output and the readable state ports). */
export function kernelPorts(step: Fn, k: KernelInfo): { beatWidth: number; cfgWidth: number; outWidth: number; readable: ReturnType<typeof readablePorts> } {
  return {
    beatWidth: flatWidth(step.params[1].type),
    cfgWidth: step.params[2] ? flatWidth(step.params[2].type) : 0,
    outWidth: flatWidth(fieldOperand(step.ret, "out").type),
    readable: readablePorts(step.params[0].type, k.readable ?? []),
  };
}
