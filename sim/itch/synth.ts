// Synthetic ITCH 5.0 day generator behind `tsfpga pcap synth`. The body's type mix follows the
// published 01302019 Nasdaq day (specs/itch50.md: ~44% A, 43% D, 7% U, 2% E, …). Order lifecycles are
// consistent: every E/C/X/D/U names a live order (tracked in growable typed arrays with O(1) random
// pick and swap-remove), E/C/X never exceed the remaining shares, U retires the old reference and
// adds a new one with the same side and stock. Messages are written straight into a scratch buffer
// and handed to a sink one at a time, so memory stays flat for tens of millions of messages.
import { Prng } from "./prng.js";
import { encodeItchMessage } from "./codec.js";
import { InputError } from "../pcap/error.js";

export interface SynthOptions {
  messages: number;
  symbols: number;
  seed: number;
}

/** Published message counts of the 01302019 day, for the body (S, R and H come from the day's frame). */
export const DAILY_MIX: ReadonlyArray<readonly [string, number]> = [
  ["A", 162_970_455], ["D", 158_273_361], ["U", 27_222_746], ["E", 8_096_995], ["X", 4_669_874],
  ["I", 3_684_511], ["F", 1_725_898], ["P", 1_326_184], ["L", 193_769], ["C", 158_886], ["Q", 17_430],
  ["Y", 8_821], ["B", 116], ["J", 62], ["V", 1],
];

const OPEN_NS = 34_200e9; // 09:30
const CLOSE_NS = 57_600e9; // 16:00
const PRE_NS = 14_400e9; // 04:00

/** Fixed messages around the body: S O, R×K, S S, H×K, S Q … S M, S E, S C. */
export function synthFrameCount(symbols: number): number {
  return 2 * symbols + 6;
}

/** Deterministic ticker for a locate index: AAA, AAB, …, ZZZ, BAAA, … (unique, 3+ letters). */
export function symbolName(i: number): string {
  let s = "";
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0 || s.length < 3);
  return s;
}

