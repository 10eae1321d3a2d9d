/**
 * The hardware backend in one call: legalise slow ops (wide multiplies, constant divisions) into
 * DSP-sized pieces, split carry chains longer than a cycle (split-carry.ts), schedule for a clock,
 * legalise names, print the Verilog, and build the signature and report. Pure: the caller (cli/) reads the source to hash it and writes results.
 */
import { makeDiagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Fn, KernelInfo, Node } from "../ir/ir.js";
import { kernelHardware, kernelPorts } from "./kernel-hw.js";
import { configSchedule } from "./config-stage.js";
import { legaliseFn } from "../schedule/legalise.js";
import { portBits, REGISTER_MARGIN_NS, withPortBits } from "../schedule/delay-model.js";
import { splitCarries } from "../schedule/split-carry.js";
import { scheduleFn, scheduleReport, verifySchedule, type Schedule, type ScheduleReport } from "../schedule/schedule.js";
import { emitVerilog } from "./emit.js";
import { sanitize } from "./names.js";
import { planModule } from "./plan.js";
import { nameTable, type NameTableFile } from "./source-map.js";
import { buildKernelSignature, buildSignature, memClearCycles } from "./signature.js";

export interface BackendResult {
  diagnostics: Diagnostic[];
  schedule?: Schedule;
  module?: string;
  verilog?: string;
  signature?: ReturnType<typeof buildSignature>;
  report?: ScheduleReport & { top: string; module: string; kernel?: KernelReport };
  /** Emitted name → op, stage and TypeScript line (see source-map.ts). */
  names?: NameTableFile;
}

/** Kernel figures in <top>.report.json (docs/backend.md, "Streaming kernels"). */
export interface KernelReport {
  /** Stages ahead of the state loop that compute beat- and configuration-only logic: the added input latency in cycles. */
  inputStages: number;
  /** The stage that reads the state register and computes the next state (inputStages + 1). */
  loopStage: number;
  /** Stages from the loop stage to the first stage of the record logic that reads the state (kernel option outputStages; 0: the record may complete in the loop stage). */
  outputStages: number;
  /** Estimated delay of the state-dependent part of the state update (ns): the loop's critical path. */
  stateLoopNs: number;
  /** The block RAMs of the state's Mem fields (name = field path, depth = entries, reads/writes per step: 0 or 1). */
  memories: { name: string; depth: number; addrWidth: number; reads: number; writes: number }[];
  /** Cycles after reset in which the memories are cleared and s_axis_tready is low (0 without memories). */
  clearCycles: number;
  /** Configuration stages (logic of `cfg` alone, registered once): a change of `cfg` takes effect this many cycles later; 0 when the kernel has no configuration. */
  configStages: number;
}

export function generateHardware(source: Fn, o: { clockMhz: number; source: string; sourceHash: string }): BackendResult {
  // The register margin grows with the design's port bits under a target model (its routing term).
  return withPortBits(portBits(source), () => functionHardware(source, o));
}

