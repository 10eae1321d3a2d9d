/**
 * A brute-force second model of the book's contract, for checking the reference book: it keeps only
 * the live-order table and recomputes every price level, the top 8 of each side and every capacity
 * check from that table on each record (grouping, sorting and counting from scratch). Slow by
 * design and written without the reference book's structures, so the two agree only if the
 * incremental levels, the top-8 maintenance and the update rule of test/reference-book/book.ts
 * are right. With way memories it keeps its own record of each order's way and finds a free way by
 * scanning the live orders of the set. Also `bookInvariants`, the consistency checks run on the
 * reference book itself.
 */
import {
  BUY, MAX_LEVEL_ORDERS, MAX_LEVEL_SHARES, SELL, TOP, ReferenceBook,
  type BookCapacity, type BookCounters, type BookInput, type BookUpdate, type Level, type LiveOrder,
} from "./book.js";

const BOOK_TYPES = new Set("AFECXDU".split("").map((c) => c.charCodeAt(0)));
const ch = (t: number): string => String.fromCharCode(t);

/** All levels of one side from a list of orders, best first. */
export function levelsOf(orders: Iterable<LiveOrder>, locate: number, side: number): Level[] {
  const by = new Map<number, Level>();
  for (const o of orders) {
    if (o.locate !== locate || o.side !== side) continue;
    const l = by.get(o.price) ?? { price: o.price, shares: 0, orders: 0 };
    l.shares += o.shares;
    l.orders += 1;
    by.set(o.price, l);
  }
  return [...by.values()].sort((a, b) => (side === BUY ? b.price - a.price : a.price - b.price));
}

function topKey(orders: Iterable<LiveOrder>, locate: number, side: number): string {
  return JSON.stringify(levelsOf(orders, locate, side).slice(0, TOP));
}

/** One order's place in a table with way memories. */
export interface Slot {
  set: number;
  way: number;
  order: LiveOrder;
}

export class BruteBook {
  readonly orders = new Map<bigint, LiveOrder>();
  /** With wayMemories: the way of each live order. */
  readonly way = new Map<bigint, number>();
  readonly counters: Record<string, number> = {};
  private readonly watch: Set<number>;
  constructor(watch: Iterable<number>, private readonly cap: BookCapacity = {}) {
    this.watch = new Set(watch);
  }
  private count(k: keyof BookCounters): void {
    this.counters[k] = (this.counters[k] ?? 0) + 1;
  }

  /** The set of a reference (needs indexBits). */
  setOf(ref: bigint): number {
    return Number(ref % (1n << BigInt(this.cap.indexBits!)));
  }

  /** With wayMemories: the ways of ref's set that no live order holds, other than `busy`, lowest first. */
  freeWays(ref: bigint, busy?: number): number[] {
    const taken = [...this.orders.keys()].filter((k) => this.setOf(k) === this.setOf(ref)).map((k) => this.way.get(k)!);
    return Array.from({ length: this.cap.ways ?? 1 }, (_, w) => w).filter((w) => w !== busy && !taken.includes(w));
  }

  /** Every live order's place, by set then way (wayMemories only). */
  slots(): Slot[] {
    return [...this.orders.values()]
      .map((o) => ({ set: this.setOf(o.ref), way: this.way.get(o.ref)!, order: { ...o } }))
      .sort((a, b) => a.set - b.set || a.way - b.way);
  }

  private canStore(ref: bigint, locate: number, side: number, price: number, shares: number, busyWay?: number): keyof BookCounters | undefined {
    if (shares === 0) return "zeroShares";
    if (this.orders.has(ref)) return "duplicateAdd";
    if (this.cap.indexBits !== undefined) {
      const m = (1n << BigInt(this.cap.indexBits)) - 1n;
      const inSet = [...this.orders.keys()].filter((k) => (k & m) === (ref & m)).length;
      if (inSet >= (this.cap.ways ?? 1)) return "tableFull";
      if (this.cap.wayMemories && this.freeWays(ref, busyWay).length === 0) return "tableFull";
    }
    const levels = levelsOf(this.orders.values(), locate, side);
    const at = levels.find((l) => l.price === price);
    if (!at && this.cap.levelsPerSide !== undefined && levels.length >= this.cap.levelsPerSide) return "levelFull";
    if (at && (at.shares + shares > MAX_LEVEL_SHARES || at.orders + 1 > MAX_LEVEL_ORDERS)) return "levelOverflow";
    return undefined;
  }

  /** Stores an order (the checks passed), in the lowest free way other than `busyWay` with way memories. */
  private put(o: LiveOrder, busyWay?: number): void {
    if (this.cap.wayMemories) this.way.set(o.ref, this.freeWays(o.ref, busyWay)[0]!);
    this.orders.set(o.ref, o);
  }
  private remove(ref: bigint): void {
    this.orders.delete(ref);
    this.way.delete(ref);
  }

