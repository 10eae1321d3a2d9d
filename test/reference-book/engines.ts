/**
 * The dialect book (examples/book/book.ts) against the reference book in every engine: the book's
 * capacity and the reference configured the same way, the watchlist as the kernel's configuration,
 * conversions between the feed handler's records (JSON or JavaScript values) and the reference's
 * BookInput, the reference's update records as the JSON the engines print, a field-by-field diff of
 * two update streams (record index, field, expected, got), and the book dump derived from a kernel's
 * final state (levels from the `bids`/`asks` memories per watched slot, live orders from the way
 * memories, counters from `stats`), to be compared with the reference's `dump()` and `tableSlots()`.
 * Test-only; shares no code with the dialect book.
 */
import type { DType, KernelInfo } from "../../compiler/ir/ir.js";
import { jsonToValue, jsToJson, valueToJs } from "../../compiler/interp/convert.js";
import { BUY, SELL, ReferenceBook, type BookCapacity, type BookDump, type BookInput, type BookUpdate, type LiveOrder } from "./book.js";

export const BOOK_FILE = "examples/book/book.ts";
/** The dialect book's compile-time capacity (constants at the top of examples/book/book.ts). */
export const SYMBOLS = 64;
export const LEVELS = 16;
export const INDEX_BITS = 12;
export const WAYS = 2;
export const CAPACITY: BookCapacity = { symbols: SYMBOLS, indexBits: INDEX_BITS, ways: WAYS, wayMemories: true, levelsPerSide: LEVELS };

/** The reference configured as the dialect book. */
export function referenceFor(watch: readonly number[]): ReferenceBook {
  return new ReferenceBook(watch, CAPACITY);
}

/** The book kernel's configuration for a watchlist: slots 0..n-1 watched, the rest zero. */
export function bookConfig(watch: readonly number[]): { watch: number[]; watchCount: number } {
  if (watch.length > SYMBOLS) throw new RangeError(`watchlist of ${watch.length} for a book of ${SYMBOLS}`);
  return { watch: [...watch, ...new Array<number>(SYMBOLS - watch.length).fill(0)], watchCount: watch.length };
}

const big = (v: unknown): bigint => (typeof v === "bigint" ? v : BigInt(v as string | number));
const num = (v: unknown): number => Number(v);

/** The reference's input from a feed handler record (JSON, wide integers as strings, or JS values). */
export function toBookInput(r: Record<string, unknown>): BookInput {
  return {
    type: num(r.type), locate: num(r.locate), timestamp: big(r.timestamp), sequence: big(r.sequence),
    orderRef: big(r.orderRef), newOrderRef: big(r.newOrderRef), side: num(r.side), shares: num(r.shares), price: num(r.price),
    executedShares: num(r.executedShares), canceledShares: num(r.canceledShares),
  };
}

/** A whole ItchRecord (as the kernel's input type, JavaScript values) carrying a BookInput; other fields zero. */
export function itchRecordOf(input: DType, b: BookInput): unknown {
  if (input.k !== "record") throw new Error("the book's input is not a record");
  const json: Record<string, unknown> = {};
  const src = b as unknown as Record<string, unknown>;
  for (const f of input.fields) {
    const v = src[f.name];
    json[f.name] = v === undefined ? (f.type.k === "bool" ? false : 0) : typeof v === "bigint" ? v.toString() : v;
  }
  return valueToJs(jsonToValue(json, input, "record"), input);
}

/** The reference's update record as the engines' JSON (bigints as decimal strings). */
export function updateJson(u: BookUpdate): Record<string, unknown> {
  return jsToJson(u) as Record<string, unknown>;
}

export interface UpdateDiff {
  /** Update record index (0-based, in order of output). */
  index: number;
  field: string;
  expected: unknown;
  got: unknown;
}

/** Field-by-field differences of two update streams (the reference first), at most `max`. */
export function diffUpdates(want: readonly Record<string, unknown>[], got: readonly unknown[], max = 10): UpdateDiff[] {
  const out: UpdateDiff[] = [];
  const n = Math.max(want.length, got.length);
  for (let i = 0; i < n && out.length < max; i++) {
    const w = want[i], g = got[i] as Record<string, unknown> | undefined;
    if (!w || !g) {
      out.push({ index: i, field: "(record)", expected: w ?? null, got: g ?? null });
      continue;
    }
    for (const k of new Set([...Object.keys(w), ...Object.keys(g)])) {
      if (JSON.stringify(w[k]) !== JSON.stringify(g[k])) out.push({ index: i, field: k, expected: w[k], got: g[k] });
    }
  }
  return out;
}

interface LevelsJson { price: number[]; shares: number[]; orders: number[] }
interface EntryJson { live: boolean; tag: string | number; slot: number; buy: boolean; price: number; shares: number }
interface TagJson { live: boolean; tag: string | number }

