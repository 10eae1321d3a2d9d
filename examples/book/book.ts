// The price-level order book (docs/book.md; contract in docs/order-book.md): a kernel that takes the
// feed handler's ItchRecord stream (examples/itch/feed.ts) and keeps, for a run-time watchlist of up
// to 64 stock locates, every live order and the price levels of each side, and emits a BookUpdate
// (the whole top 8 of both sides) whenever a record changes the best 8 levels of a side. One record
// per step, one step per cycle. The live-order table is 2^12 sets x 2 ways kept in block RAM, one
// memory per way holding what the set number and the watchlist do not imply (the reference's upper
// 52 bits, the watchlist slot instead of the locate), and a narrow second memory per way ({live,
// tag} only) as a second read port, so that a U (replace) reads the old order's set and checks the
// new order's set in one step and writes each way memory at most once. The levels of a side (16 per
// side, best first) are one entry of a memory indexed by watchlist slot.
import { u4, u6, u8, u12, u16, u32, u33, u48, u52, u64, bits, wideBits, fill, mem, kernel, pipeline, type Mem, type Step, type Vec } from "tsfpga";
import { feed, type ItchRecord } from "../itch/feed.js";

/** Run-time watchlist: slots 0…watchCount−1 of `watch` are the watched stock locates (first match wins). */
export interface BookConfig { watch: Vec<u16, 64>; watchCount: u8 }

/** One side's price levels, best first (bids from the highest price, asks from the lowest); an empty level is all zero. */
export interface Levels { price: Vec<u32, 16>; shares: Vec<u32, 16>; orders: Vec<u16, 16> }

/**
 * A live order (or a free entry, `live` false) in one way of one set of the order table: `tag` is
 * the reference's bits 63…12 (bits 11…0 are the set number), `slot` the watchlist slot of its locate
 * (an order is stored only for a watched locate, and a locate has one slot, the first that matches).
 */
export interface OrderEntry { live: boolean; tag: u52; slot: u6; buy: boolean; price: u32; shares: u32 }
/** The part of an entry a U needs from the new reference's set: the second read port's copy. */
export interface OrderTag { live: boolean; tag: u52 }

/** The counters of docs/order-book.md, "Counters", in that order. */
export interface BookStats {
  records: u32; otherTypes: u32; notWatched: u32; added: u32; executed: u32; canceled: u32; deleted: u32; replaced: u32;
  unknownRef: u32; locateMismatch: u32; badSide: u32; zeroShares: u32; duplicateAdd: u32; tableFull: u32; levelFull: u32;
  levelOverflow: u32; overExecute: u32; overCancel: u32; addedBuy: u32; addedSell: u32; updates: u32;
}

export interface BookState {
  stats: BookStats;
  /** Levels per watchlist slot. */
  bids: Mem<Levels, 64>;
  asks: Mem<Levels, 64>;
  /** The order table: way 0 and way 1 of set orderRef mod 4096; the "b" memories copy the "a" ones' `live` and `tag`. */
  way0a: Mem<OrderEntry, 4096>;
  way1a: Mem<OrderEntry, 4096>;
  way0b: Mem<OrderTag, 4096>;
  way1b: Mem<OrderTag, 4096>;
}

/** The book-update record (docs/order-book.md): the input record's identity and the top 8 of both sides after it. */
export interface BookUpdate {
  locate: u16; type: u8; side: u8; timestamp: u48; sequence: u64;
  bidPrice: Vec<u32, 8>; bidShares: Vec<u32, 8>; bidOrders: Vec<u16, 8>;
  askPrice: Vec<u32, 8>; askShares: Vec<u32, 8>; askOrders: Vec<u16, 8>;
}

const BUY = 66;  // 'B'
const SELL = 83; // 'S'

const NO_LEVELS: Levels = { price: fill(16, u32(0)), shares: fill(16, u32(0)), orders: fill(16, u16(0)) };
const NO_ORDER: OrderEntry = { live: false, tag: u52(0), slot: u6(0), buy: false, price: u32(0), shares: u32(0) };
const NO_TAG: OrderTag = { live: false, tag: u52(0) };

