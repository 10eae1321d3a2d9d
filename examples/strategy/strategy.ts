// A strategy on the book (docs/strategy.md): it watches each symbol's top of book and, when the best
// ask thins out (fewer shares than `thinBelow`) while the bid side's top-3 depth outweighs the ask
// side's by num:den, buys `quantity` at the ask, immediate-or-cancel; the mirror image (a thin best
// bid under a heavy ask side) sells at the bid. It fires when the signal turns on for a symbol, not
// again until the signal has been off. Its parameters are a run-time configuration, and so is the
// watchlist: the book's own (`BookConfig`, repeated here so that slot i is the same symbol in both)
// plus each slot's OUCH symbol. `tickToOrder` is the whole path: feed handler → book → strategy →
// risk gate, market-data beats in, OrderRequest records out.
import { u8, u16, u32, u34, u64, mem, kernel, pipeline, type Mem, type Step, type Vec } from "tsfpga";
import { feed } from "../itch/feed.js";
import { book, bump, findSlot, type BookConfig, type BookUpdate } from "../book/book.js";
import { risk } from "./risk.js";
import type { OrderIntent } from "./order.js";

export interface StrategyConfig {
  /** The book's watchlist, the same value as the book's configuration (docs/strategy.md, "Configuration"). */
  watchlist: BookConfig;
  /** OUCH symbol of each watchlist slot: 8 ASCII bytes, space-padded, the first in bits 63:56. */
  symbols: Vec<u64, 64>;
  /** Which sides may trade. */
  buys: boolean; sells: boolean;
  /** The best level of the side we take is thin: 0 < shares < thinBelow. */
  thinBelow: u32;
  /** Our side outweighs: ourDepth × den > theirDepth × num, depths over the best 3 levels. */
  num: u16; den: u16;
  /** Shares per order, and the OUCH time in force (`3`: immediate-or-cancel). */
  quantity: u32; timeInForce: u8;
}

/** Counters: updates seen, updates of a symbol not in the watchlist, signals that turned on, and intents sent. */
export interface StrategyStats { updates: u32; unknownSymbol: u32; buySignals: u32; sellSignals: u32; intents: u32 }

/** The signals of the last update of a slot (an order goes out when one turns on). */
export interface Armed { buy: boolean; sell: boolean }

export interface StrategyState { stats: StrategyStats; last: Mem<Armed, 64> }

const STRATEGY_INIT: StrategyState = {
  stats: { updates: u32(0), unknownSymbol: u32(0), buySignals: u32(0), sellSignals: u32(0), intents: u32(0) },
  last: mem(64, { buy: false, sell: false }),
};

// The shares of the best three levels of a side.
function depth3(shares: Vec<u32, 8>): u34 {
  return u34(shares[0] + shares[1] + shares[2]);
}

// Thin best level on the side we would take, heavy depth on our side: ours × den > theirs × num.
function signal(theirs: Vec<u32, 8>, ours: Vec<u32, 8>, cfg: StrategyConfig): boolean {
  return theirs[0] !== 0 && theirs[0] < cfg.thinBelow && depth3(ours) * u64(cfg.den) > depth3(theirs) * u64(cfg.num);
}

export function strategyStep(s: StrategyState, u: BookUpdate, cfg: StrategyConfig): Step<StrategyState, OrderIntent> {
  const w = findSlot(cfg.watchlist, u.locate);
  const before = s.last.get(w.slot);
  const buyNow = w.hit && cfg.buys && signal(u.askShares, u.bidShares, cfg);
  const sellNow = w.hit && cfg.sells && signal(u.bidShares, u.askShares, cfg);
  const buy = buyNow && !before.buy;
  const sell = sellNow && !before.sell && !buy;
  if (w.hit) s.last.set(w.slot, { buy: buyNow, sell: sellNow });

  const c = s.stats;
  const stats: StrategyStats = {
    updates: u32(c.updates + 1), unknownSymbol: bump(c.unknownSymbol, !w.hit),
    buySignals: bump(c.buySignals, buy), sellSignals: bump(c.sellSignals, sell), intents: bump(c.intents, buy || sell),
  };
  const out: OrderIntent = {
    locate: u.locate, slot: w.slot, symbol: cfg.symbols[w.slot], buy, shares: cfg.quantity,
    price: buy ? u.askPrice[0] : u.bidPrice[0], timeInForce: cfg.timeInForce,
    bestBid: u.bidPrice[0], bestAsk: u.askPrice[0], timestamp: u.timestamp, sequence: u.sequence,
  };
  return { state: { stats, last: s.last }, out, valid: buy || sell };
}

export const strategy = kernel(STRATEGY_INIT, strategyStep, { readable: ["stats"] });

/** Tick to order: ITCH market-data beats in, risk-checked OrderRequests out. */
export const tickToOrder = pipeline(feed, book, strategy, risk);
