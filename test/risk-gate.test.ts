// The risk gate (examples/strategy/risk.ts) natively and in the interpreter against the independent
// reference gate (test/risk-reference.ts) on random limits and random intent streams (fast-check,
// fixed seeds): the same orders pass, the same counters, every rule decides some intents, and no
// passed order breaks a limit (checked from the passed orders alone). Also directed cases: the kill
// switch latched after killAfter rejects, the throttle's window edge, a notional at 2^64 − 1, and
// fully random field values (any u32/u64) through both engines.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { intentsArb, limitsArb, riskCompiled, runRisk } from "./risk-gate-run.js";
import { REASONS, type Intent, type Limits, type Reason } from "./risk-reference.js";
import { valueArb } from "./helpers/arbitraries.js";
import { valueToJs } from "../compiler/interp/convert.js";

const tally = (into: Map<string, number>, from: Map<Reason | "pass", number>) => { for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v); };

async function expectAgrees(limits: Limits, intents: Intent[]) {
  const r = await runRisk(limits, intents);
  expect(r.stream.firstMismatch).toBeUndefined();
  expect(r.orderDiffs).toEqual([]);
  expect(r.counterDiffs).toEqual([]);
  expect(r.violations).toEqual([]);
  return r;
}

describe("the risk gate: native = interpreter = reference, and no passed order breaks a limit", () => {
  riskCompiled();

  it("random limits and intents (fixed seed); every rule rejects some intents and some pass", async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(limitsArb, intentsArb(50, 250), async (limits, intents) => {
        const r = await expectAgrees(limits, intents);
        tally(seen, r.reasons);
      }),
      { seed: 20261201, numRuns: 120, endOnFailure: true },
    );
    console.log(`risk-gate: decisions over 120 runs: ${JSON.stringify(Object.fromEntries(seen))}`);
    for (const k of ["pass", ...REASONS]) expect(seen.get(k) ?? 0, k).toBeGreaterThan(20);
  });

  it("fully random field values (every intent and limit field over its whole range)", async () => {
    const k = riskCompiled().kernel!;
    const limitsAny = valueArb(k.cfg!).map((v) => valueToJs(v, k.cfg!) as Limits);
    const intentAny = valueArb(k.input).map((v) => valueToJs(v, k.input) as Intent);
    await fc.assert(
      fc.asyncProperty(limitsAny, fc.array(intentAny, { minLength: 1, maxLength: 60 }), async (limits, raw) => {
        // Unique sequence numbers (the invariant check finds each passed order's intent by it).
        const intents = raw.map((i, n) => ({ ...i, sequence: BigInt(n) }));
        await expectAgrees(limits, intents);
      }),
      { seed: 7, numRuns: 60, endOnFailure: true },
    );
  });

  const base: Limits = { maxShares: 1000, maxNotional: 1n << 40n, collar: 100, maxPosition: 10_000, maxExposure: 1n << 50n, throttleOrders: 16, throttleWindow: 0n, kill: false, killAfter: 0 };
  const order = (n: number, o: Partial<Intent> = {}): Intent => ({
    locate: 100, slot: 0, symbol: 0x5445_5354_2020_2020n, buy: true, shares: 10, price: 1_000_100, timeInForce: 0x33, bestBid: 1_000_000, bestAsk: 1_000_100, timestamp: 1_000_000n + BigInt(n), sequence: BigInt(n + 1), ...o,
  });

  it("killAfter 3: the third limit reject latches the kill switch; every later intent is rejected as killed", async () => {
    const intents = [order(0), order(1, { shares: 0 }), order(2), order(3, { shares: 5000 }), order(4, { price: 2_000_000 }), order(5), order(6)];
    const r = await expectAgrees({ ...base, killAfter: 3 }, intents);
    expect(Object.fromEntries(r.reasons)).toEqual({ pass: 2, quantity: 2, collar: 1, killed: 2 });
    expect((r.stream.finalState as { stats: { killed: boolean } }).stats.killed).toBe(true);
  });

  it("the throttle: 3 orders per 1000 ns pass at t, t, t and again at t+1000, not at t+999", async () => {
    const at = (t: number, n: number) => order(n, { timestamp: 5_000_000n + BigInt(t) });
    const intents = [at(0, 0), at(0, 1), at(0, 2), at(0, 3), at(999, 4), at(1000, 5), at(1000, 6), at(1000, 7), at(1000, 8), at(1999, 9), at(2000, 10)];
    const r = await expectAgrees({ ...base, throttleOrders: 3, throttleWindow: 1000n }, intents);
    expect(Object.fromEntries(r.reasons)).toEqual({ pass: 7, throttle: 4 });
  });

  it("notional at full width: (2^32 − 1)² against maxNotional 2^64 − 1 and one below it", async () => {
    const big = order(0, { shares: 0xffff_ffff, price: 0xffff_ffff, bestAsk: 0xffff_ffff });
    const l = { ...base, maxShares: 0xffff_ffff, maxPosition: 0xffff_ffff, maxExposure: (1n << 64n) - 1n };
    const pass = await expectAgrees({ ...l, maxNotional: (1n << 64n) - 1n }, [big]);
    expect(Object.fromEntries(pass.reasons)).toEqual({ pass: 1 });
    const reject = await expectAgrees({ ...l, maxNotional: 0xffff_ffffn * 0xffff_ffffn - 1n }, [big]);
    expect(Object.fromEntries(reject.reasons)).toEqual({ notional: 1 });
  });

  it("positions per slot: buys and sells net out; a sell past −maxPosition is rejected", async () => {
    const sell = (n: number, shares: number, slot = 0) => order(n, { buy: false, shares, price: 1_000_000, slot, locate: 100 + slot });
    const intents = [order(0, { shares: 900 }), sell(1, 1000), sell(2, 1000), sell(3, 1000, 1), order(4, { shares: 1000, slot: 1, locate: 101 }), sell(5, 200), sell(6, 800)];
    const r = await expectAgrees({ ...base, maxPosition: 1000 }, intents);
    expect(Object.fromEntries(r.reasons)).toEqual({ pass: 5, position: 2 });
  });
});
