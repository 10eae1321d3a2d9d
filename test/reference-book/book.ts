/**
 * The reference order book: the independent model the dialect book (examples/book/) is checked
 * against, written in plain TypeScript with Maps and sorted arrays and sharing no code with the
 * dialect, the runtime or the compiler. It consumes the feed handler's records (any object with the
 * ItchRecord fields it reads, see BookInput), keeps a live-order table by order reference and price
 * levels per side per watched symbol, emits one BookUpdate (the whole top 8 of both sides) whenever
 * a record changes the best 8 levels of a side, and counts every record under exactly one outcome.
 * A hardware book of bounded size is modelled by BookCapacity (a set-associative order table indexed
 * by the low bits of the reference, optionally with numbered ways held in separate way memories; a
 * bound on levels per side; a bound on watched symbols).
 * docs/order-book.md is the contract this file implements.
 */

/** ASCII 'B' and 'S', the ITCH side codes. */
export const BUY = 66;
export const SELL = 83;
/** Levels per side in an update record. */
export const TOP = 8;
/** Level totals are u32 shares and u16 orders in the record; a change past these is rejected. */
export const MAX_LEVEL_SHARES = 0xffff_ffff;
export const MAX_LEVEL_ORDERS = 0xffff;

const T = (c: string): number => c.charCodeAt(0);
const A = T("A"), F = T("F"), E = T("E"), C = T("C"), X = T("X"), D = T("D"), U = T("U");

/** The fields of the feed handler's ItchRecord (examples/itch/feed.ts) the book reads. */
export interface BookInput {
  type: number;
  locate: number;
  timestamp: bigint;
  sequence: bigint;
  orderRef: bigint;
  newOrderRef: bigint;
  side: number;
  shares: number;
  price: number;
  executedShares: number;
  canceledShares: number;
}

/** One price level of one side: total shares of its live orders and how many there are. */
export interface Level {
  price: number;
  shares: number;
  orders: number;
}

/**
 * The book-update record: the whole top of book of one symbol after the record that changed it.
 * Index 0 is the best level (highest bid, lowest ask); levels that do not exist are all zero.
 */
export interface BookUpdate {
  locate: number;
  /** ITCH type letter (ASCII) of the record that changed the book. */
  type: number;
  /** The side whose top 8 changed ('B' or 'S'); a record changes one side only. */
  side: number;
  timestamp: bigint;
  sequence: bigint;
  bidPrice: number[];
  bidShares: number[];
  bidOrders: number[];
  askPrice: number[];
  askShares: number[];
  askOrders: number[];
}

/** Bounds of a hardware book; each one left out is unbounded. */
export interface BookCapacity {
  /** Most watched symbols (a longer watchlist is a configuration error). */
  symbols?: number;
  /** The order table has 2^indexBits sets, set = orderRef mod 2^indexBits ... */
  indexBits?: number;
  /** ... of `ways` entries each (default 1: direct-mapped). Needs indexBits. */
  ways?: number;
  /**
   * The ways are numbered memories 0..W-1, each with one write per record (default false: only how
   * many orders a set holds matters). An add takes the lowest free way of its set; a U whose new
   * reference is in another set cannot use the old order's way number there (that way memory's one
   * write is the removal). Needs indexBits; see docs/order-book.md, "Bounded table".
   */
  wayMemories?: boolean;
  /** Most non-empty price levels per side per symbol. */
  levelsPerSide?: number;
}

/** Every input record is counted under exactly one of the outcomes (see `partition`). */
export interface BookCounters {
  records: number;
  /** Outcomes: not a book type (anything but A F E C X D U). */
  otherTypes: number;
  /** Outcomes: a book type for a locate not on the watchlist. */
  notWatched: number;
  /** Outcomes, applied: A/F stored, E/C applied, X applied, D applied, U applied (old gone, new stored). */
  added: number;
  executed: number;
  canceled: number;
  deleted: number;
  replaced: number;
  /** Outcomes, rejected (nothing changes, except that a U whose old order was found removes it). */
  unknownRef: number;
  locateMismatch: number;
  badSide: number;
  zeroShares: number;
  duplicateAdd: number;
  tableFull: number;
  levelFull: number;
  levelOverflow: number;
  /** Not outcomes ("of which"): E/C and X for more shares than were left (applied, clamped). */
  overExecute: number;
  overCancel: number;
  /** Orders stored by A/F, by side (U's new orders not included). */
  addedBuy: number;
  addedSell: number;
  /** Book-update records emitted. */
  updates: number;
}

