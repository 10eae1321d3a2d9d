// Property tests of the reference order book (test/reference-book/book.ts) on random order
// lifecycles (fast-check, fixed seeds): every record's update (or none) and the final book equal a
// brute-force model (test/reference-book/brute.ts) that recomputes every level and the top 8 from
// the live-order table. The generator aims at the hard cases and the test counts that they occur:
// the same order touched on consecutive records, replace chains, executions and cancels down to
// zero, levels emptying and refilling, deeper levels moving into the top 8; and at the bad input:
// duplicate adds, unknown references, over-executions, zero shares, bad sides, a locate that is not
// the order's, unwatched symbols; with a bounded table too, and with way memories (the new order of
// a U steered into full and partly full sets; the table's every (set, way) entry compared after
// every record). Then the documented outcomes one by one.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BUY, MAX_LEVEL_ORDERS, ReferenceBook, SELL, TOP, type BookCapacity, type BookInput } from "./reference-book/book.js";
import { BruteBook, bookInvariants, levelsOf } from "./reference-book/brute.js";
import { aimAt, cmdModel } from "./reference-book/lifecycles.js";

const FULL = !!process.env.TSFPGA_TEST_FULL;
const WATCHED = [10, 11]; // and 12, which is not watched
const ch = (c: string): number => c.charCodeAt(0);

const cmdArb = fc.record(cmdModel);
/** With way memories, `aim` also steers a U's new reference: 0 the next one, 1 into another set whose
 * only free way is the old order's, 2 into another full set, 3 into another set with another free
 * way, 4 into the old order's set. */
const wayCmdArb = fc.record({ ...cmdModel, aim: fc.nat(4) });
type Cmd = (typeof cmdArb extends fc.Arbitrary<infer T> ? T : never) & { aim?: number };

interface Coverage {
  consecutive: number;
  chain3: number;
  toZero: number;
  refilled: number;
  deepUp: number;
  [k: string]: number;
}

/** With way memories: what a U's new order found in its set (tallied and checked in `check`). */
function tallyWays(r: BookInput, brute: BruteBook, cap: BookCapacity, cov: Coverage): (tableFull: boolean) => void {
  const none = (): void => {};
  if (!cap.wayMemories || r.type !== ch("U")) return none;
  const o = brute.orders.get(r.orderRef);
  if (!o || o.locate !== r.locate || r.shares === 0 || (r.newOrderRef !== r.orderRef && brute.orders.has(r.newOrderRef))) return none;
  if (brute.setOf(r.newOrderRef) === brute.setOf(r.orderRef)) {
    cov.uSameSet++;
    return (full) => expect(full, "a U into its own set always has room").toBe(false);
  }
  const free = brute.freeWays(r.newOrderRef), oldWay = brute.way.get(r.orderRef)!;
  cov.uOtherSet++;
  if (free.length === 0) {
    cov.uOtherSetFull++;
    return (full) => expect(full, "a U into a full set").toBe(true);
  }
  if (free.every((w) => w === oldWay)) {
    cov.uOnlyOldWay++;
    return (full) => expect(full, "a U into another set whose only free way is the old order's").toBe(true);
  }
  cov.uOtherWay++;
  return (full) => expect(full, "a U into another set with another free way").toBe(false);
}

