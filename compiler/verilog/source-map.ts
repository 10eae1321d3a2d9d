/**
 * The name → TypeScript line side table of an emitted module (`<top>.names.json`): for every wire
 * and stage register the printer declares, the IR op that produced it, its stage and the source
 * line. Place and route (sim/pnr/) maps the nets on a routed critical path back to TypeScript with
 * it, since synthesis keeps the emitted names as prefixes of its own net and cell names. Also names
 * the fixed control signals every module has (handshake, output skid buffer, kernel state) and each
 * kernel memory's signals (read data and forwarding at its get's line, the write port at the line
 * of the write record the step returns, which is the step function's).
 */
import type { Plan } from "./plan.js";
import { memSignal } from "./expr.js";

export interface NameEntry {
  /** Verilog identifier as emitted. */
  name: string;
  kind: "wire" | "reg" | "control";
  /** Stage whose logic computes it (a wire) or at whose end it is registered (a register); 0 for a
   *  kernel's configuration stage (logic of `cfg` alone, registered once: see `role`). */
  stage: number;
  op?: string;
  /** Source position (file as displayed, 1-based line) when the op has one. */
  file?: string;
  line?: number;
  /** For control signals: what they are. */
  role?: string;
}

export interface NameTableFile {
  module: string;
  entries: NameEntry[];
}

const CONTROL: Record<string, string> = {
  out_valid: "output register valid", out_data: "output register", skid_valid: "output skid buffer valid", skid_data: "output skid buffer",
  out_in_ready: "output ready flop", out_fire: "output handshake", out_open: "output handshake", skid_next: "output skid buffer",
  result: "result", step_result: "kernel step result", result_valid: "kernel step valid", state_q: "kernel state register", beat_in: "kernel input beat",
};

export function nameTable(plan: Plan): NameTableFile {
  const entries: NameEntry[] = [];
  const S = plan.sched.stages;
  const at = (n: { loc?: { file: string; line: number } }) => (n.loc ? { file: n.loc.file, line: n.loc.line } : {});
  for (const n of plan.fn.nodes) {
    const d = plan.wire.get(n.id);
    if (d) entries.push({ name: d.name, kind: "wire", stage: plan.sched.stage.get(n.id)!, op: n.op, ...at(n) });
    for (const [k, r] of plan.regs.get(n.id) ?? []) entries.push({ name: r.name, kind: "reg", stage: k, op: n.op, ...at(n) });
  }
  const cp = plan.config;
  for (const n of cp ? plan.fn.nodes : []) {
    const role = `configuration stage ${cp!.sched.stage.get(n.id)}`;
    const d = cp!.wire.get(n.id), r = cp!.reg.get(n.id);
    if (d) entries.push({ name: d.name, kind: "wire", stage: 0, op: n.op, ...at(n), role });
    if (r) entries.push({ name: r.name, kind: "reg", stage: 0, op: n.op, ...at(n), role });
  }
  for (let k = 1; k < S; k++) {
    entries.push({ name: plan.valid[k], kind: "control", stage: k, role: `stage ${k} valid` });
    entries.push({ name: plan.ready[k], kind: "control", stage: k, role: `stage ${k} ready register` });
    entries.push({ name: plan.validNext[k], kind: "control", stage: k, role: `stage ${k} handshake: next occupancy bit` });
  }
  // A wide kernel state is held in parts of 256 bits (emit.ts stateParts), state_q_0, state_q_1, …
  if (plan.kernel && plan.kernel.stateWidth > 256) for (let i = 0; i * 256 < plan.kernel.stateWidth; i++) entries.push({ name: `state_q_${i}`, kind: "control", stage: 1, role: "kernel state register" });
  // Each memory's signals (emit.ts): the read side is charged to the line of its get, the write side
  // to the line of the write record (the step function's); the RAM array and the clear are control.
  const mems = plan.kernel?.mems ?? [];
  for (const m of mems) {
    const p = memSignal(m.info.name), what = `memory ${m.info.name}`;
    const rd = m.read ? at(m.read) : {}, wr = m.write ? at(m.write) : {};
    entries.push({ name: `${p}_ram`, kind: "control", stage: 1, role: `${what} block RAM` });
    entries.push({ name: `${p}_init`, kind: "control", stage: 1, role: `${what} reset contents` });
    for (const x of ["q", "fwd_valid", "fwd_addr", "fwd_data"]) entries.push({ name: `${p}_${x}`, kind: "reg", stage: 1, op: "memread", ...rd, role: x === "q" ? `${what} read data` : `${what} forwarding register` });
    for (const x of ["we", "beat_we", "waddr", "wdata"]) entries.push({ name: `${p}_${x}`, kind: "wire", stage: 1, ...(m.write ? { op: m.write.op } : {}), ...wr, role: `${what} write port` });
  }
  if (mems.length) for (const name of ["mem_clear_busy", "mem_clear_addr"]) entries.push({ name, kind: "control", stage: 1, role: "memory clear after reset" });
  for (const [name, role] of Object.entries(CONTROL)) entries.push({ name, kind: "control", stage: name === "state_q" || name === "beat_in" ? 1 : S, role });
  return { module: plan.module, entries };
}