const OUTCOMES = [
  "otherTypes", "notWatched", "added", "executed", "canceled", "deleted", "replaced", "unknownRef", "locateMismatch",
  "badSide", "zeroShares", "duplicateAdd", "tableFull", "levelFull", "levelOverflow",
] as const satisfies readonly (keyof BookCounters)[];

/** The outcome counters that together equal `records`. */
export function partition(c: BookCounters): Record<(typeof OUTCOMES)[number], number> {
  return Object.fromEntries(OUTCOMES.map((k) => [k, c[k]])) as Record<(typeof OUTCOMES)[number], number>;
}
export function outcomeSum(c: BookCounters): number {
  return OUTCOMES.reduce((a, k) => a + c[k], 0);
}

export interface LiveOrder {
  ref: bigint;
  locate: number;
  side: number;
  price: number;
  shares: number;
}

/** One side of one symbol: levels by price, and the prices in ascending order. */
class Side {
  readonly levels = new Map<number, Level>();
  readonly prices: number[] = [];
  constructor(readonly buy: boolean) {}

  private position(price: number): number {
    let lo = 0, hi = this.prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.prices[mid]! < price) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  level(price: number): Level {
    let l = this.levels.get(price);
    if (!l) {
      l = { price, shares: 0, orders: 0 };
      this.levels.set(price, l);
      this.prices.splice(this.position(price), 0, price);
    }
    return l;
  }
  drop(price: number): void {
    this.levels.delete(price);
    this.prices.splice(this.position(price), 1);
  }
  /** Levels best first: bids from the highest price, asks from the lowest. */
  best(n: number): Level[] {
    const out: Level[] = [];
    const k = Math.min(n, this.prices.length);
    for (let i = 0; i < k; i++) out.push(this.levels.get(this.prices[this.buy ? this.prices.length - 1 - i : i]!)!);
    return out;
  }
  /** The top n as a flat [price, shares, orders, …] snapshot, zero-padded. */
  snapshot(n: number): number[] {
    const out = new Array<number>(3 * n).fill(0);
    const top = this.best(n);
    for (let i = 0; i < top.length; i++) {
      out[3 * i] = top[i]!.price;
      out[3 * i + 1] = top[i]!.shares;
      out[3 * i + 2] = top[i]!.orders;
    }
    return out;
  }
}

class SymbolBook {
  readonly bid = new Side(true);
  readonly ask = new Side(false);
  added = 0;
  side(s: number): Side {
    return s === BUY ? this.bid : this.ask;
  }
}

export interface SymbolDump {
  locate: number;
  /** Every non-empty level, best first. */
  bid: Level[];
  ask: Level[];
  /** Live orders per side. */
  bidOrders: number;
  askOrders: number;
  /** Orders stored by A/F for this symbol. */
  added: number;
}

export interface BookDump {
  symbols: SymbolDump[];
  liveOrders: number;
  counters: BookCounters;
}

