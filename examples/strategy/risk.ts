// The risk gate (docs/strategy.md, "The risk gate"): a kernel that takes the strategy's OrderIntent
// records and passes on, as an OrderRequest, only an intent that breaks no limit of its run-time
// configuration; every other intent is dropped and counted by its first failing rule. The rules, in
// order: the kill switch (a configuration bit, or latched after `killAfter` rejects), quantity,
// notional (price × shares at full width), the price collar against the intent's best bid and offer,
// the symbol's position and open exposure (every passed order counted as if it fills; kept per
// watchlist slot in a memory), and the throttle (at most `throttleOrders` passed orders in any
// `throttleWindow` ns of ITCH time, the triggering message's timestamp: the one time base all three
// engines share). It is a library kernel: a pipeline puts it last before the order encoder.
import { i33, u4, u32, u48, u64, fill, mem, kernel, type Mem, type Step, type Vec } from "tsfpga";
import type { OrderIntent, OrderRequest } from "./order.js";
import { bump } from "../book/book.js";

/** The limits, a run-time configuration (zero forbids: a limit of 0 passes nothing it bounds). */
export interface RiskConfig {
  /** Most shares in one order (an order of 0 shares is a quantity reject too). */
  maxShares: u32;
  /** Most price × shares of one order, in 1/10000 dollars. */
  maxNotional: u64;
  /** A buy's price at most bestAsk + collar, a sell's at least bestBid − collar; the side it trades against must not be empty. */
  collar: u32;
  /** Most |net shares| of one symbol (buys minus sells), the order included. */
  maxPosition: u32;
  /** Most open exposure of one symbol: the notional of every order passed for it, the order included. */
  maxExposure: u64;
  /** At most this many passed orders (0…16; above 16 counts as 16) in any throttleWindow ns of ITCH time. */
  throttleOrders: u32;
  throttleWindow: u48;
  /** The kill switch: every intent is rejected while it is set. */
  kill: boolean;
  /** Set the kill switch after this many limit rejects (0: never). */
  killAfter: u32;
}

/** The gate's counters (readable in hardware as `state_stats`): every intent lands in exactly one of passed or rej*. */
export interface RiskStats {
  intents: u32; passed: u32;
  rejKilled: u32; rejQuantity: u32; rejNotional: u32; rejCollar: u32; rejPosition: u32; rejExposure: u32; rejThrottle: u32;
  /** Limit rejects (every reason but the kill switch): what `killAfter` counts. */
  rejected: u32;
  /** The kill switch latched by killAfter (the configuration's `kill` is not copied here). */
  killed: boolean;
}

/** What the gate holds for one watchlist slot. */
export interface SlotRisk { position: i33; exposure: u64 }

export interface RiskState {
  stats: RiskStats;
  /** ITCH timestamps of the last 16 passed orders, the newest first, and how many of them are real. */
  sent: Vec<u48, 16>;
  sentCount: u32;
  /** sent[throttleOrders − 1] (the throttle's entry), kept as its own register so the check does not select it. */
  nth: u48;
  slots: Mem<SlotRisk, 64>;
}

export const THROTTLE_DEPTH = 16;

const RISK_INIT: RiskState = {
  stats: {
    intents: u32(0), passed: u32(0), rejKilled: u32(0), rejQuantity: u32(0), rejNotional: u32(0), rejCollar: u32(0),
    rejPosition: u32(0), rejExposure: u32(0), rejThrottle: u32(0), rejected: u32(0), killed: false,
  },
  sent: fill(THROTTLE_DEPTH, u48(0)),
  sentCount: u32(0),
  nth: u48(0),
  slots: mem(64, { position: i33(0), exposure: u64(0) }),
};

// The throttle: the order may pass when the n-th most recent passed order (n at most 16; more counts
// as 16) is missing or was triggered at least `window` ns before this one. With ITCH time, which does
// not go backwards, that is: at most n passed orders in any `window` ns.
function throttleRoom(nth: u48, count: u32, n: u32, window: u48, now: u48): boolean {
  if (n === 0) return false;
  if (count <= throttleIndex(n)) return true;
  return nth <= now - window;
}