/** Turns abstract commands into feed records, aimed using the brute model's live orders. */
function records(cmds: Cmd[], brute: BruteBook, cap: BookCapacity): Generator<BookInput> {
  return (function* () {
    let next = 1000n;
    let last = -1n;
    let chain = -1n;
    let seq = 0n;
    for (const c of cmds) {
      const live = [...brute.orders.values()];
      const base: BookInput = { type: ch(c.k), locate: 0, timestamp: 34_200_000_000_000n + seq * 7n, sequence: ++seq, orderRef: 0n, newOrderRef: 0n, side: 0, shares: 0, price: 0, executedShares: 0, canceledShares: 0 };
      const locOf = (own: number | undefined): number => (c.loc === 8 ? 12 : c.loc === 9 && own !== undefined ? (own === 10 ? 11 : 10) : own ?? WATCHED[c.loc % 2]!);
      if (c.k === "A" || c.k === "F" || c.k === "P") {
        const side = c.side === 20 ? ch("X") : c.side % 2 ? SELL : BUY;
        const ref = c.dup === 0 && live.length ? live[c.pick % live.length]!.ref : next++;
        last = ref;
        const at = c.shares > 0xf000_0000 ? 0 : c.price; // huge orders share one level: overflow
        yield { ...base, locate: locOf(undefined), orderRef: ref, side, shares: c.shares, price: side === BUY ? 1000 + at : 1010 + at };
        continue;
      }
      // E C X D U: aim at an order.
      const { t: o, ref } = aimAt(c, live, last, chain);
      const have = o?.shares ?? 100;
      const n = c.amount === "zero" ? 0 : c.amount === "all" ? have : c.amount === "over" ? have + 1 + (c.pick % 50) : Math.max(1, Math.floor(have / 2));
      const r = { ...base, locate: locOf(o?.locate), orderRef: ref };
      if (c.k === "E" || c.k === "C") yield { ...r, executedShares: n };
      else if (c.k === "X") yield { ...r, canceledShares: n };
      else if (c.k === "D") yield r;
      else {
        let nref = c.dup === 0 && live.length ? live[c.pick % live.length]!.ref : next++;
        if (c.dup !== 0 && c.aim && cap.wayMemories && o) {
          // A fresh reference in a set chosen by what its ways hold, relative to the old order.
          const sets = 1 << cap.indexBits!;
          const oldSet = brute.setOf(o.ref), oldWay = brute.way.get(o.ref)!;
          const fits = (s: number): boolean => {
            const free = brute.freeWays(BigInt(s));
            if (c.aim === 4) return s === oldSet;
            if (s === oldSet) return false;
            if (c.aim === 1) return free.length === 1 && free[0] === oldWay;
            if (c.aim === 2) return free.length === 0;
            return free.some((w) => w !== oldWay);
          };
          const pool = Array.from({ length: sets }, (_, s) => s).filter(fits);
          if (pool.length) {
            const s = pool[c.pick % pool.length]!;
            nref = next + BigInt((s - Number(next % BigInt(sets)) + sets) % sets);
            next = nref + 1n;
          }
        }
        if (ref === chain || ref === last) chain = nref;
        last = nref;
        const at = c.shares > 0xf000_0000 ? 0 : c.price;
        yield { ...r, newOrderRef: nref, shares: c.shares, price: (o?.side ?? BUY) === BUY ? 1000 + at : 1010 + at };
        continue;
      }
      last = ref;
    }
  })();
}

const nonZero = (o: object): Record<string, number> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0));

/** Runs one lifecycle through both models and tallies the hard cases it contained. */
function check(cmds: Cmd[], cap: BookCapacity, cov: Coverage): void {
  const brute = new BruteBook(WATCHED, cap);
  const book = new ReferenceBook(WATCHED, cap);
  let prevRef = -1n;
  const chainLen = new Map<bigint, number>();
  const emptied = new Set<string>();
  for (const r of records(cmds, brute, cap)) {
    const side = r.type === ch("A") || r.type === ch("F") ? r.side : brute.orders.get(r.orderRef)?.side ?? BUY;
    const wasLive = brute.orders.get(r.orderRef);
    const before = levelsOf(brute.orders.values(), r.locate, side);
    const fullBefore = book.counters.tableFull;
    const wayCase = tallyWays(r, brute, cap, cov);
    const want = brute.apply(r);
    const got = book.apply(r);
    expect(got).toEqual(want);
    if (cap.wayMemories) {
      expect(book.tableSlots()).toEqual(brute.slots());
      wayCase(book.counters.tableFull > fullBefore);
    }
    // Tally the hard cases.
    const after = levelsOf(brute.orders.values(), r.locate, side);
    if (r.orderRef === prevRef && wasLive) cov.consecutive++;
    prevRef = r.type === ch("U") ? r.newOrderRef : r.orderRef;
    if (r.type === ch("U") && wasLive && brute.orders.has(r.newOrderRef)) {
      const n = (chainLen.get(r.orderRef) ?? 1) + 1;
      chainLen.set(r.newOrderRef, n);
      if (n === 3) cov.chain3++;
    }
    if (wasLive && !brute.orders.has(r.orderRef) && "ECX".includes(String.fromCharCode(r.type))) cov.toZero++;
    const key = (p: number) => `${r.locate}/${side}/${p}`;
    for (const l of before) if (!after.some((a) => a.price === l.price)) emptied.add(key(l.price));
    for (const l of after) if (!before.some((b) => b.price === l.price) && emptied.has(key(l.price))) cov.refilled++;
    const wasDeep = new Set(before.slice(TOP).map((l) => l.price));
    if (after.slice(0, TOP).some((l) => wasDeep.has(l.price))) cov.deepUp++;
    cov[`type ${String.fromCharCode(r.type)}`] = (cov[`type ${String.fromCharCode(r.type)}`] ?? 0) + 1;
  }
  expect(nonZero(book.counters)).toEqual(brute.counters);
  expect(bookInvariants(book)).toEqual([]);
  for (const l of WATCHED) for (const s of [BUY, SELL]) expect(book.levels(l, s)).toEqual(levelsOf(brute.orders.values(), l, s));
  const sortRefs = (xs: { ref: bigint }[]) => xs.sort((a, b) => (a.ref < b.ref ? -1 : 1));
  expect(sortRefs([...book.liveOrders()])).toEqual(sortRefs([...brute.orders.values()]));
  for (const [k, v] of Object.entries(book.counters)) if (k !== "records" && k !== "updates" && !k.startsWith("over") && !k.startsWith("added")) cov[k] = (cov[k] ?? 0) + v;
}