/** The memory `name` of a kernel state (JSON, "mem:<name>" = changed [index, value] pairs) as a Map. */
function memOf<T>(state: Record<string, unknown>, name: string): Map<number, T> {
  const m = state[`mem:${name}`];
  if (!Array.isArray(m)) throw new Error(`the book's state has no memory '${name}' (keys: ${Object.keys(state).join(", ")})`);
  return new Map((m as [number, T][]).map(([i, v]) => [i, v]));
}

/** What a book's final state says, in the reference's terms. */
export interface StateDump {
  dump: Omit<BookDump, "symbols"> & { symbols: Omit<BookDump["symbols"][number], "added">[] };
  slots: { set: number; way: number; order: LiveOrder }[];
  /** Problems with the state's own form (a level array not best first / gaps, copies a/b differing). */
  problems: string[];
}

/** `{ live, tag }` of an entry as text, "" for a free entry with tag 0 (what a never-written entry reads). */
const tagText = (e: TagJson) => (e.live || BigInt(e.tag) !== 0n ? `${e.live}:${BigInt(e.tag)}` : "");

/**
 * The book dump derived from the book kernel's final state (JSON, as the engines give it): every
 * watched locate (first slot wins) ascending with its non-empty levels best first, live orders per
 * side from the way memories, the number of live orders, and the counters from `stats`.
 */
export function dumpFromState(state: Record<string, unknown>, watch: readonly number[]): StateDump {
  const problems: string[] = [];
  const bids = memOf<LevelsJson>(state, "bids"), asks = memOf<LevelsJson>(state, "asks");
  const slots: { set: number; way: number; order: LiveOrder }[] = [];
  for (let w = 0; w < WAYS; w++) {
    const a = memOf<EntryJson>(state, `way${w}a`), b = memOf<TagJson>(state, `way${w}b`);
    for (const set of new Set([...a.keys(), ...b.keys()])) {
      const ta = a.has(set) ? tagText(a.get(set)!) : "", tb = b.has(set) ? tagText(b.get(set)!) : "";
      if (ta !== tb) problems.push(`way${w}b set ${set} holds {live, tag} ${tb || "free"}, way${w}a ${ta || "free"}`);
    }
    for (const [set, e] of a) {
      if (!e.live) continue;
      const ref = (BigInt(e.tag) << BigInt(INDEX_BITS)) | BigInt(set);
      slots.push({ set, way: w, order: { ref, locate: watch[e.slot] ?? -1, side: e.buy ? BUY : SELL, price: e.price, shares: e.shares } });
    }
  }
  slots.sort((x, y) => x.set - y.set || x.way - y.way);
  const levelsOf = (m: Map<number, LevelsJson>, slot: number, what: string) => {
    const l = m.get(slot);
    if (!l) return [];
    const out: { price: number; shares: number; orders: number }[] = [];
    let ended = false;
    for (let i = 0; i < l.orders.length; i++) {
      if (l.orders[i] === 0) {
        ended = true;
        if (l.price[i] !== 0 || l.shares[i] !== 0) problems.push(`${what} slot ${slot} level ${i}: no orders but price ${l.price[i]}, shares ${l.shares[i]}`);
        continue;
      }
      if (ended) problems.push(`${what} slot ${slot} level ${i}: a level after an empty one`);
      out.push({ price: l.price[i]!, shares: l.shares[i]!, orders: l.orders[i]! });
    }
    return out;
  };
  const seen = new Set<number>();
  const symbols: StateDump["dump"]["symbols"] = [];
  watch.forEach((locate, slot) => {
    if (seen.has(locate)) {
      for (const [m, n] of [[bids, "bids"], [asks, "asks"]] as const) if (m.has(slot)) problems.push(`${n}: slot ${slot} repeats locate ${locate} but is not empty`);
      return;
    }
    seen.add(locate);
    const mine = slots.filter((s) => s.order.locate === locate);
    symbols.push({
      locate, bid: levelsOf(bids, slot, "bids"), ask: levelsOf(asks, slot, "asks"),
      bidOrders: mine.filter((s) => s.order.side === BUY).length, askOrders: mine.filter((s) => s.order.side === SELL).length,
    });
  });
  for (const [m, n] of [[bids, "bids"], [asks, "asks"]] as const) for (const slot of m.keys()) if (slot >= watch.length) problems.push(`${n}: slot ${slot} is not watched but not empty`);
  symbols.sort((x, y) => x.locate - y.locate);
  const counters = state.stats as BookDump["counters"];
  return { dump: { symbols, liveOrders: slots.length, counters }, slots, problems };
}

/** The reference's dump without the per-symbol `added` (the book kernel keeps no per-symbol count), and its table. */
export function referenceDump(ref: ReferenceBook): { dump: StateDump["dump"]; slots: { set: number; way: number; order: LiveOrder }[] } {
  const d = ref.dump();
  return { dump: { ...d, symbols: d.symbols.map(({ added: _added, ...s }) => s) }, slots: ref.tableSlots() };
}

/** Find the kernel in a list of compiled stages. */
export function stageKernel(stages: { name: string; kernel: KernelInfo }[], name: string): KernelInfo {
  const s = stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage '${name}' (stages: ${stages.map((x) => x.name).join(", ")})`);
  return s.kernel;
}