// The entry of `sent` the throttle compares: the n-th most recent (n taken as 1…16).
function throttleIndex(n: u32): u4 {
  return u4(n > THROTTLE_DEPTH ? THROTTLE_DEPTH - 1 : n === 0 ? 0 : n - 1);
}

export function riskStep(s: RiskState, o: OrderIntent, cfg: RiskConfig): Step<RiskState, OrderRequest> {
  const slot = s.slots.get(o.slot);
  const notional = u64(o.price) * u64(o.shares);

  const killed = cfg.kill || s.stats.killed;
  const quantityOk = o.shares !== 0 && o.shares <= cfg.maxShares;
  const notionalOk = notional <= cfg.maxNotional;
  const collarOk = o.buy
    ? o.bestAsk !== 0 && u64(o.price) <= u64(o.bestAsk) + u64(cfg.collar)
    : o.bestBid !== 0 && u64(o.price) + u64(cfg.collar) >= u64(o.bestBid);
  // Each limit on the state is compared with a bound computed from the intent and the configuration
  // alone (ahead of the state loop): −max ≤ position ± shares ≤ max as lo ≤ position ≤ hi, and
  // exposure + notional ≤ max as exposure ≤ max − notional; the sums are only what is written back.
  const hi = o.buy ? cfg.maxPosition - o.shares : cfg.maxPosition + o.shares;
  const lo = o.buy ? -cfg.maxPosition - o.shares : o.shares - cfg.maxPosition;
  const positionOk = slot.position <= hi && slot.position >= lo;
  const exposureOk = slot.exposure <= cfg.maxExposure - notional;
  const position = o.buy ? slot.position + u64(o.shares) : slot.position - u64(o.shares);
  const exposure = slot.exposure + notional;
  const throttleOk = throttleRoom(s.nth, s.sentCount, cfg.throttleOrders, cfg.throttleWindow, o.timestamp);

  // The first failing rule is the reason.
  const rKilled = killed;
  const rQuantity = !rKilled && !quantityOk;
  const rNotional = !rKilled && quantityOk && !notionalOk;
  const rCollar = !rKilled && quantityOk && notionalOk && !collarOk;
  const before = !rKilled && quantityOk && notionalOk && collarOk;
  const rPosition = before && !positionOk;
  const rExposure = before && positionOk && !exposureOk;
  const rThrottle = before && positionOk && exposureOk && !throttleOk;
  const pass = before && positionOk && exposureOk && throttleOk;
  const limitReject = !rKilled && !pass;

  if (pass) s.slots.set(o.slot, { position: i33(position), exposure: u64(exposure) });

  const c = s.stats;
  const rejected = bump(c.rejected, limitReject);
  const stats: RiskStats = {
    intents: u32(c.intents + 1), passed: bump(c.passed, pass),
    rejKilled: bump(c.rejKilled, rKilled), rejQuantity: bump(c.rejQuantity, rQuantity), rejNotional: bump(c.rejNotional, rNotional),
    rejCollar: bump(c.rejCollar, rCollar), rejPosition: bump(c.rejPosition, rPosition), rejExposure: bump(c.rejExposure, rExposure),
    rejThrottle: bump(c.rejThrottle, rThrottle), rejected,
    killed: c.killed || (cfg.killAfter !== 0 && limitReject && c.rejected >= cfg.killAfter - 1),
  };
  const p = s.sent;
  const sent: Vec<u48, 16> = pass ? [o.timestamp, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14]] : p;
  const sentCount = pass && s.sentCount < THROTTLE_DEPTH ? u32(s.sentCount + 1) : s.sentCount;
  const i = throttleIndex(cfg.throttleOrders);
  const nth = pass ? (i === 0 ? o.timestamp : p[i === 0 ? 0 : i - 1]) : s.nth;
  const out: OrderRequest = {
    locate: o.locate, slot: o.slot, symbol: o.symbol, buy: o.buy, shares: o.shares, price: o.price, timeInForce: o.timeInForce,
    timestamp: o.timestamp, sequence: o.sequence,
  };
  return { state: { stats, sent, sentCount, nth, slots: s.slots }, out, valid: pass };
}

/** The risk gate: OrderIntent in, OrderRequest out; its counters readable as `state_stats`. */
export const risk = kernel(RISK_INIT, riskStep, { readable: ["stats"] });