  apply(r: BookInput): BookUpdate | undefined {
    this.count("records");
    const t = ch(r.type);
    if (!BOOK_TYPES.has(r.type)) return this.count("otherTypes"), undefined;
    if (!this.watch.has(r.locate)) return this.count("notWatched"), undefined;
    const sides = [...this.watch].flatMap((l) => [[l, BUY], [l, SELL]] as const);
    const before = sides.map(([l, s]) => topKey(this.orders.values(), l, s));
    if (t === "A" || t === "F") {
      if (r.side !== BUY && r.side !== SELL) this.count("badSide");
      else {
        const why = this.canStore(r.orderRef, r.locate, r.side, r.price, r.shares);
        if (why) this.count(why);
        else {
          this.put({ ref: r.orderRef, locate: r.locate, side: r.side, price: r.price, shares: r.shares });
          this.count("added");
          this.count(r.side === BUY ? "addedBuy" : "addedSell");
        }
      }
    } else {
      const o = this.orders.get(r.orderRef);
      if (!o) this.count("unknownRef");
      else if (o.locate !== r.locate) this.count("locateMismatch");
      else if (t === "D") {
        this.remove(o.ref);
        this.count("deleted");
      } else if (t === "U") {
        // Way memories: the old way's one write is the removal, so in another set that way is taken.
        const oldWay = this.way.get(o.ref);
        const busy = this.cap.wayMemories && this.setOf(o.ref) !== this.setOf(r.newOrderRef) ? oldWay : undefined;
        this.remove(o.ref);
        const why = this.canStore(r.newOrderRef, o.locate, o.side, r.price, r.shares, busy);
        if (why) this.count(why);
        else {
          this.put({ ref: r.newOrderRef, locate: o.locate, side: o.side, price: r.price, shares: r.shares }, busy);
          this.count("replaced");
        }
      } else {
        const want = t === "X" ? r.canceledShares : r.executedShares;
        if (want === 0) this.count("zeroShares");
        else {
          if (want > o.shares) this.count(t === "X" ? "overCancel" : "overExecute");
          this.count(t === "X" ? "canceled" : "executed");
          const left = o.shares - Math.min(want, o.shares);
          if (left === 0) this.remove(o.ref);
          else this.orders.set(o.ref, { ...o, shares: left });
        }
      }
    }
    const after = sides.map(([l, s]) => topKey(this.orders.values(), l, s));
    const changed = sides.filter((_, i) => before[i] !== after[i]);
    if (changed.length > 1) throw new Error(`one record changed ${changed.length} sides`);
    if (changed.length === 0) return undefined;
    this.count("updates");
    const [locate, side] = changed[0]!;
    const u: BookUpdate = {
      locate, type: r.type, side, timestamp: r.timestamp, sequence: r.sequence,
      bidPrice: [], bidShares: [], bidOrders: [], askPrice: [], askShares: [], askOrders: [],
    };
    const bid = levelsOf(this.orders.values(), locate, BUY), ask = levelsOf(this.orders.values(), locate, SELL);
    for (let i = 0; i < TOP; i++) {
      u.bidPrice.push(bid[i]?.price ?? 0); u.bidShares.push(bid[i]?.shares ?? 0); u.bidOrders.push(bid[i]?.orders ?? 0);
      u.askPrice.push(ask[i]?.price ?? 0); u.askShares.push(ask[i]?.shares ?? 0); u.askOrders.push(ask[i]?.orders ?? 0);
    }
    return u;
  }
}

/**
 * Consistency of the reference book against its own live-order table: every level non-empty, sorted
 * best first, totals equal to the sums of the live orders at that price (so the per-side sums and
 * counts agree too), no negative or zero-share order; with way memories, every live order in exactly
 * one place, set = ref mod 2^k, way < W, no two orders in one (set, way), listed by set then way.
 * Returns the problems found (empty = fine).
 */
export function bookInvariants(book: ReferenceBook): string[] {
  const bad: string[] = [];
  const watched = new Set(book.watched);
  const group = new Map<string, LiveOrder[]>();
  for (const o of book.liveOrders()) {
    if (!(o.shares > 0) || !watched.has(o.locate) || (o.side !== BUY && o.side !== SELL)) bad.push(`order ${o.ref}: ${o.locate}/${o.side} ${o.shares} shares`);
    const k = `${o.locate}/${o.side}`;
    const g = group.get(k);
    if (g) g.push(o);
    else group.set(k, [o]);
  }
  for (const locate of watched) {
    for (const side of [BUY, SELL]) {
      const got = book.levels(locate, side);
      const want = levelsOf(group.get(`${locate}/${side}`) ?? [], locate, side);
      for (let i = 0; i < got.length; i++) {
        const l = got[i]!;
        if (!(l.shares > 0 && l.orders > 0 && l.shares >= l.orders)) bad.push(`${locate}/${ch(side)} level ${l.price}: ${l.shares} shares, ${l.orders} orders`);
        if (i > 0 && (side === BUY ? l.price >= got[i - 1]!.price : l.price <= got[i - 1]!.price)) bad.push(`${locate}/${ch(side)}: levels not sorted at ${i}`);
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${locate}/${ch(side)}: levels differ from the live orders`);
    }
  }
  const cap = book.bounds;
  if (cap.wayMemories) {
    const live = new Map([...book.liveOrders()].map((o) => [o.ref, o]));
    const seen = new Set<bigint>();
    const places = new Set<string>();
    let prev = -1;
    for (const { set, way, order } of book.tableSlots()) {
      const at = `set ${set} way ${way}`;
      if (set !== Number(order.ref % (1n << BigInt(cap.indexBits!)))) bad.push(`${at}: order ${order.ref} belongs to another set`);
      if (!(Number.isInteger(way) && way >= 0 && way < (cap.ways ?? 1))) bad.push(`${at}: no such way`);
      if (places.has(at)) bad.push(`${at}: two orders`);
      if (seen.has(order.ref)) bad.push(`order ${order.ref}: in two places`);
      if (JSON.stringify(live.get(order.ref), (_, v) => (typeof v === "bigint" ? String(v) : v)) !== JSON.stringify(order, (_, v) => (typeof v === "bigint" ? String(v) : v))) bad.push(`${at}: order ${order.ref} is not the live order`);
      if (set * 1e6 + way <= prev) bad.push(`${at}: not sorted by set then way`);
      prev = set * 1e6 + way;
      places.add(at);
      seen.add(order.ref);
    }
    if (seen.size !== live.size) bad.push(`${live.size} live orders, ${seen.size} in the table`);
  }
  return bad;
}
