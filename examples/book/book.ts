// The price-level order book (docs/book.md; contract in docs/order-book.md): a kernel that takes the
// feed handler's ItchRecord stream (examples/itch/feed.ts) and keeps, for a run-time watchlist of up
// to 64 stock locates, every live order and the price levels of each side, and emits a BookUpdate
// (the whole top 8 of both sides) whenever a record changes the best 8 levels of a side. One record
// per step, one step per cycle. The live-order table is 2^10 sets x 2 ways kept in block RAM, one
// memory per way and a second copy of each for a second read port, so that a U (replace) reads the
// old order's set and the new order's set in one step and writes each way memory at most once. The
// levels of a side (16 per side, best first) are one entry of a memory indexed by watchlist slot.
import { u4, u6, u8, u10, u16, u32, u48, u64, bits, fill, mem, kernel, pipeline, type Mem, type Step, type Vec } from "tsfpga";
import { feed, type ItchRecord } from "../itch/feed.js";

/** Run-time watchlist: slots 0…watchCount−1 of `watch` are the watched stock locates (first match wins). */
export interface BookConfig { watch: Vec<u16, 64>; watchCount: u8 }

/** One side's price levels, best first (bids from the highest price, asks from the lowest); an empty level is all zero. */
export interface Levels { price: Vec<u32, 16>; shares: Vec<u32, 16>; orders: Vec<u16, 16> }

/** A live order (or a free entry, `live` false) in one way of one set of the order table. */
export interface OrderEntry { live: boolean; ref: u64; locate: u16; buy: boolean; price: u32; shares: u32 }

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
  /** The order table: way 0 and way 1 of set orderRef mod 1024; the "b" memories are copies of the "a" ones. */
  way0a: Mem<OrderEntry, 1024>;
  way1a: Mem<OrderEntry, 1024>;
  way0b: Mem<OrderEntry, 1024>;
  way1b: Mem<OrderEntry, 1024>;
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
const NO_ORDER: OrderEntry = { live: false, ref: u64(0), locate: u16(0), buy: false, price: u32(0), shares: u32(0) };

const BOOK_INIT: BookState = {
  stats: {
    records: u32(0), otherTypes: u32(0), notWatched: u32(0), added: u32(0), executed: u32(0), canceled: u32(0),
    deleted: u32(0), replaced: u32(0), unknownRef: u32(0), locateMismatch: u32(0), badSide: u32(0), zeroShares: u32(0),
    duplicateAdd: u32(0), tableFull: u32(0), levelFull: u32(0), levelOverflow: u32(0), overExecute: u32(0),
    overCancel: u32(0), addedBuy: u32(0), addedSell: u32(0), updates: u32(0),
  },
  bids: mem(64, NO_LEVELS),
  asks: mem(64, NO_LEVELS),
  way0a: mem(1024, NO_ORDER),
  way1a: mem(1024, NO_ORDER),
  way0b: mem(1024, NO_ORDER),
  way1b: mem(1024, NO_ORDER),
};

// ---- Price levels ---------------------------------------------------------------------------------

// Is price a strictly better than price b on this side?
function better(a: u32, b: u32, buy: boolean): boolean {
  return buy ? a > b : a < b;
}

// The index of the level at `price` (hit false: none).
interface Found { hit: boolean; at: u4 }
function findLevel(l: Levels, price: u32): Found {
  let hit = false;
  let at = u4(0);
  for (let i = 0; i < 16; i++) {
    if (l.orders[i] !== 0 && l.price[i] === price) {
      hit = true;
      at = u4(i);
    }
  }
  return { hit, at };
}

// One more order of `shares` at `price`: its level grows, or a new level is inserted in price order
// (the caller has checked that a new level fits and that the totals do not overflow).
function addOrder(l: Levels, price: u32, shares: u32, buy: boolean): Levels {
  const f = findLevel(l, price);
  const n: Levels = { price: fill(16, u32(0)), shares: fill(16, u32(0)), orders: fill(16, u16(0)) };
  // Levels strictly better than the new price stay; the rest move down one place.
  for (let i = 0; i < 16; i++) {
    const keep = l.orders[i] !== 0 && better(l.price[i], price, buy);
    const prevKeep = i > 0 && l.orders[i - 1] !== 0 && better(l.price[i - 1], price, buy);
    if (f.hit) {
      n.price[i] = l.price[i];
      n.shares[i] = i === f.at ? u32(l.shares[i] + shares) : l.shares[i];
      n.orders[i] = i === f.at ? u16(l.orders[i] + 1) : l.orders[i];
    } else if (keep) {
      n.price[i] = l.price[i]; n.shares[i] = l.shares[i]; n.orders[i] = l.orders[i];
    } else if (i === 0 || prevKeep) {
      n.price[i] = price; n.shares[i] = shares; n.orders[i] = u16(1);
    } else {
      n.price[i] = l.price[i - 1]; n.shares[i] = l.shares[i - 1]; n.orders[i] = l.orders[i - 1];
    }
  }
  return n;
}