function functionHardware(source: Fn, o: { clockMhz: number; source: string; sourceHash: string }): BackendResult {
  // A kernel step with memories has no meaning as a function of its own: its memory is the kernel's.
  if (source.nodes.some((n) => n.op === "memread") || (source.ret.type.k === "record" && source.ret.type.fields.some((f) => f.name.startsWith("mem:"))))
    return { diagnostics: [makeDiagnostic("memUse", [`compiling '${source.name}', a kernel step that uses memories, as a function (compile its kernel instead)`], source.loc ?? { file: source.name, line: 1, col: 1 })] };
  const fn = splitCarries(legaliseFn(source), 1000 / o.clockMhz - REGISTER_MARGIN_NS).fn;
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

/**
 * The nodes that read the state (directly or not) but that neither the next state nor a memory
 * access needs: the output side of the step, which may start after the loop stage.
 */
function outputOnlyStateNodes(fn: Fn, stateSources: Node[], loopRoots: Node[]): Node[] {
  const loop = new Set<number>();
  const stack = [...loopRoots];
  while (stack.length) {
    const n = stack.pop()!;
    if (loop.has(n.id)) continue;
    loop.add(n.id);
    stack.push(...n.operands);
  }
  const dependent = new Set(stateSources.map((n) => n.id));
  for (const n of fn.nodes) if (n.operands.some((x) => dependent.has(x.id))) dependent.add(n.id);
  return fn.nodes.filter((n) => dependent.has(n.id) && !loop.has(n.id) && n.op !== "param");
}

/**
 * The bits of a kernel module's ports, what the delay model's stage floor grows with: the input
 * (beat or record), the configuration, the output record with its valid bit and the readable state
 * ports. The rest of the state is a register inside the module, not a port bus.
 */
export function kernelPortBits(hw: { beatWidth: number; cfgWidth: number; outWidth: number; readable: { width: number }[] }): number {
  return hw.beatWidth + hw.cfgWidth + hw.outWidth + 1 + hw.readable.reduce((a, r) => a + r.width, 0);
}

/**
 * The same for a streaming kernel: the state loop must fit one cycle (TSF4003 otherwise). Logic
 * that only reads the beat and the configuration goes into input stages ahead of the loop; the
 * fewest input stages with which the next state settles in the loop stage are used, so a kernel
 * whose whole update already fits one cycle keeps its latency.
 */
export function generateKernelHardware(step: Fn, k: KernelInfo, o: KernelOptions): BackendResult {
  return withPortBits(kernelPortBits(kernelPorts(step, k)), () => kernelModule(step, k, o));
}

interface KernelOptions { clockMhz: number; source: string; sourceHash: string; outputStages?: number; /** false: compute configuration-only logic per beat in the pipeline, as before configuration stages (for comparison) */ configStage?: boolean }

function kernelModule(step: Fn, k: KernelInfo, o: KernelOptions): BackendResult {
  const legal = legaliseFn(step);
  const kh = kernelHardware(legal, k, o.clockMhz);
  if (!kh.hw) return { diagnostics: kh.diagnostics };
  // Wide carries outside the state loop (which kernelHardware has checked) may be split.
  const split = splitCarries(kh.hw.fn, 1000 / o.clockMhz - REGISTER_MARGIN_NS);
  const fn = split.fn;
  const mems = kh.hw.mems.map((m) => ({ ...m, read: m.read && split.map.get(m.read.id), write: m.write && split.map.get(m.write.id) }));
  // Logic of the configuration alone is computed once, in configuration stages, and registered.
  const config = configSchedule(fn, o.configStage === false ? undefined : fn.params[2], 1000 / o.clockMhz - REGISTER_MARGIN_NS);
  kh.hw = { ...kh.hw, fn, stateNext: split.map.get(kh.hw.stateNext.id)!, mems, config };
  const stateParam = fn.params[0];
  const reads = mems.flatMap((m) => (m.read ? [m.read] : []));
  const writes = mems.flatMap((m) => (m.write ? [m.write] : []));
  // With outputStages > 0, the record logic that reads the state but does not feed the next state
  // (a feed handler's record decode) starts that many stages after the loop stage.
  const outputStages = o.outputStages ?? k.outputStages ?? 0;
  const outOnly = outputStages ? outputOnlyStateNodes(fn, [stateParam, ...reads], [kh.hw.stateNext, ...writes, ...reads]) : [];
  let found: { schedule: Schedule; loop: number } | undefined;
  // A memory read is issued (its address registered into the RAM) in the stage before the loop.
  for (let loop = reads.length ? 2 : 1; !found; loop++) {
    const earliest = new Map([[stateParam.id, loop], ...reads.map((r) => [r.id, loop] as [number, number]), ...outOnly.map((n) => [n.id, loop + outputStages] as [number, number])]);
    const { schedule, diagnostics } = scheduleFn(fn, o.clockMhz, earliest, config.nodes, kernelPortBits(kh.hw));
    if (diagnostics.length) return { diagnostics };
    const st = (n: Node) => schedule.stage.get(n.id)!;
    if (st(kh.hw.stateNext) <= loop && writes.every((w) => st(w) <= loop) && reads.every((r) => st(r.operands[0]) < loop && st(r) === loop)) found = { schedule, loop };
    // Beat-only logic is placed the same way for every `loop`; past its last stage the loop
    // stage reads only registers and the state-dependent part, which kernelHardware checked.
    else if (loop > schedule.stages) throw new Error("internal: the kernel's state update does not settle in its loop stage");
  }
  const { schedule, loop } = found;
  const hw = { ...kh.hw, loopStage: loop };
  const problems = verifySchedule(fn, schedule);
  if (schedule.stage.get(hw.stateNext.id)! > loop) problems.push(`the next state is not computed in stage ${loop}`);
  if (problems.length) throw new Error(`internal: invalid kernel schedule: ${problems.join("; ")}`);
  const module = sanitize(k.name);
  const plan = planModule(fn, schedule, module, hw);
  const verilog = emitVerilog(plan, { source: o.source, sourceHash: o.sourceHash });
  const signature = buildKernelSignature(k, hw, { module, source: o.source, sourceHash: o.sourceHash, clockMhz: o.clockMhz, latencyCycles: schedule.stages });
  const memories = hw.mems.filter((m) => m.read).map((m) => ({ name: m.info.name, depth: m.info.n, addrWidth: m.info.addrWidth, reads: m.read ? 1 : 0, writes: m.write ? 1 : 0 }));
  const kernel = { inputStages: loop - 1, loopStage: loop, outputStages, stateLoopNs: Math.round(hw.stateLoopNs * 1000) / 1000, memories, clearCycles: memClearCycles(hw), configStages: config.stages };
  const report = { top: k.name, module, ...scheduleReport(fn, schedule), kernel };
  return { diagnostics: [], schedule, module, verilog, signature: signature as ReturnType<typeof buildSignature>, report, names: nameTable(plan) };
}
