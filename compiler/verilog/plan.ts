/**
 * Legalisation for the Verilog printer: decides every identifier (wires named after the
 * TypeScript identifiers that produced them, register copies `<name>_r<k>` for values that live
 * across stage boundaries), the bit offset of each parameter in s_axis_tdata, and which bits of
 * each declared signal are actually read (so the printer can mark genuinely unused bits for the
 * linter). The result is plain data; emit.ts only prints it.
 */
import type { Fn, Node } from "../ir/ir.js";
import { flatWidth } from "../ir/types.js";
import type { Schedule } from "../schedule/schedule.js";
import { NameTable } from "./names.js";
import type { KernelHw } from "./kernel-hw.js";
import { memSignal } from "./expr.js";

/** The signals of each kernel memory, after its prefix mem_<name>_ (emit.ts declares them). */
export const MEM_SIGNALS = ["ram", "q", "fwd_valid", "fwd_addr", "fwd_data", "we", "beat_we", "waddr", "wdata", "init"];
import type { ConfigSchedule } from "./config-stage.js";

export const PORTS = ["clk", "rst", "s_axis_tvalid", "s_axis_tready", "s_axis_tdata", "m_axis_tvalid", "m_axis_tready", "m_axis_tdata"];

export interface Decl {
  name: string;
  width: number;
  /** Bits never read; the printer wraps such declarations in a lint waiver with a comment. */
  unused: [number, number][];
}

export interface Plan {
  module: string;
  fn: Fn;
  sched: Schedule;
  inWidth: number;
  outWidth: number;
  /** Param node id → lsb in s_axis_tdata. */
  paramLsb: Map<number, number>;
  /** Node id → its combinational wire (absent for literals and params nobody reads). */
  wire: Map<number, Decl>;
  /** Node id → stage k → register copy holding the value at the end of stage k. */
  regs: Map<number, Map<number, Decl>>;
  /** Control signal names per stage k (1..S-1): valid register, ready register, next valid wire. */
  valid: string[];
  ready: string[];
  validNext: string[];
  /** Unused ranges of s_axis_tdata. */
  inputUnused: [number, number][];
  /** Streaming kernel: params come from the state register, the beat and the config port. */
  kernel?: KernelHw;
  /** Kernel mode: param node id → the signal it reads (state_q, beat_in, cfg). */
  paramSource: Map<number, string>;
  /** Kernel configuration stage (config-stage.ts): its wires and the registers the rest reads. */
  config?: ConfigPlan;
}

export interface ConfigPlan {
  sched: ConfigSchedule;
  /** Node id → its combinational wire in its configuration stage. */
  wire: Map<number, Decl>;
  /** Node id → the register holding it, read by later configuration stages and by the pipeline. */
  reg: Map<number, Decl>;
}

/** Bit ranges [lo, hi) of operand `i` of `user` that the user reads. */
export function readRanges(user: Node, i: number): [number, number][] {
  const w = flatWidth(user.operands[i].type);
  const all: [number, number][] = [[0, w]];
  if (i !== 0) return all;
  const src = user.operands[0].type;
  const fieldRange = (name: unknown): [number, number] => {
    if (src.k !== "record") return [0, w];
    let lo = 0;
    for (const f of src.fields) {
      if (f.name === name) return [lo, lo + flatWidth(f.type)];
      lo += flatWidth(f.type);
    }
    return [0, w];
  };
  const idx = user.operands[1];
  const elemRange = (): [number, number] | undefined => {
    if (src.k !== "array" || idx?.op !== "literal") return undefined;
    const ew = flatWidth(src.elem);
    const k = BigInt(idx.attrs.value) >= BigInt(src.n) ? src.n - 1 : Number(idx.attrs.value);
    return [k * ew, (k + 1) * ew];
  };
  const without = ([lo, hi]: [number, number]): [number, number][] => [[0, lo], [hi, w]].filter(([a, b]) => b > a) as [number, number][];
  switch (user.op) {
    case "slice": return [[Number(user.attrs.lo), Number(user.attrs.lo) + Number(user.attrs.w)]];
    case "field": return [fieldRange(user.attrs.name)];
    case "setfield": return without(fieldRange(user.attrs.name));
    case "index": return elemRange() ? [elemRange()!] : all;
    case "update": {
      if (src.k !== "array" || idx.op !== "literal" || BigInt(idx.attrs.value) >= BigInt(src.n)) return all;
      return without(elemRange()!);
    }
    default: return all;
  }
}

function unusedOf(width: number, reads: [number, number][]): [number, number][] {
  const used = new Array<boolean>(width).fill(false);
  for (const [lo, hi] of reads) for (let b = lo; b < hi; b++) used[b] = true;
  const out: [number, number][] = [];
  for (let b = 0; b < width; b++) {
    if (used[b]) continue;
    const lo = b;
    while (b + 1 < width && !used[b + 1]) b++;
    out.push([lo, b + 1]);
  }
  return out;
}

