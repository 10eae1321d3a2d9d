/**
 * Random order lifecycles for the book's property tests in every engine: the generator of
 * test/reference-book-props.test.ts (abstract commands aimed, as they are turned into records, at
 * the live orders of a model: the last order touched, a replace chain, a deep level, the best
 * level, an unknown reference; amounts of part, all, more than left and zero; duplicate references,
 * bad sides, unwatched locates, a locate that is not the order's, huge orders that overflow a
 * level), extended for a bounded table of 2^k sets: new references that land in the set of a live
 * order (so sets fill and `tableFull` happens, and a replace's new order goes to the same or another
 * set). The model is any object with the live orders (the reference book). A tally of the hard cases.
 */
import fc from "fast-check";
import { BUY, SELL, TOP, type BookInput, type LiveOrder } from "./book.js";
import { levelsOf } from "./brute.js";

const ch = (c: string): number => c.charCodeAt(0);
/** Prices of new orders: 24 a side as in the reference's tests, or 24 more, so a side can hold more than 16 levels. */
const SPREAD = 24;

/** The fields of an abstract command (shared with test/reference-book-props.test.ts). */
export const cmdModel = {
  k: fc.constantFrom("A", "A", "A", "A", "A", "A", "A", "F", "E", "E", "C", "X", "X", "D", "D", "U", "U", "U", "P"),
  loc: fc.nat(9), // 0..7 watched, 8 unwatched, 9 the other watched locate than the order's
  side: fc.nat(20), // 20: a bad side
  price: fc.nat(23), // 24 prices a side (48 with SPREAD): more than 8 levels, and than 16
  shares: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: 900 }) }, { weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0xfff0_0000, max: 0xffff_ffff }) }),
  target: fc.constantFrom("last", "last", "live", "live", "chain", "deep", "best", "unknown"),
  amount: fc.constantFrom("part", "part", "all", "all", "over", "zero"),
  dup: fc.nat(15), // 0: reuse a live reference; 1..3: a new reference in a live order's set
  pick: fc.nat(1000),
};
export const cmdArb = fc.record(cmdModel);
export type Cmd = typeof cmdArb extends fc.Arbitrary<infer T> ? T : never;

export interface LifecycleOptions {
  /** Two watched locates and one that is not. */
  watched: [number, number];
  unwatched: number;
  /** Sets of the bounded table (2^indexBits); new references aimed at a live order's set are ref + k·sets. */
  sets: number;
}

/** One live order's place in a table with way memories (the reference's tableSlots()). */
export interface TableSlot { set: number; way: number; order: LiveOrder }

/**
 * Turns abstract commands into feed records, aimed using the model's live orders (read as the
 * records are consumed). With the model's `table`, a U with `dup` 3 sends its new order to another
 * set that is full, or whose only free way is the old order's, or (else) any other live order's set.
 */
export function* lifecycleRecords(cmds: readonly Cmd[], live: () => LiveOrder[], o: LifecycleOptions, table?: () => TableSlot[]): Generator<BookInput> {
  let next = 1000n;
  let last = -1n;
  let chain = -1n;
  let seq = 0n;
  // A new reference: a live one (dup 0); one in the set of `own` (a replace's old order, dup 1..2)
  // or of a live order (dup 3, and 1..2 for adds); else the next one.
  const fresh = (c: Cmd, orders: LiveOrder[], own?: LiveOrder): bigint => {
    if (c.dup === 0 && orders.length) return orders[c.pick % orders.length]!.ref;
    if (c.dup === 3 && own && table) {
      const slots = table();
      const mine = slots.find((x) => x.order.ref === own.ref);
      const inSet = (set: number) => slots.filter((x) => x.set === set);
      const others = slots.filter((x) => mine && x.set !== mine.set);
      const want = c.pick % 3 === 0
        ? others.filter((x) => inSet(x.set).length >= 2)
        : others.filter((x) => inSet(x.set).length === 1 && x.way !== mine!.way);
      if (want.length) return want[c.pick % want.length]!.order.ref + BigInt(o.sets) * (next += 7n);
    }
    const near = own && c.dup <= 2 ? own : orders[c.pick % Math.max(1, orders.length)];
    if (c.dup <= 3 && near) return near.ref + BigInt(o.sets) * (next += 7n);
    return next++;
  };
  for (const c of cmds) {
    const orders = live();
    const base: BookInput = { type: ch(c.k), locate: 0, timestamp: 34_200_000_000_000n + seq * 7n, sequence: ++seq, orderRef: 0n, newOrderRef: 0n, side: 0, shares: 0, price: 0, executedShares: 0, canceledShares: 0 };
    const [w0, w1] = o.watched;
    const locOf = (own: number | undefined): number => (c.loc === 8 ? o.unwatched : c.loc === 9 && own !== undefined ? (own === w0 ? w1 : w0) : own ?? o.watched[c.loc % 2]!);
    if (c.k === "A" || c.k === "F" || c.k === "P") {
      const side = c.side === 20 ? ch("X") : c.side % 2 ? SELL : BUY;
      const ref = fresh(c, orders);
      last = ref;
      const at = c.shares > 0xf000_0000 ? 0 : c.price + SPREAD * (c.pick % 2); // huge orders share one level: overflow
      yield { ...base, locate: locOf(undefined), orderRef: ref, side, shares: c.shares, price: side === BUY ? 1000 + at : 1010 + at };
      continue;
    }
    // E C X D U: aim at an order.
    const { t, ref } = aimAt(c, orders, last, chain);
    const have = t?.shares ?? 100;
    // "over" is more than is left, within u32 (an order of 2^32−1 shares takes all).
    const n = c.amount === "zero" ? 0 : c.amount === "all" ? have : c.amount === "over" ? Math.min(0xffff_ffff, have + 1 + (c.pick % 50)) : Math.max(1, Math.floor(have / 2));
    const r = { ...base, locate: locOf(t?.locate), orderRef: ref };
    if (c.k === "E" || c.k === "C") yield { ...r, executedShares: n };
    else if (c.k === "X") yield { ...r, canceledShares: n };
    else if (c.k === "D") yield r;
    else {
      const nref = fresh(c, orders, t);
      if (ref === chain || ref === last) chain = nref;
      last = nref;
      const at = c.shares > 0xf000_0000 ? 0 : c.price + SPREAD * (c.pick % 2);
      yield { ...r, newOrderRef: nref, shares: c.shares, price: (t?.side ?? BUY) === BUY ? 1000 + at : 1010 + at };
      continue;
    }
    last = ref;
  }
}

