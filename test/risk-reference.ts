/**
 * An independent reference risk gate in plain TypeScript, written from docs/strategy.md ("The risk
 * gate") and not from the dialect kernel: limits and intents as plain objects (bigints for 64-bit and
 * 48-bit fields), positions and exposures in Maps keyed by watchlist slot, every passed order's
 * timestamp in an array, the decision as the name of the first rule that fails. Also the direct
 * checks of the invariant "no passed order breaks a limit", computed from the passed orders alone.
 */

export interface Limits {
  maxShares: number; maxNotional: bigint; collar: number; maxPosition: number; maxExposure: bigint;
  throttleOrders: number; throttleWindow: bigint; kill: boolean; killAfter: number;
}

export interface Intent {
  locate: number; slot: number; symbol: bigint; buy: boolean; shares: number; price: number; timeInForce: number;
  bestBid: number; bestAsk: number; timestamp: bigint; sequence: bigint;
}

export const REASONS = ["killed", "quantity", "notional", "collar", "position", "exposure", "throttle"] as const;
export type Reason = (typeof REASONS)[number];

/** The counter names of the dialect gate's `stats`, per reason. */
export const COUNTER_OF: Record<Reason, string> = {
  killed: "rejKilled", quantity: "rejQuantity", notional: "rejNotional", collar: "rejCollar",
  position: "rejPosition", exposure: "rejExposure", throttle: "rejThrottle",
};

export class ReferenceRiskGate {
  readonly position = new Map<number, bigint>();
  readonly exposure = new Map<number, bigint>();
  readonly passedAt: bigint[] = [];
  readonly rejects = new Map<Reason, number>();
  intents = 0;
  passed = 0;
  limitRejects = 0;
  latched = false;

  constructor(readonly limits: Limits) {}

  /** The reason the intent is rejected, or "pass" (and the gate's books change). */
  decide(i: Intent): Reason | "pass" {
    const L = this.limits;
    this.intents++;
    const reason = this.firstFailure(i);
    if (reason === "pass") {
      this.passed++;
      this.position.set(i.slot, this.positionAfter(i));
      this.exposure.set(i.slot, this.exposureAfter(i));
      this.passedAt.push(i.timestamp);
      return reason;
    }
    this.rejects.set(reason, (this.rejects.get(reason) ?? 0) + 1);
    if (reason !== "killed") {
      this.limitRejects++;
      if (L.killAfter > 0 && this.limitRejects >= L.killAfter) this.latched = true;
    }
    return reason;
  }

  private positionAfter(i: Intent): bigint {
    return (this.position.get(i.slot) ?? 0n) + (i.buy ? 1n : -1n) * BigInt(i.shares);
  }
  private exposureAfter(i: Intent): bigint {
    return (this.exposure.get(i.slot) ?? 0n) + BigInt(i.price) * BigInt(i.shares);
  }

  private firstFailure(i: Intent): Reason | "pass" {
    const L = this.limits;
    if (L.kill || this.latched) return "killed";
    if (i.shares < 1 || i.shares > L.maxShares) return "quantity";
    if (BigInt(i.price) * BigInt(i.shares) > L.maxNotional) return "notional";
    if (i.buy && (i.bestAsk === 0 || i.price > i.bestAsk + L.collar)) return "collar";
    if (!i.buy && (i.bestBid === 0 || i.price < i.bestBid - L.collar)) return "collar";
    const pos = this.positionAfter(i);
    if (pos > BigInt(L.maxPosition) || pos < -BigInt(L.maxPosition)) return "position";
    if (this.exposureAfter(i) > L.maxExposure) return "exposure";
    // Throttle: the n-th most recent passed order (n capped at 16) must be at least the window old.
    const n = Math.min(L.throttleOrders, 16);
    if (n === 0) return "throttle";
    if (this.passedAt.length >= n && this.passedAt[this.passedAt.length - n] + L.throttleWindow > i.timestamp) return "throttle";
    return "pass";
  }

  /** The counters in the form of the dialect gate's `stats`. */
  counters(): Record<string, number | boolean> {
    const c: Record<string, number | boolean> = { intents: this.intents, passed: this.passed };
    for (const r of REASONS) c[COUNTER_OF[r]] = this.rejects.get(r) ?? 0;
    c.rejected = this.limitRejects;
    c.killed = this.latched;
    return c;
  }
}

/**
 * The invariant, checked on the passed orders alone (in the order they left the gate): each is within
 * quantity, notional and collar; no symbol's running position or exposure ever exceeds its limit;
 * with non-decreasing timestamps, no window of `throttleWindow` ns holds more than min(N, 16) of them;
 * nothing passes while the kill switch is set. Returns the violations found (empty when none).
 */
export function limitViolations(L: Limits, passed: Intent[]): string[] {
  const bad: string[] = [];
  if (L.kill && passed.length) bad.push(`${passed.length} passed with the kill switch set`);
  const pos = new Map<number, bigint>(), exp = new Map<number, bigint>();
  const n = Math.min(L.throttleOrders, 16);
  passed.forEach((o, k) => {
    const notional = BigInt(o.price) * BigInt(o.shares);
    if (o.shares === 0 || o.shares > L.maxShares) bad.push(`order ${k}: ${o.shares} shares`);
    if (notional > L.maxNotional) bad.push(`order ${k}: notional ${notional}`);
    if (o.buy ? o.bestAsk === 0 || o.price - o.bestAsk > L.collar : o.bestBid === 0 || o.bestBid - o.price > L.collar) bad.push(`order ${k}: price ${o.price} outside the collar`);
    const p = (pos.get(o.slot) ?? 0n) + (o.buy ? BigInt(o.shares) : -BigInt(o.shares));
    pos.set(o.slot, p);
    if ((p < 0n ? -p : p) > BigInt(L.maxPosition)) bad.push(`order ${k}: slot ${o.slot} position ${p}`);
    const e = (exp.get(o.slot) ?? 0n) + notional;
    exp.set(o.slot, e);
    if (e > L.maxExposure) bad.push(`order ${k}: slot ${o.slot} exposure ${e}`);
    const inWindow = passed.slice(0, k + 1).filter((q) => q.timestamp > o.timestamp - L.throttleWindow).length;
    if (inWindow > n) bad.push(`order ${k}: ${inWindow} orders within ${L.throttleWindow} ns`);
  });
  return bad;
}
