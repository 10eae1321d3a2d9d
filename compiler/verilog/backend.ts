/**
 * The hardware backend in one call: legalise slow ops (wide multiplies, constant divisions) into
 * DSP-sized pieces, schedule for a clock, legalise names, print the Verilog, and build the
 * signature and report. Pure: the caller (cli/) reads the source to hash it and writes results.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Fn, KernelInfo } from "../ir/ir.js";
import { kernelHardware } from "./kernel-hw.js";
import { legaliseFn } from "../schedule/legalise.js";
import { scheduleFn, scheduleReport, verifySchedule, type Schedule, type ScheduleReport } from "../schedule/schedule.js";
import { emitVerilog } from "./emit.js";
import { sanitize } from "./names.js";
import { planModule } from "./plan.js";
import { nameTable, type NameTableFile } from "./source-map.js";
import { buildKernelSignature, buildSignature } from "./signature.js";

export interface BackendResult {
  diagnostics: Diagnostic[];
  schedule?: Schedule;
  module?: string;
  verilog?: string;
  signature?: ReturnType<typeof buildSignature>;
  report?: ScheduleReport & { top: string; module: string };
  /** Emitted name → op, stage and TypeScript line (see source-map.ts). */
  names?: NameTableFile;
}

export function generateHardware(source: Fn, o: { clockMhz: number; source: string; sourceHash: string }): BackendResult {
  const fn = legaliseFn(source);
  const { schedule, diagnostics } = scheduleFn(fn, o.clockMhz);
  if (diagnostics.length) return { diagnostics };
  const problems = verifySchedule(fn, schedule);
  if (problems.length) throw new Error(`internal: invalid schedule: ${problems.join("; ")}`);
  const module = sanitize(fn.name);
  const plan = planModule(fn, schedule, module);
  const verilog = emitVerilog(plan, { source: o.source, sourceHash: o.sourceHash });
  const signature = buildSignature(fn, { module, source: o.source, sourceHash: o.sourceHash, clockMhz: o.clockMhz, latencyCycles: schedule.stages });
  const report = { top: fn.name, module, ...scheduleReport(fn, schedule) };
  return { diagnostics: [], schedule, module, verilog, signature, report, names: nameTable(plan) };
}

/** The same for a streaming kernel: the state loop must fit one cycle (TSF4003 otherwise). */
export function generateKernelHardware(step: Fn, k: KernelInfo, o: { clockMhz: number; source: string; sourceHash: string }): BackendResult {
  const legal = legaliseFn(step);
  const kh = kernelHardware(legal, k, o.clockMhz);
  if (!kh.hw) return { diagnostics: kh.diagnostics };
  const fn = kh.hw.fn;
  const { schedule, diagnostics } = scheduleFn(fn, o.clockMhz);
  if (diagnostics.length) return { diagnostics };
  const problems = verifySchedule(fn, schedule);
  if (schedule.stage.get(kh.hw.stateNext.id)! > 1) problems.push("the next state is not computed in stage 1");
  if (problems.length) throw new Error(`internal: invalid kernel schedule: ${problems.join("; ")}`);
  const module = sanitize(k.name);
  const plan = planModule(fn, schedule, module, kh.hw);
  const verilog = emitVerilog(plan, { source: o.source, sourceHash: o.sourceHash });
  const signature = buildKernelSignature(k, kh.hw, { module, source: o.source, sourceHash: o.sourceHash, clockMhz: o.clockMhz, latencyCycles: schedule.stages });
  const report = { top: k.name, module, ...scheduleReport(fn, schedule) };
  return { diagnostics: [], schedule, module, verilog, signature: signature as ReturnType<typeof buildSignature>, report, names: nameTable(plan) };
}