const BOOK_INIT: BookState = {
  stats: {
    records: u32(0), otherTypes: u32(0), notWatched: u32(0), added: u32(0), executed: u32(0), canceled: u32(0),
    deleted: u32(0), replaced: u32(0), unknownRef: u32(0), locateMismatch: u32(0), badSide: u32(0), zeroShares: u32(0),
    duplicateAdd: u32(0), tableFull: u32(0), levelFull: u32(0), levelOverflow: u32(0), overExecute: u32(0),
    overCancel: u32(0), addedBuy: u32(0), addedSell: u32(0), updates: u32(0),
  },
  bids: mem(64, NO_LEVELS),
  asks: mem(64, NO_LEVELS),
  way0a: mem(4096, NO_ORDER),
  way1a: mem(4096, NO_ORDER),
  way0b: mem(4096, NO_TAG),
  way1b: mem(4096, NO_TAG),
};

// ---- Price levels ---------------------------------------------------------------------------------
// The step computes every comparison against the levels it read in parallel (both sides, both
// candidate orders), and only then selects: the state update is a few selects deep, not a chain of
// searches (docs/book.md, "Timing").

// The level at `price` on one side: at most one level matches, so the index is an OR of the matches.
interface Found { hit: boolean; at: u4; shares: u32; orders: u16 }
function findLevel(l: Levels, price: u32): Found {
  let hit = false;
  let at = 0;
  let shares = 0;
  let orders = 0;
  for (let i = 0; i < 16; i++) {
    const m = l.orders[i] !== 0 && l.price[i] === price;
    hit = hit || m;
    at = at | (m ? i : 0);
    shares = (shares | (m ? l.shares[i] : 0)) >>> 0;
    orders = orders | (m ? l.orders[i] : 0);
  }
  return { hit, at: u4(at), shares: u32(shares), orders: u16(orders) };
}

// The removal part of a record against one candidate entry of the order table: how many shares
// it takes (all that is left when it asks for more: `over`), what is left, and the level's new total
// (computed for both ways at once).
// `replaced` is the level's total when a U puts `shares` back at the same price (one adder after the
// level search, not a subtraction then an addition).
interface Take { over: boolean; left: u32; gone: boolean; empties: boolean; at: u4; levelShares: u32; replaced: u33 }
function takeFrom(e: OrderEntry, lv: Found, want: u32, shares: u32): Take {
  const over = want > e.shares;
  const gone = want >= e.shares;
  const left = gone ? u32(0) : u32(e.shares - want);
  const levelShares = over ? u32(lv.shares - e.shares) : u32(lv.shares - want);
  const back = shares - e.shares;
  return { over, left, gone, empties: gone && lv.orders === 1, at: lv.at, levelShares, replaced: u33(lv.shares + back) };
}

// Which levels are strictly better than `price` (a prefix of the side, since it is sorted).
function betterThan(l: Levels, price: u32, buy: boolean): Vec<boolean, 16> {
  const k: Vec<boolean, 16> = fill(16, false);
  for (let i = 0; i < 16; i++) k[i] = l.orders[i] !== 0 && (buy ? l.price[i] > price : l.price[i] < price);
  return k;
}

// When `rm`: `shares` fewer at level `at`, and one order fewer when `gone`; when that empties the
// level (`empties`), the deeper levels move up one place. Otherwise the side as it is (the
// condition is folded into each level's select, not a select of the whole side after it).
function takeOrder(l: Levels, rm: boolean, at: u4, levelShares: u32, gone: boolean, empties: boolean): Levels {
  const n: Levels = { price: fill(16, u32(0)), shares: fill(16, u32(0)), orders: fill(16, u16(0)) };
  for (let i = 0; i < 16; i++) {
    const here = rm && i === at;
    if (rm && empties && i >= at) {
      if (i < 15) {
        n.price[i] = l.price[i + 1]; n.shares[i] = l.shares[i + 1]; n.orders[i] = l.orders[i + 1];
      }
    } else {
      n.price[i] = l.price[i];
      n.shares[i] = here ? levelShares : l.shares[i];
      n.orders[i] = here && gone ? u16(l.orders[i] - 1) : l.orders[i];
    }
  }
  return n;
}

