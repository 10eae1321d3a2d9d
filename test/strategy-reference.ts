/**
 * An independent reference for the strategy kernel (examples/strategy/strategy.ts), written from
 * docs/strategy.md ("The strategy"): for each book update of a watched locate, buy at the best ask
 * when the best ask has 0 < shares < thinBelow and the bid side's best-3 shares × den exceed the ask
 * side's × num (sell at the best bid in the mirror case), only when that signal was off on the
 * locate's previous update; a buy wins over a sell on the same update. Plain numbers and a Map.
 */
import type { StrategyParams, Watched } from "../examples/strategy/setup.js";
import { ouchSymbol } from "../examples/strategy/setup.js";

export interface Update { locate: number; timestamp: bigint; sequence: bigint; bidPrice: number[]; bidShares: number[]; askPrice: number[]; askShares: number[] }
export interface ExpectedIntent { locate: number; slot: number; symbol: bigint; buy: boolean; shares: number; price: number; timeInForce: number; bestBid: number; bestAsk: number; timestamp: bigint; sequence: bigint }

export class ReferenceStrategy {
  private readonly last = new Map<number, { buy: boolean; sell: boolean }>();
  constructor(private readonly watch: Watched[], private readonly p: StrategyParams) {}

  /** The intent for this update, or undefined. */
  onUpdate(u: Update): ExpectedIntent | undefined {
    const slot = this.watch.findIndex((w) => w.locate === u.locate);
    if (slot < 0) return undefined;
    const top3 = (xs: number[]) => xs[0]! + xs[1]! + xs[2]!;
    const heavy = (ours: number[], theirs: number[]) => BigInt(top3(ours)) * BigInt(this.p.den) > BigInt(top3(theirs)) * BigInt(this.p.num);
    const buyNow = this.p.buys && u.askShares[0]! > 0 && u.askShares[0]! < this.p.thinBelow && heavy(u.bidShares, u.askShares);
    const sellNow = this.p.sells && u.bidShares[0]! > 0 && u.bidShares[0]! < this.p.thinBelow && heavy(u.askShares, u.bidShares);
    const before = this.last.get(u.locate) ?? { buy: false, sell: false };
    this.last.set(u.locate, { buy: buyNow, sell: sellNow });
    const buy = buyNow && !before.buy;
    const sell = sellNow && !before.sell && !buy;
    if (!buy && !sell) return undefined;
    return {
      locate: u.locate, slot, symbol: ouchSymbol(this.watch[slot]!.symbol), buy, shares: this.p.quantity,
      price: buy ? u.askPrice[0]! : u.bidPrice[0]!, timeInForce: this.p.timeInForce.charCodeAt(0),
      bestBid: u.bidPrice[0]!, bestAsk: u.askPrice[0]!, timestamp: u.timestamp, sequence: u.sequence,
    };
  }
}
