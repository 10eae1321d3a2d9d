/**
 * The Verilator execution of a streaming kernel over captured frames: the generated module is
 * built with the C++ harness (cached by content), every frame is driven as a burst of 64-bit beats
 * with tkeep/tlast and the configuration held on the `cfg` port, and each output record is
 * decoded from m_axis_tdata. Latency of a record is measured from the cycle its producing beat was
 * accepted (the beat that carried the message's last byte) to the cycle the record was valid.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KernelInfo } from "../compiler/ir/ir.js";
import { packValue, unpackValue } from "../compiler/ir/values.js";
import { irTypeOf } from "../compiler/frontend/dtypes.js";
import { jsonToValue, valueToJson } from "../compiler/interp/convert.js";
import { parseSignature } from "./signature.js";
import { buildHarnessDetailed, runHarness } from "./verilator.js";
import { frameToBeats, type KernelRun } from "./kernel-sim.js";

export interface RtlKernelResult extends KernelRun {
  latencyCycles: number[];
  inputReadyLowCycles: number;
  cycles: number;
  protocolErrors: number;
  hung: boolean;
  buildSeconds: number;
  cached: boolean;
}

export async function runKernelRtl(args: {
  k: KernelInfo; verilog: string; signature: unknown; frames: Uint8Array[]; cfg: unknown;
  beatOfRecord?: number[]; expectedRecords?: number; backpressure: number; bubbles: number; seed: number; tracePath?: string; workDir?: string;
  /** Idle cycles between frames (after each beat with tlast). */
  gapCycles?: number;
  /** Extra Verilator flags (tests pass -O0 to build faster). */
  buildFlags?: string[];
}): Promise<RtlKernelResult> {
  const { k } = args;
  const dir = args.workDir ?? join("build", "kernels");
  mkdirSync(dir, { recursive: true });
  const sig = parseSignature(args.signature, `${k.name}.signature.json`);
  const vpath = join(dir, `${sig.module}.v`);
  writeFileSync(vpath, args.verilog);
  const build = await buildHarnessDetailed(sig, [vpath], { trace: !!args.tracePath, extraFlags: args.buildFlags });
  const data: bigint[] = [], tkeep: bigint[] = [], tlast: boolean[] = [];
  for (const f of args.frames) for (const b of frameToBeats(f)) {
    let d = 0n;
    for (let i = 7; i >= 0; i--) d = (d << 8n) | BigInt(b.bytes[i]);
    data.push(d); tkeep.push(BigInt(b.keep)); tlast.push(b.last);
  }
  const config: Record<string, bigint> = {};
  if (k.cfg) config.cfg = packValue(jsonToValue(args.cfg, k.cfg, "config"), irTypeOf(k.cfg));
  const run = await runHarness(build.exe, data, {
    bubbles: args.bubbles, backpressure: args.backpressure, seed: args.seed, config, sideband: { tkeep, tlast },
    expectedOutputs: args.expectedRecords ?? -1, gapAfterLast: args.gapCycles ?? 0, tracePath: args.tracePath, maxIdleCycles: 100_000,
  });
  const outType = irTypeOf(k.out);
  const records = run.outputs.map((o) => valueToJson(unpackValue(o.data, outType), k.out));
  const latencyCycles = args.beatOfRecord
    ? run.outputs.map((o, i) => (args.beatOfRecord![i] !== undefined ? o.outputCycle - run.acceptCycles[args.beatOfRecord![i]] : NaN)).filter((x) => !Number.isNaN(x))
    : [];
  return {
    records, beatOfRecord: args.beatOfRecord ?? [], finalState: null, beats: data.length, wallSeconds: run.wallSeconds,
    latencyCycles, inputReadyLowCycles: run.inputReadyLowCycles, cycles: run.cycles, protocolErrors: run.protocolErrors, hung: run.hung,
    buildSeconds: build.seconds, cached: build.cached,
  };
}