// One more order of `shares` at `price`: level `at` grows to `levelShares` and `levelOrders` when
// `hit`, else a new level goes in after the levels marked in `keep` and the rest move down one place
// (the caller has checked that it fits).
function addOrder(l: Levels, keep: Vec<boolean, 16>, hit: boolean, at: u4, price: u32, shares: u32, levelShares: u32, levelOrders: u16): Levels {
  const n: Levels = { price: fill(16, u32(0)), shares: fill(16, u32(0)), orders: fill(16, u16(0)) };
  for (let i = 0; i < 16; i++) {
    if (hit) {
      n.price[i] = l.price[i];
      n.shares[i] = i === at ? levelShares : l.shares[i];
      n.orders[i] = i === at ? levelOrders : l.orders[i];
    } else if (keep[i]) {
      n.price[i] = l.price[i]; n.shares[i] = l.shares[i]; n.orders[i] = l.orders[i];
    } else if (i === 0 || keep[i - 1]) {
      n.price[i] = price; n.shares[i] = shares; n.orders[i] = u16(1);
    } else {
      n.price[i] = l.price[i - 1]; n.shares[i] = l.shares[i - 1]; n.orders[i] = l.orders[i - 1];
    }
  }
  return n;
}

// ---- The step -------------------------------------------------------------------------------------

// The first watchlist slot holding `locate`: the 64 compares at once, then a tree of 2-way picks
// (node k has children 2k+1 and 2k+2, the slots are the leaves 63…126), 6 selects deep rather
// than a chain of 64.
export interface Slot { hit: boolean; slot: u6 }
export function findSlot(cfg: BookConfig, locate: u16): Slot {
  const ok: Vec<boolean, 127> = fill(127, false);
  const at: Vec<u6, 127> = fill(127, u6(0));
  for (let i = 0; i < 64; i++) {
    ok[63 + i] = i < cfg.watchCount && cfg.watch[i] === locate;
    at[63 + i] = u6(i);
  }
  for (let k = 62; k >= 0; k--) {
    ok[k] = ok[2 * k + 1] || ok[2 * k + 2];
    at[k] = ok[2 * k + 1] ? at[2 * k + 1] : at[2 * k + 2];
  }
  return { hit: ok[0], slot: at[0] };
}

/** A counter plus one when `hit` (shared by the kernels after the book). */
export function bump(c: u32, hit: boolean): u32 {
  return hit ? u32(c + 1) : c;
}

function top8(v: Vec<u32, 16>): Vec<u32, 8> {
  return [v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]];
}
function top8o(v: Vec<u16, 16>): Vec<u16, 8> {
  return [v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]];
}