function sameTop(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class ReferenceBook {
  readonly counters: BookCounters = {
    records: 0, otherTypes: 0, notWatched: 0, added: 0, executed: 0, canceled: 0, deleted: 0, replaced: 0, unknownRef: 0,
    locateMismatch: 0, badSide: 0, zeroShares: 0, duplicateAdd: 0, tableFull: 0, levelFull: 0, levelOverflow: 0,
    overExecute: 0, overCancel: 0, addedBuy: 0, addedSell: 0, updates: 0,
  };
  private readonly books = new Map<number, SymbolBook>();
  private readonly orders = new Map<bigint, LiveOrder>();
  private readonly setMask: bigint | undefined;
  private readonly ways: number;
  private readonly setUse = new Map<number, number>();
  /** With wayMemories: per set, the reference held by each way (undefined = free) ... */
  private readonly wayTable = new Map<number, (bigint | undefined)[]>();
  /** ... and each live order's way. */
  private readonly wayOf = new Map<bigint, number>();

  constructor(watch: Iterable<number>, private readonly capacity: BookCapacity = {}) {
    for (const l of watch) {
      if (!Number.isInteger(l) || l < 0 || l > 0xffff) throw new RangeError(`watchlist: locate ${l} is not a u16`);
      if (!this.books.has(l)) this.books.set(l, new SymbolBook());
    }
    if (capacity.symbols !== undefined && this.books.size > capacity.symbols) {
      throw new RangeError(`watchlist: ${this.books.size} symbols for a book of ${capacity.symbols}`);
    }
    if (capacity.ways !== undefined && capacity.indexBits === undefined) throw new RangeError("capacity: ways needs indexBits");
    if (capacity.wayMemories && capacity.indexBits === undefined) throw new RangeError("capacity: wayMemories needs indexBits");
    this.setMask = capacity.indexBits === undefined ? undefined : (1n << BigInt(capacity.indexBits)) - 1n;
    this.ways = capacity.ways ?? 1;
  }

  /** Applies one record; returns the update record if the record changed a top 8. */
  apply(r: BookInput): BookUpdate | undefined {
    const c = this.counters;
    c.records++;
    const t = r.type;
    if (t !== A && t !== F && t !== E && t !== C && t !== X && t !== D && t !== U) {
      c.otherTypes++;
      return undefined;
    }
    const book = this.books.get(r.locate);
    if (!book) {
      c.notWatched++;
      return undefined;
    }
    if (t === A || t === F) {
      if (r.side !== BUY && r.side !== SELL) return void this.reject("badSide");
      const side = book.side(r.side);
      const before = side.snapshot(TOP);
      if (!this.store(book, r.orderRef, r.locate, r.side, r.price, r.shares)) return undefined;
      c.added++;
      book.added++;
      if (r.side === BUY) c.addedBuy++;
      else c.addedSell++;
      return this.updateIfChanged(r, book, r.side, before);
    }
    const o = this.orders.get(r.orderRef);
    if (!o) return void this.reject("unknownRef");
    if (o.locate !== r.locate) return void this.reject("locateMismatch");
    const side = book.side(o.side);
    const before = side.snapshot(TOP);
    if (t === E || t === C || t === X) {
      const want = t === X ? r.canceledShares : r.executedShares;
      if (want === 0) return void this.reject("zeroShares");
      const n = Math.min(want, o.shares);
      if (want > o.shares) {
        if (t === X) c.overCancel++;
        else c.overExecute++;
      }
      if (t === X) c.canceled++;
      else c.executed++;
      this.reduce(book, o, n);
    } else if (t === D) {
      c.deleted++;
      this.reduce(book, o, o.shares);
    } else {
      // With way memories, the old order's way memory takes its one write for the removal: the new
      // order may not use that way number unless it goes back into the same set.
      const oldWay = this.wayOf.get(o.ref);
      const sameSet = this.setMask !== undefined && (o.ref & this.setMask) === (r.newOrderRef & this.setMask);
      this.reduce(book, o, o.shares);
      if (this.store(book, r.newOrderRef, o.locate, o.side, r.price, r.shares, sameSet ? undefined : oldWay)) c.replaced++;
    }
    return this.updateIfChanged(r, book, o.side, before);
  }

  private reject(k: (typeof OUTCOMES)[number]): false {
    this.counters[k]++;
    return false;
  }

  /**
   * Stores a new order after the checks of an add (counting the first that fails); true if stored.
   * `busyWay`: with way memories, a way number the order may not take (a U's old way, other set).
   */
  private store(book: SymbolBook, ref: bigint, locate: number, sideCode: number, price: number, shares: number, busyWay?: number): boolean {
    if (shares === 0) return this.reject("zeroShares");
    if (this.orders.has(ref)) return this.reject("duplicateAdd");
    const set = this.setMask === undefined ? -1 : Number(ref & this.setMask);
    if (set >= 0 && (this.setUse.get(set) ?? 0) >= this.ways) return this.reject("tableFull");
    let way = -1;
    if (this.capacity.wayMemories) {
      const held = this.wayTable.get(set) ?? new Array<bigint | undefined>(this.ways).fill(undefined);
      for (let w = 0; w < this.ways && way < 0; w++) if (held[w] === undefined && w !== busyWay) way = w;
      if (way < 0) return this.reject("tableFull");
    }
    const side = book.side(sideCode);
    const old = side.levels.get(price);
    if (!old && this.capacity.levelsPerSide !== undefined && side.prices.length >= this.capacity.levelsPerSide) {
      return this.reject("levelFull");
    }
    if (old && (old.shares + shares > MAX_LEVEL_SHARES || old.orders + 1 > MAX_LEVEL_ORDERS)) return this.reject("levelOverflow");
    const level = old ?? side.level(price);
    level.shares += shares;
    level.orders++;
    this.orders.set(ref, { ref, locate, side: sideCode, price, shares });
    if (set >= 0) this.setUse.set(set, (this.setUse.get(set) ?? 0) + 1);
    if (way >= 0) {
      const held = this.wayTable.get(set) ?? new Array<bigint | undefined>(this.ways).fill(undefined);
      held[way] = ref;
      this.wayTable.set(set, held);
      this.wayOf.set(ref, way);
    }
    return true;
  }

  /** Takes n shares (1 ≤ n ≤ o.shares) off an order; at zero the order and maybe its level go. */
  private reduce(book: SymbolBook, o: LiveOrder, n: number): void {
    const side = book.side(o.side);
    const level = side.levels.get(o.price)!;
    level.shares -= n;
    o.shares -= n;
    if (o.shares > 0) return;
    this.orders.delete(o.ref);
    if (this.setMask !== undefined) {
      const set = Number(o.ref & this.setMask);
      this.setUse.set(set, this.setUse.get(set)! - 1);
      const way = this.wayOf.get(o.ref);
      if (way !== undefined) {
        this.wayTable.get(set)![way] = undefined;
        this.wayOf.delete(o.ref);
      }
    }
    if (--level.orders === 0) side.drop(o.price);
  }

  private updateIfChanged(r: BookInput, book: SymbolBook, sideCode: number, before: number[]): BookUpdate | undefined {
    if (sameTop(before, book.side(sideCode).snapshot(TOP))) return undefined;
    this.counters.updates++;
    return this.updateRecord(r, book, sideCode);
  }

  private updateRecord(r: BookInput, book: SymbolBook, sideCode: number): BookUpdate {
    const u: BookUpdate = {
      locate: r.locate, type: r.type, side: sideCode, timestamp: r.timestamp, sequence: r.sequence,
      bidPrice: [], bidShares: [], bidOrders: [], askPrice: [], askShares: [], askOrders: [],
    };
    const bid = book.bid.snapshot(TOP), ask = book.ask.snapshot(TOP);
    for (let i = 0; i < TOP; i++) {
      u.bidPrice.push(bid[3 * i]!); u.bidShares.push(bid[3 * i + 1]!); u.bidOrders.push(bid[3 * i + 2]!);
      u.askPrice.push(ask[3 * i]!); u.askShares.push(ask[3 * i + 1]!); u.askOrders.push(ask[3 * i + 2]!);
    }
    return u;
  }

  /** The best n levels of one side of a watched symbol (n = Infinity: all), best first. */
  levels(locate: number, side: number, n = Infinity): Level[] {
    const b = this.books.get(locate);
    return b ? b.side(side).best(n).map((l) => ({ ...l })) : [];
  }

  /** Live orders, in no particular order (copies). */
  *liveOrders(): Generator<LiveOrder> {
    for (const o of this.orders.values()) yield { ...o };
  }

  /**
   * With wayMemories: every live order's place in the table, by set then way, so that an engine's
   * way memories can be compared with the reference entry by entry (copies).
   */
  tableSlots(): { set: number; way: number; order: LiveOrder }[] {
    if (!this.capacity.wayMemories) throw new RangeError("tableSlots: the book was not built with wayMemories");
    const out: { set: number; way: number; order: LiveOrder }[] = [];
    for (const set of [...this.wayTable.keys()].sort((a, b) => a - b)) {
      const held = this.wayTable.get(set)!;
      for (let way = 0; way < held.length; way++) if (held[way] !== undefined) out.push({ set, way, order: { ...this.orders.get(held[way]!)! } });
    }
    return out;
  }

  /** The bounds the book was built with (a copy). */
  get bounds(): BookCapacity {
    return { ...this.capacity };
  }

  get watched(): number[] {
    return [...this.books.keys()].sort((a, b) => a - b);
  }

  /** The whole book: every watched symbol by ascending locate, every level, and the counters. */
  dump(): BookDump {
    const perSide = new Map<number, [number, number]>();
    for (const o of this.orders.values()) {
      const p = perSide.get(o.locate) ?? [0, 0];
      p[o.side === BUY ? 0 : 1]++;
      perSide.set(o.locate, p);
    }
    const symbols = this.watched.map((locate) => {
      const b = this.books.get(locate)!;
      const [bidOrders, askOrders] = perSide.get(locate) ?? [0, 0];
      return { locate, bid: b.bid.best(Infinity).map((l) => ({ ...l })), ask: b.ask.best(Infinity).map((l) => ({ ...l })), bidOrders, askOrders, added: b.added };
    });
    return { symbols, liveOrders: this.orders.size, counters: { ...this.counters } };
  }
}