// `shares` fewer at `price` (which holds the order), and one order fewer when `gone`; a level left
// with no orders is removed and the deeper levels move up one place.
function takeOrder(l: Levels, price: u32, shares: u32, gone: boolean): Levels {
  const f = findLevel(l, price);
  const empties = gone && l.orders[f.at] === 1;
  const n: Levels = { price: fill(16, u32(0)), shares: fill(16, u32(0)), orders: fill(16, u16(0)) };
  for (let i = 0; i < 16; i++) {
    if (empties && i >= f.at) {
      if (i < 15) {
        n.price[i] = l.price[i + 1]; n.shares[i] = l.shares[i + 1]; n.orders[i] = l.orders[i + 1];
      }
    } else {
      n.price[i] = l.price[i];
      n.shares[i] = i === f.at ? u32(l.shares[i] - shares) : l.shares[i];
      n.orders[i] = i === f.at && gone ? u16(l.orders[i] - 1) : l.orders[i];
    }
  }
  return n;
}

// Do two sides differ in their best 8 levels?
function topChanged(a: Levels, b: Levels): boolean {
  let d = false;
  for (let i = 0; i < 8; i++) {
    if (a.price[i] !== b.price[i] || a.shares[i] !== b.shares[i] || a.orders[i] !== b.orders[i]) d = true;
  }
  return d;
}

// What an add would meet on a side: 0 it fits, 1 a new level and the side is full, 2 a total overflows.
function addCheck(l: Levels, price: u32, shares: u32): u8 {
  const f = findLevel(l, price);
  if (!f.hit) return l.orders[15] !== 0 ? u8(1) : u8(0);
  const at = f.at;
  if (l.shares[at] + shares > 0xffff_ffff || l.orders[at] === 0xffff) return u8(2);
  return u8(0);
}

// ---- The step -------------------------------------------------------------------------------------

// Outcomes, one per record (docs/order-book.md, "What each record does").
const O_OTHER = 0, O_NOT_WATCHED = 1, O_ADDED = 2, O_EXECUTED = 3, O_CANCELED = 4, O_DELETED = 5, O_REPLACED = 6;
const O_UNKNOWN = 7, O_LOCATE = 8, O_BAD_SIDE = 9, O_ZERO = 10, O_DUPLICATE = 11, O_TABLE_FULL = 12;
const O_LEVEL_FULL = 13, O_OVERFLOW = 14;

