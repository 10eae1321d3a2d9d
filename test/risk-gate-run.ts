/**
 * Drives the dialect risk gate (examples/strategy/risk.ts, kernel `risk`) for the risk tests: random
 * limits and intent streams (fast-check) shaped so that every rule decides some intents, the gate
 * compiled once, and one run of a stream natively and in the interpreter (and, when asked, its own
 * Verilator module under stalls, compared record by record by sim/kernel-run.ts) checked against the
 * reference gate (test/risk-reference.ts): the same orders pass, the same counters (the RTL's
 * `state_stats` included), and no passed order breaks a limit.
 */
import fc from "fast-check";
import { compileKernel, type KernelResult } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { interpKernelStepper, nativeKernelStepper, type KernelStepper } from "../sim/kernel-sim.js";
import { startKernelRtl } from "../sim/kernel-rtl.js";
import { runKernelStream, type RtlTap, type StreamRunResult } from "../sim/kernel-run.js";
import { jsToJson } from "../compiler/interp/convert.js";
import { ReferenceRiskGate, limitViolations, type Intent, type Limits, type Reason } from "./risk-reference.js";

export const RISK_FILE = "examples/strategy/risk.ts";
export const RTL_DIR = "build/test-risk";

let compiled: KernelResult | undefined;
export function riskCompiled(): KernelResult {
  if (compiled) return compiled;
  compiled = compileKernel(RISK_FILE, "risk");
  if (compiled.diagnostics.length || !compiled.kernel) throw new Error(`risk: ${JSON.stringify(compiled.diagnostics)}`);
  return compiled;
}

/** The gate's hardware at `clockMhz` (its cycle behaviour, compared here, does not depend on the clock beyond the schedule). */
let hw: ReturnType<typeof generateKernelHardware> | undefined;
export function riskHardware(clockMhz = 100) {
  if (hw) return hw;
  const k = riskCompiled();
  hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz, source: RISK_FILE, sourceHash: "test" });
  if (hw.diagnostics.length) throw new Error(`risk at ${clockMhz} MHz: ${JSON.stringify(hw.diagnostics).slice(0, 500)}`);
  return hw;
}

const BIG = 0xffff_ffff;
const MID = 1_000_000; // $100.0000
// Each value is drawn from a range, from a few round values the intents below also use (so a limit is
// met exactly, the edge of every rule), or from the type's extremes.
const pick = <T>(range: fc.Arbitrary<T>, round: T[], extremes: T[]) =>
  fc.oneof({ weight: 4, arbitrary: range }, { weight: 4, arbitrary: fc.constantFrom(...round) }, { weight: 1, arbitrary: fc.constantFrom(...extremes) });

/** Limits: mostly in the range of the intents below (so each binds now and then), sometimes zero or the maximum. */
export const limitsArb: fc.Arbitrary<Limits> = fc.record({
  maxShares: pick(fc.integer({ min: 1, max: 2000 }), [100, 500, 1000], [0, BIG]),
  maxNotional: pick(fc.bigInt({ min: 100_000_000n, max: 2_000_000_000n }), [BigInt(MID) * 500n, BigInt(MID) * 1000n], [0n, (1n << 64n) - 1n]),
  collar: pick(fc.integer({ min: 0, max: 3000 }), [0, 1, 100, 1000], [BIG]),
  maxPosition: pick(fc.integer({ min: 100, max: 8000 }), [1000, 2000, 5000], [0, BIG]),
  maxExposure: pick(fc.bigInt({ min: 500_000_000n, max: 10_000_000_000n }), [BigInt(MID) * 2000n, BigInt(MID) * 5000n], [0n, (1n << 64n) - 1n]),
  throttleOrders: pick(fc.integer({ min: 1, max: 16 }), [1, 2, 4, 16], [0, 17, BIG]),
  throttleWindow: pick(fc.bigInt({ min: 1n, max: 200_000n }), [1000n, 5000n], [0n, (1n << 48n) - 1n]),
  kill: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  killAfter: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 300 }) }),
});

/** One intent, its timestamp a gap after the previous one's (made absolute by intentsArb). */
const stepArb = fc.record({
  slot: fc.integer({ min: 0, max: 3 }),
  buy: fc.boolean(),
  shares: pick(fc.integer({ min: 1, max: 1500 }), [100, 500, 1000], [0, BIG]),
  // The price: the far side's best plus this offset (a buy) or minus it (a sell); "mid" is $100 exactly.
  offset: pick(fc.integer({ min: -4000, max: 4000 }), [-1001, -1000, -999, -101, -100, -99, -1, 0, 1, 2, 99, 100, 101, 999, 1000, 1001], [-1_000_000]),
  atMid: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  spread: fc.integer({ min: 1, max: 500 }),
  bidEmpty: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  askEmpty: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  extremePrice: fc.oneof({ weight: 30, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, BIG) }),
  gap: pick(fc.integer({ min: 0, max: 20_000 }), [0, 1, 250, 999, 1000], [0]),
  tif: fc.constantFrom(0x33, 0x30),
});