/** Generates the day; calls `sink(buf, len)` for each message (buf is reused; copy if kept). */
export function synthesizeItch(opts: SynthOptions, sink: (msg: Uint8Array, len: number) => void): Record<string, number> {
  const { messages: total, symbols: K } = opts;
  if (!Number.isInteger(K) || K < 1 || K > 65535) throw new InputError(`--symbols must be an integer in 1..65535 (got ${K})`);
  const fixed = synthFrameCount(K);
  if (!Number.isInteger(total) || total < fixed) throw new InputError(`--messages must be at least ${fixed} for ${K} symbols (got ${total})`);
  const rng = new Prng(opts.seed);
  const buf = new Uint8Array(64);
  const counts: Record<string, number> = {};
  const names = Array.from({ length: K }, (_, i) => symbolName(i).padEnd(8, " "));
  const refPrice = Uint32Array.from({ length: K }, () => 10_0000 + rng.int(490_0000));
  let ts = PRE_NS;
  let tracking = 0;

  // ---- byte writers into buf ----
  const u8 = (o: number, v: number): void => void (buf[o] = v);
  const u16 = (o: number, v: number): void => { buf[o] = v >>> 8; buf[o + 1] = v & 255; };
  const u32 = (o: number, v: number): void => { buf[o] = v >>> 24; buf[o + 1] = (v >>> 16) & 255; buf[o + 2] = (v >>> 8) & 255; buf[o + 3] = v & 255; };
  const u64 = (o: number, v: number): void => { u32(o, Math.floor(v / 4294967296)); u32(o + 4, v >>> 0); };
  const stock = (o: number, s: number): void => { const n = names[s]!; for (let i = 0; i < 8; i++) buf[o + i] = n.charCodeAt(i); };
  const header = (type: string, locate: number): void => {
    buf[0] = type.charCodeAt(0);
    u16(1, locate);
    u16(3, tracking);
    u16(5, Math.floor(ts / 4294967296));
    u32(7, ts >>> 0);
  };
  const emit = (type: string, len: number): void => {
    counts[type] = (counts[type] ?? 0) + 1;
    sink(buf, len);
  };
  const emitRecord = (type: string, values: Record<string, number | bigint | string>): void => {
    const m = encodeItchMessage(type, { stockLocate: values.stockLocate ?? 0, trackingNumber: tracking, timestamp: BigInt(ts), ...values });
    buf.set(m);
    emit(type, m.length);
  };
  const system = (code: string): void => emitRecord("S", { eventCode: code });

  // ---- frame of the day: directory and trading state ----
  system("O");
  for (let s = 0; s < K; s++) {
    emitRecord("R", {
      stockLocate: s + 1, stock: names[s]!, marketCategory: "Q", financialStatus: "N", roundLotSize: 100, roundLotsOnly: "N",
      issueClassification: "C", issueSubType: "Z", authenticity: "P", shortSaleThreshold: "N", ipoFlag: "N",
      luldRefPriceTier: "1", etpFlag: "N", etpLeverageFactor: 0, inverseIndicator: "N",
    });
  }
  ts += 1e9;
  system("S");
  for (let s = 0; s < K; s++) emitRecord("H", { stockLocate: s + 1, stock: names[s]!, tradingState: "T", reserved: " ", reason: "    " });
  ts = OPEN_NS;
  system("Q");

  // ---- live orders ----
  let cap = 1 << 16;
  let refs = new Float64Array(cap);
  let stk = new Uint16Array(cap);
  let side = new Uint8Array(cap);
  let shares = new Uint32Array(cap);
  let price = new Uint32Array(cap);
  let live = 0;
  let nextRef = 1000 + rng.int(1000);
  let match = 1;
  const grow = (): void => {
    cap *= 2;
    const r = new Float64Array(cap); r.set(refs); refs = r;
    const k = new Uint16Array(cap); k.set(stk); stk = k;
    const sd = new Uint8Array(cap); sd.set(side); side = sd;
    const sh = new Uint32Array(cap); sh.set(shares); shares = sh;
    const p = new Uint32Array(cap); p.set(price); price = p;
  };
  const remove = (i: number): void => {
    live--;
    refs[i] = refs[live]!; stk[i] = stk[live]!; side[i] = side[live]!; shares[i] = shares[live]!; price[i] = price[live]!;
  };
  /** Popular symbols get more traffic (quadratic skew towards low locates). */
  const pickStock = (): number => { const r = rng.float(); return Math.floor(r * r * K); };
  const nearPrice = (s: number): number => Math.max(100, refPrice[s]! + (rng.int(201) - 100) * 100);
  const lotShares = (): number => (rng.chance(0.8) ? 100 * (1 + rng.int(10)) : 1 + rng.int(2000));

  const addOrder = (withMpid: boolean): void => {
    if (live === cap) grow();
    const s = pickStock();
    const i = live++;
    refs[i] = nextRef; nextRef += 1 + rng.int(4);
    stk[i] = s; side[i] = rng.chance(0.5) ? 66 : 83; shares[i] = lotShares(); price[i] = nearPrice(s);
    header(withMpid ? "F" : "A", s + 1);
    u64(11, refs[i]!); u8(19, side[i]!); u32(20, shares[i]!); stock(24, s); u32(32, price[i]!);
    if (withMpid) { buf[36] = 78; buf[37] = 83; buf[38] = 68; buf[39] = 81; } // "NSDQ"
    emit(withMpid ? "F" : "A", withMpid ? 40 : 36);
  };
  const execute = (withPrice: boolean): void => {
    const i = rng.int(live);
    const n = rng.chance(0.5) ? shares[i]! : 1 + rng.int(shares[i]!);
    header(withPrice ? "C" : "E", stk[i]! + 1);
    u64(11, refs[i]!); u32(19, n); u64(23, match++);
    if (withPrice) { buf[31] = 89; u32(32, price[i]!); }
    if (n === shares[i]) remove(i); else shares[i] = shares[i]! - n;
    emit(withPrice ? "C" : "E", withPrice ? 36 : 31);
  };
  const del = (i: number): void => {
    header("D", stk[i]! + 1); u64(11, refs[i]!);
    remove(i);
    emit("D", 19);
  };

  const weights = Float64Array.from(DAILY_MIX, ([, n]) => n);
  const cum = new Float64Array(weights.length);
  weights.reduce((acc, w, i) => (cum[i] = acc + w), 0);
  const totalWeight = cum[cum.length - 1]!;
  const body = total - fixed;
  const step = (CLOSE_NS - OPEN_NS) / Math.max(body, 1);

  for (let m = 0; m < body; m++) {
    ts = OPEN_NS + Math.floor(m * step);
    tracking = rng.int(8);
    const r = rng.float() * totalWeight;
    let k = 0;
    while (cum[k]! <= r) k++;
    let type = DAILY_MIX[k]![0];
    if (live === 0 && "DUEXC".includes(type)) type = "A";
    switch (type) {
      case "A": addOrder(false); break;
      case "F": addOrder(true); break;
      case "D": del(rng.int(live)); break;
      case "E": execute(false); break;
      case "C": execute(true); break;
      case "X": {
        const i = rng.int(live);
        if (shares[i]! < 2) { del(i); break; }
        const n = 1 + rng.int(shares[i]! - 1);
        header("X", stk[i]! + 1); u64(11, refs[i]!); u32(19, n);
        shares[i] = shares[i]! - n;
        emit("X", 23);
        break;
      }
      case "U": {
        const i = rng.int(live);
        const s = stk[i]!;
        header("U", s + 1); u64(11, refs[i]!);
        refs[i] = nextRef; nextRef += 1 + rng.int(4);
        shares[i] = lotShares(); price[i] = nearPrice(s);
        u64(19, refs[i]!); u32(27, shares[i]!); u32(31, price[i]!);
        emit("U", 35);
        break;
      }
      case "P": {
        const s = pickStock();
        header("P", s + 1); u64(11, 0); u8(19, rng.chance(0.5) ? 66 : 83); u32(20, lotShares()); stock(24, s); u32(32, nearPrice(s)); u64(36, match++);
        emit("P", 44);
        break;
      }
      case "Q": {
        const s = pickStock();
        header("Q", s + 1); u64(11, 1000 * (1 + rng.int(1000))); stock(19, s); u32(27, refPrice[s]!); u64(31, match++); buf[39] = 72; // 'H'
        emit("Q", 40);
        break;
      }
      case "B": { header("B", 0); u64(11, 1 + rng.int(match)); emit("B", 19); break; }
      case "I": {
        const s = pickStock();
        emitRecord("I", {
          stockLocate: s + 1, pairedShares: BigInt(100 * rng.int(10000)), imbalanceShares: BigInt(100 * rng.int(1000)),
          imbalanceDirection: "BSNO"[rng.int(4)]!, stock: names[s]!, farPrice: nearPrice(s), nearPrice: nearPrice(s),
          currentReferencePrice: refPrice[s]!, crossType: "O", priceVariationIndicator: "L",
        });
        break;
      }
      case "L": {
        const s = pickStock();
        emitRecord("L", { stockLocate: s + 1, mpid: "MM" + String.fromCharCode(65 + rng.int(26), 65 + rng.int(26)), stock: names[s]!, primaryMarketMaker: "N", marketMakerMode: "N", marketParticipantState: "A" });
        break;
      }
      case "Y": { const s = pickStock(); emitRecord("Y", { stockLocate: s + 1, stock: names[s]!, regShoAction: "0" }); break; }
      case "J": {
        const s = pickStock();
        emitRecord("J", { stockLocate: s + 1, stock: names[s]!, auctionCollarReferencePrice: refPrice[s]!, upperAuctionCollarPrice: refPrice[s]! + 5000, lowerAuctionCollarPrice: refPrice[s]! - 5000, auctionCollarExtension: 0 });
        break;
      }
      default: emitRecord("V", { level1: 1_000_000_000_000n, level2: 900_000_000_000n, level3: 800_000_000_000n }); break;
    }
  }

  ts = CLOSE_NS;
  tracking = 0;
  system("M");
  ts += 3_600e9;
  system("E");
  ts += 1e9;
  system("C");
  return counts;
}
