// Host side, plain TypeScript (not a dialect file): builds the run-time configuration of the whole
// tick-to-order pipeline (examples/strategy/strategy.ts, `tickToOrder`) from one description, so the
// watchlist the book and the strategy must share is written once (docs/strategy.md, "Configuration").
// The result is what `tsfpga simulate … --config` takes: one record per kernel by name, 64-bit
// values as decimal strings.

/** A watched symbol: its ITCH stock locate and its ticker (at most 8 ASCII characters). */
export interface Watched { locate: number; symbol: string }

export interface StrategyParams { buys: boolean; sells: boolean; thinBelow: number; num: number; den: number; quantity: number; timeInForce: string }

export interface RiskLimits {
  maxShares: number; maxNotional: bigint; collar: number; maxPosition: number; maxExposure: bigint;
  throttleOrders: number; throttleWindow: bigint; kill: boolean; killAfter: number;
}

export interface TickToOrderSetup { watch: Watched[]; strategy: StrategyParams; limits: RiskLimits }

const SLOTS = 64;

/** An OUCH symbol as the u64 of docs/strategy.md: 8 ASCII bytes, space-padded, the first in bits 63:56. */
export function ouchSymbol(s: string): bigint {
  if (s.length > 8 || !/^[\x20-\x7e]*$/.test(s)) throw new Error(`symbol '${s}': at most 8 printable ASCII characters`);
  let v = 0n;
  for (const ch of s.padEnd(8, " ")) v = (v << 8n) | BigInt(ch.charCodeAt(0));
  return v;
}

/** The `--config` object for tickToOrder: the book's and the strategy's watchlist from the one list, and the limits. */
export function tickToOrderConfig(setup: TickToOrderSetup): Record<string, Record<string, unknown>> {
  if (setup.watch.length > SLOTS) throw new Error(`${setup.watch.length} symbols: the book watches at most ${SLOTS}`);
  const pad = <T>(xs: T[], v: T) => [...xs, ...new Array<T>(SLOTS - xs.length).fill(v)];
  const watchlist = { watch: pad(setup.watch.map((w) => w.locate), 0), watchCount: setup.watch.length };
  const p = setup.strategy, l = setup.limits;
  return {
    book: watchlist,
    strategy: {
      watchlist, symbols: pad(setup.watch.map((w) => ouchSymbol(w.symbol).toString()), "0"),
      buys: p.buys, sells: p.sells, thinBelow: p.thinBelow, num: p.num, den: p.den, quantity: p.quantity, timeInForce: p.timeInForce.charCodeAt(0),
    },
    risk: { ...l, maxNotional: l.maxNotional.toString(), maxExposure: l.maxExposure.toString(), throttleWindow: l.throttleWindow.toString() },
  };
}