export function planModule(fn: Fn, sched: Schedule, module: string, kernel?: KernelHw): Plan {
  const S = sched.stages;
  const st = (n: Node) => sched.stage.get(n.id)!;
  const memNames = (kernel?.mems ?? []).flatMap((m) => MEM_SIGNALS.map((x) => `${memSignal(m.info.name)}_${x}`));
  if (kernel?.mems.length) memNames.push("mem_clear_busy", "mem_clear_addr", "in_valid");
  const names = new NameTable([...PORTS, "out_valid", "out_data", "out_in_ready", "out_fire", "out_open", "skid_valid", "skid_data", "skid_next", "result", "state_q", "beat_in", "cfg", "s_axis_tkeep", "s_axis_tlast", "beat_fire", ...memNames, "state_next", module]); // a signal named like its module hides it (VARHIDDEN)
  if (kernel) for (let i = 0; i * 256 < kernel.stateWidth; i++) names.reserve(`state_q_${i}`); // emit.ts stateParts
  const valid: string[] = [""];
  const ready: string[] = [""];
  const validNext: string[] = [""];
  for (let k = 1; k < S; k++) {
    valid.push(names.reserve(`s${k}_valid`));
    ready.push(names.reserve(`s${k}_ready`));
    validNext.push(names.reserve(`s${k}_valid_d`));
  }
  // Reads of each node, grouped by the stage that reads it (the output reads the return in stage S).
  const reads = new Map<number, Map<number, [number, number][]>>();
  const addRead = (n: Node, stage: number, r: [number, number][]) => {
    if (n.op === "literal") return;
    const m = reads.get(n.id) ?? reads.set(n.id, new Map()).get(n.id)!;
    m.set(stage, [...(m.get(stage) ?? []), ...r]);
  };
  // Configuration-only nodes: their reads by the pipeline (any stage) are in `reads`, their reads
  // by other configuration nodes in `cfgReads`, by configuration stage.
  const cs = kernel?.config;
  const isCfg = (n: Node) => !!cs?.nodes.has(n.id);
  const cfgReads = new Map<number, Map<number, [number, number][]>>();
  for (const u of fn.nodes) {
    if (!isCfg(u)) { u.operands.forEach((o, i) => addRead(o, st(u), readRanges(u, i))); continue; }
    u.operands.forEach((o, i) => {
      if (o.op === "literal") return;
      const m = cfgReads.get(o.id) ?? cfgReads.set(o.id, new Map()).get(o.id)!;
      const c = cs!.stage.get(u.id)!;
      m.set(c, [...(m.get(c) ?? []), ...readRanges(u, i)]);
    });
  }
  addRead(fn.ret, S, [[0, flatWidth(fn.ret.type)]]);
  if (kernel) addRead(kernel.stateNext, kernel.loopStage, [[0, flatWidth(kernel.stateNext.type)]]);
  // A memory's write is made as the beat leaves the loop stage; its read address enters the RAM a stage earlier.
  for (const m of (kernel?.mems ?? []).filter((x) => x.read)) {
    if (m.write) addRead(m.write, kernel!.loopStage, [[0, flatWidth(m.write.type)]]);
    if (m.read) addRead(m.read.operands[0], kernel!.loopStage - 1, [[0, flatWidth(m.read.operands[0].type)]]);
  }

  let config: ConfigPlan | undefined;
  if (cs && cs.stages > 0) {
    config = { sched: cs, wire: new Map(), reg: new Map() };
    for (const n of fn.nodes) {
      if (!isCfg(n)) continue;
      const w = flatWidth(n.type);
      const all: [number, number][] = [[0, w]];
      const c = cs.stage.get(n.id)!;
      const later = [...(reads.get(n.id)?.values() ?? [])].flat();
      for (const [k, r] of cfgReads.get(n.id) ?? []) if (k > c) later.push(...r);
      const here = cfgReads.get(n.id)?.get(c) ?? [];
      if (!later.length && !here.length) continue;
      const base = names.fresh(n.name ?? (n.op === "param" ? "cfg_in" : n.op), n.id);
      config.wire.set(n.id, { name: base, width: w, unused: unusedOf(w, [...here, ...(later.length ? all : [])]) });
      if (later.length) config.reg.set(n.id, { name: names.fresh(`${base}_cfg`), width: w, unused: unusedOf(w, later) });
    }
  }

  const wire = new Map<number, Decl>();
  const regs = new Map<number, Map<number, Decl>>();
  for (const n of fn.nodes) {
    const r = reads.get(n.id);
    if (n.op === "literal" || !r || isCfg(n)) continue;
    const w = flatWidth(n.type);
    const last = Math.max(...r.keys());
    const all: [number, number][] = [[0, w]];
    const base = names.fresh(n.name ?? n.op, n.id);
    wire.set(n.id, { name: base, width: w, unused: unusedOf(w, [...(r.get(st(n)) ?? []), ...(last > st(n) ? all : [])]) });
    const copies = new Map<number, Decl>();
    for (let k = st(n); k < last; k++) {
      const rd = [...(r.get(k + 1) ?? []), ...(last > k + 1 ? all : [])];
      copies.set(k, { name: names.fresh(`${base}_r${k}`), width: w, unused: unusedOf(w, rd) });
    }
    if (copies.size) regs.set(n.id, copies);
  }
  const paramLsb = new Map<number, number>();
  let lsb = 0;
  const inReads: [number, number][] = [];
  for (const p of fn.params) {
    paramLsb.set(p.id, lsb);
    const w = flatWidth(p.type);
    if (wire.has(p.id) || config?.wire.has(p.id)) inReads.push([lsb, lsb + w]);
    lsb += w;
  }
  const inWidth = Math.max(1, lsb);
  const paramSource = new Map<number, string>();
  if (kernel) fn.params.forEach((p, i) => paramSource.set(p.id, ["state_q", kernel.inputIsBeat ? "beat_in" : "s_axis_tdata", "cfg"][i]));
  return {
    module, fn, sched, inWidth, outWidth: flatWidth(fn.ret.type), paramLsb, wire, regs, valid, ready, validNext,
    inputUnused: unusedOf(inWidth, inReads), kernel, paramSource, config,
  };
}
