/**
 * Runs the tick-to-order pipeline (examples/strategy/strategy.ts, `tickToOrder`: feed → book →
 * strategy → risk) on a capture in the chosen engines, every kernel boundary compared record by
 * record by sim/kernel-run.ts, with the configuration built by examples/strategy/setup.ts from one
 * description. The strategy's intents also go to the reference risk gate (test/risk-reference.ts):
 * the orders it passes must be the dialect gate's, and those orders must break no limit. The watched
 * symbols are the capture's stock directory (R messages), tickers included.
 */
import { compilePipeline, type PipelineStage } from "../compiler/driver.js";
import { generatePipelineHardware, cfgPortName } from "../compiler/verilog/pipeline-hw.js";
import type { KernelInfo } from "../compiler/ir/ir.js";
import { frameToBeats, interpPipelineStepper, nativePipelineStepper, type KernelStepper } from "../sim/kernel-sim.js";
import { startKernelRtl } from "../sim/kernel-rtl.js";
import { runKernelStream, type RtlTap, type StreamRunResult } from "../sim/kernel-run.js";
import { readCaptureFile } from "../sim/pcap/read.js";
import { parseUdpFrame } from "../sim/pcap/frame.js";
import { decodeMoldPacket } from "../sim/itch/moldudp64.js";
import { jsonToValue } from "../compiler/interp/convert.js";
import { packValue } from "../compiler/ir/values.js";
import { irTypeOf } from "../compiler/frontend/dtypes.js";
import { tickToOrderConfig, type TickToOrderSetup, type Watched } from "../examples/strategy/setup.js";
import { ReferenceRiskGate, limitViolations, type Intent, type Reason } from "./risk-reference.js";
import { FEED_CFG } from "./reference-book/run-book.js";
import { ReferenceStrategy, type Update } from "./strategy-reference.js";

export const STRATEGY_FILE = "examples/strategy/strategy.ts";

/** The stock directory (ITCH R messages) of a capture: locate and ticker, in the order they appear, each once. */
export function stockDirectory(path: string): Watched[] {
  const seen = new Map<number, string>();
  for (const f of readCaptureFile(path)) {
    const p = parseUdpFrame(f.data);
    const d = p.ok ? decodeMoldPacket(p.payload) : undefined;
    if (!d?.ok) continue;
    for (const m of d.packet.messages) {
      if (m[0] !== 0x52 || m.length < 19) continue; // 'R': locate at 1, stock at 11…18
      const locate = (m[1]! << 8) | m[2]!;
      if (!seen.has(locate)) seen.set(locate, String.fromCharCode(...m.subarray(11, 19)).trimEnd());
    }
  }
  return [...seen].map(([locate, symbol]) => ({ locate, symbol }));
}

let compiled: PipelineStage[] | undefined;
export function tickToOrderStages(): PipelineStage[] {
  if (compiled) return compiled;
  const p = compilePipeline(STRATEGY_FILE, "tickToOrder");
  if (p.diagnostics.length || !p.stages) throw new Error(`tickToOrder: ${JSON.stringify(p.diagnostics).slice(0, 500)}`);
  return (compiled = p.stages);
}

export interface TickToOrderRun {
  stream: StreamRunResult;
  /** The reference gate's decisions on the strategy's intents. */
  reasons: Map<Reason | "pass", number>;
  /** Intents where the reference strategy (test/strategy-reference.ts) and the dialect strategy differ, on the book's updates (the first few). */
  intentDiffs: string[];
  /** Passed orders where the reference gate and the dialect gate differ (the first few). */
  orderDiffs: string[];
  violations: string[];
  /** Each kernel's stats from the reference engine's final state. */
  stats: Record<string, Record<string, unknown>>;
}