/** A stream of intents on slots 0…3 (locates 100…103) with non-decreasing ITCH timestamps, starting at `t0`. */
export function intentsArb(min: number, max: number, t0 = 34_200_000_000_000n): fc.Arbitrary<Intent[]> {
  return fc.array(stepArb, { minLength: min, maxLength: max }).map((steps) => {
    let t = t0;
    return steps.map((s, i) => {
      t += BigInt(s.gap);
      const bestBid = s.bidEmpty ? 0 : MID - s.spread;
      const bestAsk = s.askEmpty ? 0 : MID + s.spread;
      const far = s.buy ? MID + s.spread : MID - s.spread;
      const price = s.extremePrice >= 0 ? s.extremePrice : s.atMid ? MID : Math.max(0, s.buy ? far + s.offset : far - s.offset);
      return {
        locate: 100 + s.slot, slot: s.slot, symbol: 0x5445_5354_2020_2020n + BigInt(s.slot), buy: s.buy, shares: s.shares, price,
        timeInForce: s.tif, bestBid, bestAsk, timestamp: t, sequence: BigInt(i + 1),
      };
    });
  });
}

/** The limits as the kernel's --config JSON (bigints as decimal strings). */
export const limitsJson = (l: Limits) => jsToJson(l);

const reqJson = (i: Intent) => JSON.stringify(jsToJson({ locate: i.locate, slot: i.slot, symbol: i.symbol, buy: i.buy, shares: i.shares, price: i.price, timeInForce: i.timeInForce, timestamp: i.timestamp, sequence: i.sequence }));

export interface RiskRun {
  /** Differences between the engines' passed orders and the reference's (the first few), and of the counters. */
  orderDiffs: string[];
  counterDiffs: string[];
  /** Violations of a limit among the orders the gate passed (must be none). */
  violations: string[];
  reasons: Map<Reason | "pass", number>;
  stream: StreamRunResult;
}

/** Runs `intents` under `limits` in native, the interpreter and (with `rtl`) Verilator, against the reference. */
export async function runRisk(limits: Limits, intents: Intent[], rtl?: { backpressure: number; bubbles: number; seed: number; buildFlags?: string[] }): Promise<RiskRun> {
  const k = riskCompiled();
  const cfg = limitsJson(limits);
  const ref = new ReferenceRiskGate(limits);
  const reasons = new Map<Reason | "pass", number>();
  const want: string[] = [], got: string[] = [], passed: Intent[] = [];
  const bySequence = new Map(intents.map((i) => [String(i.sequence), i]));
  const inner = await nativeKernelStepper(RISK_FILE, k.kernel!, cfg);
  const native: KernelStepper = {
    step(b) {
      const i = b as Intent;
      const d = ref.decide(i);
      reasons.set(d, (reasons.get(d) ?? 0) + 1);
      if (d === "pass") want.push(reqJson(i));
      const out = inner.step(b);
      // The gate's own passed orders (by their unique sequence number, with the intent's best bid and offer) go to the invariant check.
      if (out !== undefined) { got.push(JSON.stringify(out)); passed.push(bySequence.get(String((out as { sequence: unknown }).sequence))!); }
      return out;
    },
    state: () => inner.state(),
  };
  const steppers = [{ name: "native", stepper: native }, { name: "interp", stepper: interpKernelStepper(k.pkg!, k.fn!, k.kernel!, cfg) }];
  const rtls: RtlTap[] = [];
  let stop = () => {};
  try {
    if (rtl) {
      const h = riskHardware();
      let cb: (rec: unknown, lat: number | null) => void = () => {};
      const stream = await startKernelRtl({ k: k.kernel!, verilog: h.verilog!, signature: h.signature, cfg, gapCycles: 0, backpressure: rtl.backpressure, bubbles: rtl.bubbles, seed: rtl.seed, workDir: RTL_DIR, buildFlags: rtl.buildFlags, onRecord: (r, l) => cb(r, l) });
      stop = () => stream.kill();
      rtls.push({ label: "risk", stream, attach: (f) => { cb = f; }, from: -1, to: 0 });
    }
    const groups = (function* () { for (let i = 0; i < intents.length; i += 64) yield intents.slice(i, i + 64) as unknown[]; })();
    const stream = await runKernelStream({ frames: groups, steppers, rtls, stages: ["risk"] });
    const orderDiffs: string[] = [];
    for (let n = 0; n < Math.max(want.length, got.length) && orderDiffs.length < 5; n++) if (want[n] !== got[n]) orderDiffs.push(`order ${n}: reference ${want[n]}, gate ${got[n]}`);
    const expected = ref.counters();
    const counterDiffs: string[] = [];
    const compare = (label: string, stats: Record<string, unknown> | undefined) => {
      if (!stats) { counterDiffs.push(`${label}: nothing read`); return; }
      for (const key of Object.keys(expected)) if (stats[key] !== expected[key]) counterDiffs.push(`${label}.${key}: reference ${expected[key]}, gate ${String(stats[key])}`);
    };
    compare("native stats", (stream.finalState as Record<string, Record<string, unknown>>).stats);
    for (const t of stream.rtls) compare(`verilator state_stats`, (t.summary.readable as Record<string, Record<string, unknown>>).stats);
    return { orderDiffs, counterDiffs, violations: limitViolations(limits, passed), reasons, stream };
  } finally {
    stop();
  }
}