describe("reference book: random order lifecycles against the brute-force model", () => {
  for (const [name, cap, seed] of [
    ["unbounded", {}, 20261130],
    ["bounded: 32 sets × 2 ways, 10 levels a side", { indexBits: 5, ways: 2, levelsPerSide: 10 }, 7],
    ["bounded: direct-mapped, 64 sets", { indexBits: 6 }, 11],
    ["way memories: 32 sets × 2 ways, 10 levels a side", { indexBits: 5, ways: 2, levelsPerSide: 10, wayMemories: true }, 13],
    ["way memories, direct-mapped: 64 sets", { indexBits: 6, wayMemories: true }, 17],
  ] as const) {
    it(name, () => {
      const ways = "wayMemories" in cap;
      const cov: Coverage = { consecutive: 0, chain3: 0, toZero: 0, refilled: 0, deepUp: 0, ...(ways ? { uSameSet: 0, uOtherSet: 0, uOtherSetFull: 0, uOnlyOldWay: 0, uOtherWay: 0 } : {}) };
      const gen = ways ? wayCmdArb : cmdArb;
      fc.assert(fc.property(fc.array(gen, { minLength: 150, maxLength: 400, size: "max" }), (cmds) => check(cmds, cap, cov)), { seed, numRuns: FULL ? 600 : 60 });
      console.log(`reference-book-props (${name}): ${JSON.stringify(cov)}`);
      // The hard cases happened, many times each.
      // (Direct-mapped with way memories, every U into another set removes an order and stores
      // none, so the sides stay too thin for deeper levels to move up often: deepUp is not required.)
      const directWays = ways && !("ways" in cap);
      for (const k of ["consecutive", "chain3", "toZero", "refilled", ...(directWays ? [] : ["deepUp"]), "duplicateAdd", "unknownRef", "zeroShares", "badSide", "locateMismatch", "notWatched", "otherTypes", "levelOverflow"]) {
        expect(cov[k], k).toBeGreaterThan(10);
      }
      if ("indexBits" in cap) expect(cov.tableFull).toBeGreaterThan(10);
      if ("levelsPerSide" in cap) expect(cov.levelFull).toBeGreaterThan(10);
      if (ways) {
        // A U's new order: into its own set (always room), into another full set, into another set
        // whose only free way is the old order's (tableFull), into another set with another free way.
        expect(cov.uSameSet, "uSameSet").toBeGreaterThan(10);
        expect(cov.uOtherSetFull + cov.uOnlyOldWay, "other set: tableFull").toBeGreaterThan(10);
        if ((cap as BookCapacity).ways === 2) {
          expect(cov.uOnlyOldWay, "uOnlyOldWay").toBeGreaterThan(10);
          expect(cov.uOtherWay, "uOtherWay").toBeGreaterThan(10);
        } else {
          // Direct-mapped: the one way is always the old order's, so every U into another set fails.
          expect(cov.uOtherWay, "uOtherWay").toBe(0);
          expect(cov.uOtherSetFull + cov.uOnlyOldWay).toBe(cov.uOtherSet);
        }
      }
    });
  }
});