/** Runs `frames` through tickToOrder natively, in the interpreter when `interp`, and the top module in Verilator when `rtl`. */
export async function runTickToOrder(frames: Uint8Array[], setup: TickToOrderSetup, o: { interp: boolean; rtl?: { backpressure: number; bubbles: number; seed: number; clockMhz: number; buildFlags?: string[] } }): Promise<TickToOrderRun> {
  const stages = tickToOrderStages();
  const c = tickToOrderConfig(setup);
  const cfgs = [FEED_CFG, c.book, c.strategy, c.risk];
  const gate = new ReferenceRiskGate(setup.limits);
  const reasons = new Map<Reason | "pass", number>();
  const want: string[] = [], got: string[] = [], passed: Intent[] = [];
  const intents = new Map<string, Intent>();
  const strategy = new ReferenceStrategy(setup.watch, setup.strategy);
  const intentDiffs: string[] = [];
  const j = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  const inner = await nativePipelineStepper(STRATEGY_FILE, "tickToOrder", stages, cfgs);
  const native: KernelStepper & { taps: unknown[] } = {
    taps: inner.taps,
    step(b) {
      const out = inner.step(b);
      const update = inner.taps[1] as Record<string, unknown> | undefined;
      const intent = inner.taps[2] as Record<string, unknown> | undefined;
      if (update) {
        const want = strategy.onUpdate({ ...update, timestamp: BigInt(update.timestamp as string), sequence: BigInt(update.sequence as string) } as unknown as Update);
        if (j(want) !== j(intent) && intentDiffs.length < 5) intentDiffs.push(`update ${j(update)}: reference ${j(want)}, strategy ${j(intent)}`);
      }
      if (intent) {
        const i = { ...intent, symbol: BigInt(intent.symbol as string), timestamp: BigInt(intent.timestamp as string), sequence: BigInt(intent.sequence as string) } as unknown as Intent;
        intents.set(String(i.sequence), i);
        const d = gate.decide(i);
        reasons.set(d, (reasons.get(d) ?? 0) + 1);
        if (d === "pass") want.push(String(i.sequence));
      }
      const order = inner.taps[3] as { sequence: string } | undefined;
      if (order) { got.push(order.sequence); passed.push(intents.get(order.sequence)!); }
      return out;
    },
    state: () => inner.state(),
  };
  const steppers: { name: string; stepper: KernelStepper & { taps?: unknown[] } }[] = [{ name: "native", stepper: native }];
  if (o.interp) steppers.push({ name: "interp", stepper: interpPipelineStepper(stages, cfgs) });
  const rtls: RtlTap[] = [];
  let stop = () => {};
  try {
    if (o.rtl) {
      const hw = generatePipelineHardware("tickToOrder", stages, { clockMhz: o.rtl.clockMhz, source: STRATEGY_FILE, sourceHash: "test" });
      if (hw.diagnostics.length) throw new Error(`tickToOrder at ${o.rtl.clockMhz} MHz: ${JSON.stringify(hw.diagnostics).slice(0, 500)}`);
      const cfgPorts: Record<string, bigint> = {};
      cfgs.forEach((cfg, i) => { const k = stages[i]!.kernel; if (k.cfg) cfgPorts[cfgPortName(stages[i]!.name)] = packValue(jsonToValue(cfg, k.cfg, "cfg"), irTypeOf(k.cfg)); });
      const last = stages[stages.length - 1]!.kernel;
      const topK: KernelInfo = { ...stages[0]!.kernel, name: "tickToOrder", out: last.out, cfg: undefined, readable: [] };
      let cb: (rec: unknown, lat: number | null) => void = () => {};
      const stream = await startKernelRtl({ k: topK, verilog: hw.verilog!, signature: hw.signature, cfg: undefined, cfgPorts, gapCycles: 3, backpressure: o.rtl.backpressure, bubbles: o.rtl.bubbles, seed: o.rtl.seed, workDir: "build/test-tick-to-order", buildFlags: o.rtl.buildFlags, onRecord: (r, l) => cb(r, l) });
      stop = () => stream.kill();
      rtls.push({ label: "tickToOrder", stream, attach: (f) => { cb = f; }, from: -1, to: stages.length - 1 });
    }
    const stream = await runKernelStream({ frames: frames.map((f) => frameToBeats(f)), steppers, rtls, stages: stages.map((s) => s.name) });
    const orderDiffs: string[] = [];
    for (let n = 0; n < Math.max(want.length, got.length) && orderDiffs.length < 5; n++) if (want[n] !== got[n]) orderDiffs.push(`order ${n}: reference passes sequence ${want[n]}, gate ${got[n]}`);
    const state = stream.finalState as Record<string, Record<string, unknown>>;
    const stats = Object.fromEntries(stages.map((s) => [s.name, state[s.name]?.stats as Record<string, unknown>]));
    return { stream, reasons, intentDiffs, orderDiffs, violations: limitViolations(setup.limits, passed), stats };
  } finally {
    stop();
  }
}