export function bookStep(s: BookState, r: ItchRecord, cfg: BookConfig): Step<BookState, BookUpdate> {
  const t = r.type;
  const isAddType = t === 0x41 || t === 0x46; // A F
  const isExec = t === 0x45 || t === 0x43;    // E C
  const isCancel = t === 0x58;                // X
  const isDelete = t === 0x44;                // D
  const isReplace = t === 0x55;               // U
  const isRemoveType = isExec || isCancel || isDelete || isReplace;
  const isBook = isAddType || isRemoveType;

  // The watchlist slot of the record's locate (from the input and configuration only: the memory
  // reads below are addressed with it a cycle ahead).
  const w = findSlot(cfg, r.locate);
  const watched = w.hit;
  const slot = w.slot;
  const oldSet = u12(bits(r.orderRef, 11, 0));
  const newSet = u12(bits(r.newOrderRef, 11, 0));
  const oldTag = u52(wideBits(r.orderRef, 63, 12));
  const newTag = u52(wideBits(r.newOrderRef, 63, 12));
  const bidsIn = s.bids.get(slot);
  const asksIn = s.asks.get(slot);
  const a0 = s.way0a.get(oldSet);
  const a1 = s.way1a.get(oldSet);
  const b0 = s.way0b.get(newSet);
  const b1 = s.way1b.get(newSet);

  // The order the record names (E C X D U): set orderRef mod 4096, way 0 or 1; its level is looked
  // up for both candidates at once. Its locate is the record's when its slot is the record's.
  const hit0 = a0.live && a0.tag === oldTag;
  const hit1 = a1.live && a1.tag === oldTag;
  const found = hit0 || hit1;
  const o = hit0 ? a0 : a1;
  const oldWay1 = !hit0;
  const lookupOk = found && o.slot === slot;

  const buy = isAddType ? r.side === BUY : o.buy;
  const sideIn = buy ? bidsIn : asksIn;

  // Removal (E C X D, and the old order of U): shares off the order and its level, worked out for
  // both candidate ways at once and then selected.
  const wantIn = isCancel ? r.canceledShares : r.executedShares;
  const wantZero = (isExec || isCancel) && wantIn === 0;
  const whole = isDelete || isReplace;
  const k0 = takeFrom(a0, a0.buy ? findLevel(bidsIn, a0.price) : findLevel(asksIn, a0.price), whole ? a0.shares : wantIn, r.shares);
  const k1 = takeFrom(a1, a1.buy ? findLevel(bidsIn, a1.price) : findLevel(asksIn, a1.price), whole ? a1.shares : wantIn, r.shares);
  const k = hit0 ? k0 : k1;
  const rmAt = k.at;
  const over = k.over;
  const left = k.left;
  const gone = k.gone;
  const empties = k.empties;

  // The add (A F, and the new order of U) against the side it joins: for U that is the side after
  // the removal, whose matches are the read side's shifted where the removal emptied a level.
  const price = r.price;
  const shares = r.shares;
  const addTag = isReplace ? newTag : oldTag;
  const addSet = isReplace ? newSet : oldSet;
  const fB = findLevel(bidsIn, price);
  const fA = findLevel(asksIn, price);
  const fIn = buy ? fB : fA;
  const kB = betterThan(bidsIn, price, true);
  const kA = betterThan(asksIn, price, false);
  const kIn = buy ? kB : kA;
  const shift = isReplace && empties;
  const hitAdd = fIn.hit && !(shift && fIn.at === rmAt);
  const atAdd = u4(shift && fIn.at > rmAt ? fIn.at - 1 : fIn.at);
  const keep: Vec<boolean, 16> = fill(16, false);
  for (let i = 0; i < 16; i++) keep[i] = shift && i >= rmAt ? i < 15 && kIn[i < 15 ? i + 1 : 15] : kIn[i];
  const levelFull = !hitAdd && sideIn.orders[15] !== 0 && !shift;
  const sameLevel = isReplace && fIn.at === rmAt;
  const ordersAt = sameLevel ? u16(fIn.orders - 1) : fIn.orders;
  const addedShares = sameLevel ? k.replaced : u33(fIn.shares + shares);
  const overflow = hitAdd && (addedShares > 0xffff_ffff || ordersAt === 0xffff);

  // Where the new order goes: the lowest free way of its set. For U the old order's entry is free
  // again when the sets are equal; when they differ, its way memory takes the removal, so that way
  // is not available in the new set (docs/order-book.md, "Bounded table").
  const t0: OrderTag = isReplace ? b0 : { live: a0.live, tag: a0.tag };
  const t1: OrderTag = isReplace ? b1 : { live: a1.live, tag: a1.tag };
  const sameSet = newSet === oldSet;
  const freedW0 = isReplace && sameSet && !oldWay1;
  const freedW1 = isReplace && sameSet && oldWay1;
  const dup = (t0.live && !freedW0 && t0.tag === addTag) || (t1.live && !freedW1 && t1.tag === addTag);
  const free0 = (!t0.live || freedW0) && !(isReplace && !sameSet && !oldWay1);
  const free1 = (!t1.live || freedW1) && !(isReplace && !sameSet && oldWay1);
  const room = free0 || free1;

  // The outcome (docs/order-book.md, "What each record does"), as parallel conditions.
  const sideOk = r.side === BUY || r.side === SELL;
  const addTried = watched && ((isAddType && sideOk) || (isReplace && lookupOk));
  const zeroAdd = shares === 0;
  const addOk = !zeroAdd && !dup && room && !levelFull && !overflow;
  const stores = addTried && addOk;
  const removes = watched && isRemoveType && lookupOk && !wantZero;

  // The new side, and whether its best 8 changed: a removal changes the level it touches, an add
  // the level it joins or inserts (inserted at index 8 or deeper when the 8th level is better);
  // a U that puts back the same shares at the same price changes nothing.
  // The removal is folded into the per-level selects (a record that removes nothing leaves
  // `afterTake` equal to the side read), so the add works on `afterTake` for every record, with no
  // select of the whole side between them.
  const afterTake = takeOrder(sideIn, removes, rmAt, k.levelShares, gone, empties);
  const sideOut = stores ? addOrder(afterTake, keep, hitAdd, atAdd, price, shares, u32(addedShares), u16(ordersAt + 1)) : afterTake;
  const takeTop = rmAt < 8;
  const addTop = hitAdd ? atAdd < 8 : !keep[7];
  const noop = isReplace && o.price === price && o.shares === shares;
  const changed = (removes && !stores && takeTop) || (stores && !isReplace && addTop) || (stores && isReplace && !noop && (takeTop || addTop));

  // Memory writes: the changed side's levels; per way, the new order or the old order's new entry.
  if (removes || stores) {
    if (buy) s.bids.set(slot, sideOut);
    else s.asks.set(slot, sideOut);
  }
  const newEntry: OrderEntry = { live: true, tag: addTag, slot, buy, price, shares };
  const oldEntry: OrderEntry = { live: !gone && !isReplace, tag: o.tag, slot: o.slot, buy: o.buy, price: o.price, shares: left };
  const new0 = stores && free0;
  const new1 = stores && !free0;
  const old0 = removes && !oldWay1;
  const old1 = removes && oldWay1;
  if (new0 || old0) {
    const at = new0 ? addSet : oldSet;
    const e = new0 ? newEntry : oldEntry;
    s.way0a.set(at, e);
    s.way0b.set(at, { live: e.live, tag: e.tag });
  }
  if (new1 || old1) {
    const at = new1 ? addSet : oldSet;
    const e = new1 ? newEntry : oldEntry;
    s.way1a.set(at, e);
    s.way1b.set(at, { live: e.live, tag: e.tag });
  }

  const c = s.stats;
  const rmTried = watched && isRemoveType;
  const stats: BookStats = {
    records: u32(c.records + 1),
    otherTypes: bump(c.otherTypes, !isBook),
    notWatched: bump(c.notWatched, isBook && !watched),
    added: bump(c.added, stores && isAddType),
    executed: bump(c.executed, removes && isExec),
    canceled: bump(c.canceled, removes && isCancel),
    deleted: bump(c.deleted, removes && isDelete),
    replaced: bump(c.replaced, stores && isReplace),
    unknownRef: bump(c.unknownRef, rmTried && !found),
    locateMismatch: bump(c.locateMismatch, rmTried && found && !lookupOk),
    badSide: bump(c.badSide, watched && isAddType && !sideOk),
    zeroShares: bump(c.zeroShares, (rmTried && lookupOk && wantZero) || (addTried && zeroAdd)),
    duplicateAdd: bump(c.duplicateAdd, addTried && !zeroAdd && dup),
    tableFull: bump(c.tableFull, addTried && !zeroAdd && !dup && !room),
    levelFull: bump(c.levelFull, addTried && !zeroAdd && !dup && room && levelFull),
    levelOverflow: bump(c.levelOverflow, addTried && !zeroAdd && !dup && room && !levelFull && overflow),
    overExecute: bump(c.overExecute, removes && isExec && over),
    overCancel: bump(c.overCancel, removes && isCancel && over),
    addedBuy: bump(c.addedBuy, stores && isAddType && buy),
    addedSell: bump(c.addedSell, stores && isAddType && !buy),
    updates: bump(c.updates, changed),
  };

  const bidsOut = buy ? sideOut : bidsIn;
  const asksOut = buy ? asksIn : sideOut;
  const out: BookUpdate = {
    locate: r.locate, type: t, side: buy ? u8(BUY) : u8(SELL), timestamp: r.timestamp, sequence: r.sequence,
    bidPrice: top8(bidsOut.price), bidShares: top8(bidsOut.shares), bidOrders: top8o(bidsOut.orders),
    askPrice: top8(asksOut.price), askShares: top8(asksOut.shares), askOrders: top8o(asksOut.orders),
  };
  return {
    state: { stats, bids: s.bids, asks: s.asks, way0a: s.way0a, way1a: s.way1a, way0b: s.way0b, way1b: s.way1b },
    out,
    valid: changed,
  };
}

export const book = kernel(BOOK_INIT, bookStep, { readable: ["stats"] });

/** Feed handler → book: 64-bit beats in, BookUpdate records out. */
export const feedBook = pipeline(feed, book);