/**
 * The order an E C X D U command aims at among the live orders (the last one touched, the replace
 * chain's, any, the best, a deep one) and the reference it names (an unknown one for "unknown").
 */
export function aimAt(c: Pick<Cmd, "target" | "pick">, orders: LiveOrder[], last: bigint, chain: bigint): { t: LiveOrder | undefined; ref: bigint } {
  const byPrice = (x: { price: number; side: number }) => (x.side === BUY ? -x.price : x.price);
  const sorted = [...orders].sort((a, b) => byPrice(a) - byPrice(b));
  let t = orders.find((x) => x.ref === (c.target === "chain" ? chain : last));
  if (c.target === "live" || !t) t = orders[c.pick % Math.max(1, orders.length)];
  if (c.target === "best") t = sorted[0];
  if (c.target === "deep") t = sorted[Math.min(sorted.length - 1, TOP + (c.pick % 4))];
  return { t, ref: c.target === "unknown" || !t ? 5n + BigInt(c.pick) : t.ref };
}

/** Tallies of the hard cases seen in lifecycles. */
export class Coverage {
  readonly n: Record<string, number> = { consecutive: 0, chain3: 0, toZero: 0, refilled: 0, deepUp: 0, replaceSameSet: 0, replaceOtherSet: 0 };
  private prevRef = -1n;
  private readonly chainLen = new Map<bigint, number>();
  private readonly emptied = new Set<string>();
  private before: ReturnType<typeof levelsOf> = [];
  private wasLive: LiveOrder | undefined;
  private side = BUY;
  constructor(private readonly sets: number) {}

  /** Start of a new lifecycle (fresh book). */
  reset(): void {
    this.prevRef = -1n;
    this.chainLen.clear();
    this.emptied.clear();
  }
  /** Before the record is applied to the model. */
  pre(r: BookInput, live: Map<bigint, LiveOrder>): void {
    this.side = r.type === ch("A") || r.type === ch("F") ? r.side : live.get(r.orderRef)?.side ?? BUY;
    this.wasLive = live.get(r.orderRef);
    this.before = levelsOf(live.values(), r.locate, this.side);
  }
  /** After it is applied. */
  post(r: BookInput, live: Map<bigint, LiveOrder>): void {
    const n = this.n;
    const after = levelsOf(live.values(), r.locate, this.side);
    if (r.orderRef === this.prevRef && this.wasLive) n.consecutive!++;
    this.prevRef = r.type === ch("U") ? r.newOrderRef : r.orderRef;
    if (r.type === ch("U") && this.wasLive && live.has(r.newOrderRef)) {
      const len = (this.chainLen.get(r.orderRef) ?? 1) + 1;
      this.chainLen.set(r.newOrderRef, len);
      if (len === 3) n.chain3!++;
      const same = r.orderRef % BigInt(this.sets) === r.newOrderRef % BigInt(this.sets);
      n[same ? "replaceSameSet" : "replaceOtherSet"]!++;
    }
    if (this.wasLive && !live.has(r.orderRef) && "ECX".includes(String.fromCharCode(r.type))) n.toZero!++;
    const key = (p: number) => `${r.locate}/${this.side}/${p}`;
    for (const l of this.before) if (!after.some((a) => a.price === l.price)) this.emptied.add(key(l.price));
    for (const l of after) if (!this.before.some((b) => b.price === l.price) && this.emptied.has(key(l.price))) n.refilled!++;
    const wasDeep = new Set(this.before.slice(TOP).map((l) => l.price));
    if (after.slice(0, TOP).some((l) => wasDeep.has(l.price))) n.deepUp!++;
  }
  /**
   * Before a record, with the model's table (set, way, order): where a U's new order must go when
   * its set is another one — a full set, a set whose only free way is the old order's (both
   * tableFull with way memories), or a set with another free way.
   */
  ways(r: BookInput, slots: { set: number; way: number; order: LiveOrder }[], ways: number): void {
    if (r.type !== ch("U") || r.shares === 0) return;
    const old = slots.find((x) => x.order.ref === r.orderRef);
    if (!old || old.order.locate !== r.locate || slots.some((x) => x.order.ref === r.newOrderRef && x.order.ref !== r.orderRef)) return;
    const set = Number(r.newOrderRef % BigInt(this.sets));
    if (set === old.set) return;
    const taken = slots.filter((x) => x.set === set).map((x) => x.way);
    const free = Array.from({ length: ways }, (_, w) => w).filter((w) => !taken.includes(w));
    const k = free.length === 0 ? "uOtherSetFull" : free.every((w) => w === old.way) ? "uOnlyOldWay" : "uOtherSetFree";
    this.n[k] = (this.n[k] ?? 0) + 1;
  }
  /** The outcome counters of a finished lifecycle. */
  addCounters(c: Record<string, number>): void {
    for (const [k, v] of Object.entries(c)) if (k !== "records" && k !== "updates") this.n[k] = (this.n[k] ?? 0) + v;
  }
}