describe("reference book: the documented outcomes", () => {
  let seq = 0n;
  const rec = (type: string, o: Partial<BookInput>): BookInput => ({
    type: ch(type), locate: 1, timestamp: 1n, sequence: ++seq, orderRef: 0n, newOrderRef: 0n, side: 0, shares: 0, price: 0, executedShares: 0, canceledShares: 0, ...o,
  });
  const add = (ref: bigint, side: number, price: number, shares: number, locate = 1) => rec("A", { orderRef: ref, side, price, shares, locate });

  it("deep levels move up: deleting the best bid brings the 9th level into the update", () => {
    const b = new ReferenceBook([1]);
    for (let i = 0; i < 10; i++) b.apply(add(BigInt(i + 1), BUY, 100 + i, 10 * (i + 1)));
    expect(b.apply(add(99n, BUY, 90, 5))).toBeUndefined(); // 11th level: no change in the top 8
    const u = b.apply(rec("D", { orderRef: 10n }))!; // the best bid (109)
    expect(u.side).toBe(BUY);
    expect(u.type).toBe(ch("D"));
    expect(u.bidPrice).toEqual([108, 107, 106, 105, 104, 103, 102, 101]);
    expect(u.bidShares).toEqual([90, 80, 70, 60, 50, 40, 30, 20]);
    expect(u.bidOrders).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(u.askPrice).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(b.apply(rec("D", { orderRef: 1n }))).toBeUndefined(); // level 100 is 9th: below the top 8
  });

  it("bad input: each has one outcome and one counter, nothing else changes", () => {
    const b = new ReferenceBook([1, 2]);
    b.apply(add(1n, BUY, 100, 50));
    const snap = () => JSON.stringify([...b.liveOrders()].map((o) => ({ ...o, ref: String(o.ref) })));
    const s0 = snap();
    const same = (r: BookInput, counter: string) => {
      const n = (b.counters as unknown as Record<string, number>)[counter]!;
      expect(b.apply(r)).toBeUndefined();
      expect((b.counters as unknown as Record<string, number>)[counter]).toBe(n + 1);
      expect(snap()).toBe(s0);
    };
    same(add(1n, SELL, 200, 7), "duplicateAdd"); // the first order stays
    same(add(2n, ch("?"), 100, 7), "badSide");
    same(add(2n, BUY, 100, 0), "zeroShares");
    same(add(2n, BUY, 100, 7, 3), "notWatched");
    same(rec("E", { orderRef: 77n, executedShares: 1 }), "unknownRef");
    same(rec("U", { orderRef: 77n, newOrderRef: 78n, shares: 5, price: 1 }), "unknownRef");
    same(rec("X", { orderRef: 1n, canceledShares: 0 }), "zeroShares");
    same(rec("D", { orderRef: 1n, locate: 2 }), "locateMismatch");
    same(rec("P", { orderRef: 1n }), "otherTypes");
    // Executing more than is left takes what is left: the order and its level go.
    const u = b.apply(rec("E", { orderRef: 1n, executedShares: 80 }))!;
    expect(u.bidOrders[0]).toBe(0);
    expect([b.counters.executed, b.counters.overExecute]).toEqual([1, 1]);
    expect([...b.liveOrders()]).toEqual([]);
    // A replace whose new reference is live removes the old order and stores nothing.
    b.apply(add(3n, BUY, 100, 10));
    b.apply(add(4n, BUY, 101, 10));
    b.apply(rec("U", { orderRef: 3n, newOrderRef: 4n, shares: 5, price: 102 }));
    expect([...b.liveOrders()].map((o) => o.ref)).toEqual([4n]);
    expect(b.counters.duplicateAdd).toBe(2);
  });

  it("a replace keeps side and symbol, moves to the new price and shares; an X to zero deletes", () => {
    const b = new ReferenceBook([1]);
    b.apply(add(1n, SELL, 100, 50));
    const u = b.apply(rec("U", { orderRef: 1n, newOrderRef: 2n, shares: 30, price: 99 }))!;
    expect([u.side, u.askPrice[0], u.askShares[0], u.askOrders[0], u.askOrders[1]]).toEqual([SELL, 99, 30, 1, 0]);
    expect(b.apply(rec("X", { orderRef: 2n, canceledShares: 30 }))!.askOrders[0]).toBe(0);
    expect([b.counters.replaced, b.counters.canceled, b.counters.overCancel]).toEqual([1, 1, 0]);
  });

  it("bounded table: a colliding add is rejected and counted; the order in its set is untouched", () => {
    const b = new ReferenceBook([1], { indexBits: 4, ways: 1 });
    b.apply(add(5n, BUY, 100, 10));
    expect(b.apply(add(5n + 16n, BUY, 101, 10))).toBeUndefined();
    expect(b.counters.tableFull).toBe(1);
    expect(b.apply(rec("E", { orderRef: 21n, executedShares: 10 }))).toBeUndefined(); // the rejected order is unknown
    expect(b.counters.unknownRef).toBe(1);
    expect(b.levels(1, BUY)).toEqual([{ price: 100, shares: 10, orders: 1 }]);
    b.apply(rec("D", { orderRef: 5n }));
    b.apply(add(21n, BUY, 101, 10)); // the set is free again
    expect(b.counters.added).toBe(2);
  });

  describe("way memories", () => {
    const slots = (b: ReferenceBook) => b.tableSlots().map((t) => [t.set, t.way, t.order.ref]);
    const U = (ref: bigint, nref: bigint, shares = 10, price = 100) => rec("U", { orderRef: ref, newOrderRef: nref, shares, price });

    it("an add takes the lowest free way of its set; a removal frees its way at once", () => {
      const b = new ReferenceBook([1], { indexBits: 4, ways: 3, wayMemories: true });
      for (const ref of [5n, 21n, 37n, 6n]) b.apply(add(ref, BUY, 100, 10)); // 5, 21, 37 in set 5
      expect(slots(b)).toEqual([[5, 0, 5n], [5, 1, 21n], [5, 2, 37n], [6, 0, 6n]]);
      expect(b.apply(add(53n, BUY, 100, 10))).toBeUndefined(); // set 5 is full
      expect(b.counters.tableFull).toBe(1);
      b.apply(rec("X", { orderRef: 21n, canceledShares: 10 })); // way 1 is free at once
      b.apply(add(53n, BUY, 100, 10));
      expect(slots(b)).toEqual([[5, 0, 5n], [5, 1, 53n], [5, 2, 37n], [6, 0, 6n]]);
      expect(b.tableSlots()[1]!.order).toEqual({ ref: 53n, locate: 1, side: BUY, price: 100, shares: 10 });
      expect(bookInvariants(b)).toEqual([]);
    });

    it("a U into its own set always finds room: the lowest free way, the old order's way included", () => {
      const b = new ReferenceBook([1], { indexBits: 4, ways: 2, wayMemories: true });
      b.apply(add(5n, BUY, 100, 10));
      b.apply(add(21n, BUY, 100, 10));
      b.apply(U(21n, 37n)); // set 5 was full; 21 leaves way 1, 37 takes it
      expect(slots(b)).toEqual([[5, 0, 5n], [5, 1, 37n]]);
      b.apply(rec("D", { orderRef: 5n }));
      b.apply(U(37n, 53n)); // ways 0 and 1 free: the lowest
      expect(slots(b)).toEqual([[5, 0, 53n]]);
      expect([b.counters.replaced, b.counters.tableFull]).toEqual([2, 0]);
    });

    it("a U into another set cannot take the old order's way number there", () => {
      const b = new ReferenceBook([1], { indexBits: 4, ways: 2, wayMemories: true });
      b.apply(add(5n, BUY, 100, 10)); // set 5 way 0
      b.apply(U(5n, 6n)); // set 6 is empty, but way 0 is the old order's: way 1
      expect(slots(b)).toEqual([[6, 1, 6n]]);
      b.apply(add(22n, BUY, 100, 10)); // set 6 way 0
      b.apply(add(7n, BUY, 100, 10)); // set 7 way 0
      const u = b.apply(U(22n, 23n, 15))!; // 22 is in way 0; set 7's only free way is 1: stored there
      expect(u.bidShares[0]).toBe(35);
      expect(slots(b)).toEqual([[6, 1, 6n], [7, 0, 7n], [7, 1, 23n]]);
      b.apply(add(8n, BUY, 100, 10)); // set 8 way 0
      b.apply(add(38n, BUY, 100, 10)); // set 6 way 0
      // 6 is in way 1 of set 6; set 8's only free way is 1: tableFull, and the old order stays removed.
      expect(b.apply(U(6n, 24n))!.bidShares[0]).toBe(45);
      expect([b.counters.replaced, b.counters.tableFull]).toEqual([2, 1]);
      expect(slots(b)).toEqual([[6, 0, 38n], [7, 0, 7n], [7, 1, 23n], [8, 0, 8n]]);
      expect(b.apply(rec("D", { orderRef: 24n }))).toBeUndefined();
      expect(b.counters.unknownRef).toBe(1);
      // Without way memories the same records store the new order (set 8 has a free entry).
      const plain = new ReferenceBook([1], { indexBits: 4, ways: 2 });
      for (const r of [add(5n, BUY, 100, 10), U(5n, 6n), add(22n, BUY, 100, 10), add(7n, BUY, 100, 10), U(22n, 23n), add(8n, BUY, 100, 10), add(38n, BUY, 100, 10), U(6n, 24n)]) plain.apply(r);
      expect([plain.counters.replaced, plain.counters.tableFull]).toEqual([3, 0]);
      expect(bookInvariants(b)).toEqual([]);
    });

    it("the add checks keep their order: zero shares and a duplicate come before the table", () => {
      const b = new ReferenceBook([1], { indexBits: 4, ways: 1, wayMemories: true, levelsPerSide: 1 });
      b.apply(add(5n, BUY, 100, 10));
      b.apply(add(6n, BUY, 100, 10));
      b.apply(U(5n, 7n, 0)); // set 7's only way is the old order's, but zero shares is checked first
      b.apply(add(8n, BUY, 100, 10));
      b.apply(U(8n, 6n)); // 6 is live: a duplicate, whatever the table
      b.apply(add(9n, BUY, 100, 10));
      b.apply(U(9n, 41n, 10, 101)); // set 9, own set: room; a second level is levelFull
      expect([b.counters.zeroShares, b.counters.duplicateAdd, b.counters.levelFull, b.counters.tableFull]).toEqual([1, 1, 1, 0]);
      expect(slots(b)).toEqual([[6, 0, 6n]]);
    });

    it("direct-mapped: a U into another set is always tableFull, into its own set always stored", () => {
      const b = new ReferenceBook([1], { indexBits: 4, wayMemories: true });
      b.apply(add(5n, BUY, 100, 10));
      b.apply(U(5n, 6n)); // set 6 is empty, but its one way is the old order's way number
      expect([b.counters.replaced, b.counters.tableFull, [...b.liveOrders()].length]).toEqual([0, 1, 0]);
      b.apply(add(7n, SELL, 100, 10));
      b.apply(U(7n, 23n));
      expect(slots(b)).toEqual([[7, 0, 23n]]);
      expect(b.counters.replaced).toBe(1);
    });

    it("configuration: wayMemories needs indexBits; tableSlots needs wayMemories", () => {
      expect(() => new ReferenceBook([1], { wayMemories: true })).toThrow(/wayMemories needs indexBits/);
      expect(() => new ReferenceBook([1], { indexBits: 4 }).tableSlots()).toThrow(/not built with wayMemories/);
    });
  });

  it("level totals past u32 shares or u16 orders are rejected as levelOverflow", () => {
    const b = new ReferenceBook([1]);
    b.apply(add(1n, BUY, 100, 0xffff_fff0));
    expect(b.apply(add(2n, BUY, 100, 0x10))).toBeUndefined();
    expect(b.counters.levelOverflow).toBe(1);
    for (let i = 0; i < MAX_LEVEL_ORDERS; i++) b.apply(add(1000n + BigInt(i), SELL, 200, 1));
    expect(b.levels(1, SELL)).toEqual([{ price: 200, shares: MAX_LEVEL_ORDERS, orders: MAX_LEVEL_ORDERS }]);
    expect(b.apply(add(5n, SELL, 200, 1))).toBeUndefined();
    expect(b.counters.levelOverflow).toBe(2);
  });

  it("configuration: a watchlist longer than the book's symbols is an error", () => {
    expect(() => new ReferenceBook([1, 2, 3], { symbols: 2 })).toThrow(/3 symbols for a book of 2/);
    expect(() => new ReferenceBook([70000])).toThrow(/not a u16/);
  });
});