function bump(c: u32, hit: boolean): u32 {
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
  const isBook = isAddType || isExec || isCancel || isDelete || isReplace;

  // The watchlist slot of the record's locate (from the input and configuration only: the memory
  // reads below are addressed with it a cycle ahead).
  let watched = false;
  let slot = u6(0);
  for (let i = 0; i < 64; i++) {
    if (i < cfg.watchCount && cfg.watch[i] === r.locate) {
      watched = true;
      slot = u6(i);
      break;
    }
  }
  const oldSet = u10(bits(r.orderRef, 9, 0));
  const newSet = u10(bits(r.newOrderRef, 9, 0));
  const bidsIn = s.bids.get(slot);
  const asksIn = s.asks.get(slot);
  const a0 = s.way0a.get(oldSet);
  const a1 = s.way1a.get(oldSet);
  const b0 = s.way0b.get(newSet);
  const b1 = s.way1b.get(newSet);

  // The order the record names (E C X D U): set orderRef mod 1024, way 0 or 1.
  const hit0 = a0.live && a0.ref === r.orderRef;
  const hit1 = a1.live && a1.ref === r.orderRef;
  const found = hit0 || hit1;
  const o = hit0 ? a0 : a1;
  const oldWay1 = !hit0;

  const buy = isAddType ? r.side === BUY : o.buy;
  const sideIn = buy ? bidsIn : asksIn;

  // Removal part (E C X D, and the old order of U).
  const want = isCancel ? r.canceledShares : isDelete || isReplace ? o.shares : r.executedShares;
  const over = want > o.shares;
  const taken = over ? o.shares : want;
  const left = u32(o.shares - taken);
  const afterTake = takeOrder(sideIn, o.price, taken, left === 0);

  // Add part (A F, and the new order of U): its set, its entries, the base levels it joins.
  const addRef = isReplace ? r.newOrderRef : r.orderRef;
  const addSet = isReplace ? newSet : oldSet;
  const t0 = isReplace ? b0 : a0;
  const t1 = isReplace ? b1 : a1;
  const sameSet = newSet === oldSet;
  // For U, the old order's entry is already free when the sets are equal; when they differ, its
  // way memory takes the removal, so that way is not available in the new set.
  const freedW0 = isReplace && sameSet && !oldWay1;
  const freedW1 = isReplace && sameSet && oldWay1;
  const dup = (t0.live && !freedW0 && t0.ref === addRef) || (t1.live && !freedW1 && t1.ref === addRef);
  const free0 = (!t0.live || freedW0) && !(isReplace && !sameSet && !oldWay1);
  const free1 = (!t1.live || freedW1) && !(isReplace && !sameSet && oldWay1);
  const addWay1 = !free0;
  const addBase = isReplace ? afterTake : sideIn;
  const addPrice = r.price;
  const addShares = r.shares;
  const lvl = addCheck(addBase, addPrice, addShares);

  // The outcome.
  let outcome = O_OTHER;
  if (!isBook) outcome = O_OTHER;
  else if (!watched) outcome = O_NOT_WATCHED;
  else if (isAddType) {
    if (r.side !== BUY && r.side !== SELL) outcome = O_BAD_SIDE;
    else if (addShares === 0) outcome = O_ZERO;
    else if (dup) outcome = O_DUPLICATE;
    else if (!free0 && !free1) outcome = O_TABLE_FULL;
    else if (lvl === 1) outcome = O_LEVEL_FULL;
    else if (lvl === 2) outcome = O_OVERFLOW;
    else outcome = O_ADDED;
  } else if (!found) outcome = O_UNKNOWN;
  else if (o.locate !== r.locate) outcome = O_LOCATE;
  else if ((isExec || isCancel) && want === 0) outcome = O_ZERO;
  else if (isExec) outcome = O_EXECUTED;
  else if (isCancel) outcome = O_CANCELED;
  else if (isDelete) outcome = O_DELETED;
  else if (addShares === 0) outcome = O_ZERO;
  else if (dup) outcome = O_DUPLICATE;
  else if (!free0 && !free1) outcome = O_TABLE_FULL;
  else if (lvl === 1) outcome = O_LEVEL_FULL;
  else if (lvl === 2) outcome = O_OVERFLOW;
  else outcome = O_REPLACED;

  // What changes: the removal applies to every E C X D U past the lookup checks (a U's old order
  // goes whatever follows); the add applies when the order is stored.
  const removes = isBook && !isAddType && watched && found && o.locate === r.locate && !((isExec || isCancel) && want === 0);
  const stores = outcome === O_ADDED || outcome === O_REPLACED;
  const sideOut = stores ? addOrder(addBase, addPrice, addShares, buy) : removes ? afterTake : sideIn;
  const changed = (removes || stores) && topChanged(sideIn, sideOut);

  // Memory writes: the changed side's levels; per way, the new order or the old order's new entry.
  if (removes || stores) {
    if (buy) s.bids.set(slot, sideOut);
    else s.asks.set(slot, sideOut);
  }
  const newEntry: OrderEntry = { live: true, ref: addRef, locate: r.locate, buy, price: addPrice, shares: addShares };
  const oldEntry: OrderEntry = { live: left !== 0 && !isReplace, ref: o.ref, locate: o.locate, buy: o.buy, price: o.price, shares: left };
  const new0 = stores && !addWay1;
  const new1 = stores && addWay1;
  const old0 = removes && !oldWay1;
  const old1 = removes && oldWay1;
  if (new0 || old0) {
    const at = new0 ? addSet : oldSet;
    const e = new0 ? newEntry : oldEntry;
    s.way0a.set(at, e);
    s.way0b.set(at, e);
  }
  if (new1 || old1) {
    const at = new1 ? addSet : oldSet;
    const e = new1 ? newEntry : oldEntry;
    s.way1a.set(at, e);
    s.way1b.set(at, e);
  }

  const c = s.stats;
  const stats: BookStats = {
    records: u32(c.records + 1),
    otherTypes: bump(c.otherTypes, outcome === O_OTHER),
    notWatched: bump(c.notWatched, outcome === O_NOT_WATCHED),
    added: bump(c.added, outcome === O_ADDED),
    executed: bump(c.executed, outcome === O_EXECUTED),
    canceled: bump(c.canceled, outcome === O_CANCELED),
    deleted: bump(c.deleted, outcome === O_DELETED),
    replaced: bump(c.replaced, outcome === O_REPLACED),
    unknownRef: bump(c.unknownRef, outcome === O_UNKNOWN),
    locateMismatch: bump(c.locateMismatch, outcome === O_LOCATE),
    badSide: bump(c.badSide, outcome === O_BAD_SIDE),
    zeroShares: bump(c.zeroShares, outcome === O_ZERO),
    duplicateAdd: bump(c.duplicateAdd, outcome === O_DUPLICATE),
    tableFull: bump(c.tableFull, outcome === O_TABLE_FULL),
    levelFull: bump(c.levelFull, outcome === O_LEVEL_FULL),
    levelOverflow: bump(c.levelOverflow, outcome === O_OVERFLOW),
    overExecute: bump(c.overExecute, outcome === O_EXECUTED && over),
    overCancel: bump(c.overCancel, outcome === O_CANCELED && over),
    addedBuy: bump(c.addedBuy, outcome === O_ADDED && buy),
    addedSell: bump(c.addedSell, outcome === O_ADDED && !buy),
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
