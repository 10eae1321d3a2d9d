// Native runs of the MoldUDP64/ITCH 5.0 feed kernel (examples/itch/feed.ts): pcap frames are cut
// into 64-bit beats and stepped through runKernel; every output record is compared field by field
// with the independent software decoder (test/itch-decoder.ts) and the kernel's counters with the
// decoder's summary. Covers the real Nasdaq capture and the RITCH sample file (both from ../shared,
// skipped with a notice when absent), synthetic feeds with drops, duplicates and VLAN tags, and
// synthetic feeds interleaved with malformed frames (truncations, wrong EtherType, IP options,
// fragments, foreign destinations, bad MoldUDP64 blocks, random garbage).
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runKernel, u16, u32, type Beat, type Vec, type u8 } from "tsfpga";
import { feed, type FeedConfig, type FeedState, type ItchRecord } from "../examples/itch/feed.js";
import { parseIpv4 } from "../sim/pcap/index.js";
import { decodeItchFrames, type DecodedMessage, type DecodeResult } from "./itch-decoder.js";
import { corrupt, frameList, PAY, prng, synthFrames } from "./helpers/feed-frames.js";
import type { FromItchOptions } from "../sim/itch/to-pcap.js";
import { compileKernel } from "../compiler/driver.js";
import { runKernelInterp } from "../sim/kernel-sim.js";

const DST = "233.54.12.111:26477";
const CFG: FeedConfig = { dstIp: u32(parseIpv4("233.54.12.111")), dstPort: u16(26477) };
const SHARED = join(import.meta.dirname, "..", "..", "shared");
const NASDAQ = join(SHARED, "data/pcap/nasdaq-20160913-moldudp64.pcap");
const RITCH = join(SHARED, "data/itch/ex20101224.TEST_ITCH_50");
const tmp = mkdtempSync(join(tmpdir(), "tsfpga-feed-native-"));

/** The beats of one frame: 8 bytes each (zero-padded), keep = valid-byte mask, last on the final one. */
export function* frameBeats(data: Uint8Array): Generator<Beat> {
  for (let o = 0; o < data.length; o += 8) {
    const n = Math.min(8, data.length - o);
    const bytes = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) bytes[i] = data[o + i]!;
    yield { bytes: bytes as unknown as Vec<u8, 8>, keep: ((1 << n) - 1) as u8, last: o + 8 >= data.length };
  }
}

function* streamBeats(frames: Iterable<Uint8Array>): Generator<Beat> {
  for (const f of frames) if (f.length > 0) yield* frameBeats(f);
}

interface Run {
  records: ItchRecord[];
  state: FeedState;
  beats: number;
}

function runFeed(frames: Iterable<Uint8Array>, keep = true): Run {
  const records: ItchRecord[] = [];
  let beats = 0;
  const state = runKernel(feed, streamBeats(frames), CFG, (o, i) => {
    beats = i;
    if (keep) records.push(o);
  });
  return { records, state, beats };
}

const KNOWN = new Set("SRHYLVWKJhAFECXDUPQBINO");

function str(v: unknown, n: number): bigint {
  const s = String(v);
  let x = 0n;
  for (let i = 0; i < n; i++) x = (x << 8n) | BigInt(s.charCodeAt(i));
  return x;
}
const ch = (v: unknown): number => String(v).charCodeAt(0);

/** The record the kernel must output for a decoded message. */
function expectedRecord(m: DecodedMessage): Record<string, number | bigint> {
  const r: Record<string, number | bigint> = {
    type: ch(m.type), locate: m.locate, tracking: m.tracking, timestamp: m.timestamp, sequence: m.seq, length: m.length,
    orderRef: 0n, newOrderRef: 0n, side: 0, shares: 0, crossShares: 0n, stock: 0n, price: 0, attribution: 0,
    executedShares: 0, matchNumber: 0n, printable: 0, executionPrice: 0, canceledShares: 0, crossType: 0, eventCode: 0,
    marketCategory: 0, financialStatus: 0, roundLotSize: 0, roundLotsOnly: 0, issueClassification: 0, issueSubType: 0,
    authenticity: 0, shortSaleThreshold: 0, ipoFlag: 0, luldRefPriceTier: 0, etpFlag: 0, etpLeverageFactor: 0,
    inverseIndicator: 0, tradingState: 0, reserved: 0, reason: 0,
  };
  const has = (k: string) => m[k] !== undefined;
  if (has("orderReferenceNumber")) r.orderRef = m.orderReferenceNumber as bigint;
  if (has("originalOrderReferenceNumber")) r.orderRef = m.originalOrderReferenceNumber as bigint;
  if (has("newOrderReferenceNumber")) r.newOrderRef = m.newOrderReferenceNumber as bigint;
  if (has("buySell")) r.side = ch(m.buySell);
  if (has("shares")) {
    if (m.type === "Q") r.crossShares = m.shares as bigint;
    else r.shares = m.shares as number;
  }
  if (has("stock")) r.stock = str(m.stock, 8);
  if (has("price")) r.price = m.price as number;
  if (has("crossPrice")) r.price = m.crossPrice as number;
  if (has("attribution")) r.attribution = Number(str(m.attribution, 4));
  if (has("executedShares")) r.executedShares = m.executedShares as number;
  if (has("matchNumber")) r.matchNumber = m.matchNumber as bigint;
  if (has("printable")) r.printable = ch(m.printable);
  if (has("executionPrice")) r.executionPrice = m.executionPrice as number;
  if (has("cancelledShares")) r.canceledShares = m.cancelledShares as number;
  if (has("crossType")) r.crossType = ch(m.crossType);
  if (has("eventCode")) r.eventCode = ch(m.eventCode);
  for (const k of ["marketCategory", "financialStatus", "roundLotsOnly", "issueClassification", "authenticity", "shortSaleThreshold", "ipoFlag", "luldRefPriceTier", "etpFlag", "inverseIndicator", "tradingState", "reserved"]) {
    if (has(k)) r[k] = ch(m[k]);
  }
  if (has("roundLotSize")) r.roundLotSize = m.roundLotSize as number;
  if (has("etpLeverageFactor")) r.etpLeverageFactor = m.etpLeverageFactor as number;
  if (has("issueSubType")) r.issueSubType = Number(str(m.issueSubType, 2));
  if (has("reason")) r.reason = Number(str(m.reason, 4));
  return r;
}

/** Asserts kernel output and counters equal the decoder's, message by message. */
function compare(run: Run, ref: DecodeResult): void {
  const want = ref.messages.filter((m) => KNOWN.has(m.type));
  expect(run.records.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const got = run.records[i] as unknown as Record<string, number | bigint>;
    const exp = expectedRecord(want[i]!);
    if (JSON.stringify(got, big) !== JSON.stringify(exp, big)) expect({ index: i, ...got }).toEqual({ index: i, ...exp });
  }
  const st = run.state.stats;
  const sum = ref.summary;
  expect(st.frames).toBe(sum.frames);
  expect(st.messages).toBe(sum.messages);
  expect(st.packets).toBe(sum.packets);
  expect(st.heartbeats).toBe(sum.heartbeats);
  expect(st.endOfSession).toBe(sum.endOfSession);
  expect(st.gapEvents).toBe(sum.gapEvents);
  expect(st.missingMessages).toBe(BigInt(sum.missingMessages));
  expect(st.duplicates).toBe(sum.duplicates);
  expect(st.malformed).toBe(sum.malformedPackets);
  expect(st.skipNotIpv4 + st.skipBadIp + st.skipFragment + st.skipNotUdp + st.skipNotOurs + st.skipTruncated).toBe(sum.skippedFrames);
  expect(st.shortMessages).toBe(sum.shortMessages);
  if (sum.sequence.first !== null) {
    expect(st.firstSequence).toBe(sum.sequence.first);
    expect(st.lastSequence).toBe(sum.sequence.last);
  }
  const byType: Record<string, number> = {};
  st.byType.forEach((n, i) => { if (n > 0) byType[String.fromCharCode(65 + i)] = n; });
  if (st.opHalt > 0) byType.h = st.opHalt;
  const refKnown = Object.fromEntries(Object.entries(sum.byType).filter(([t]) => KNOWN.has(t)));
  expect(byType).toEqual(refKnown);
  expect(st.unknownTypes).toBe(sum.messages - want.length);
}

function big(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? `${v}n` : v;
}

const haveShared = existsSync(NASDAQ) && existsSync(RITCH);
if (!haveShared) console.warn(`feed-native: ${SHARED} is absent — the Nasdaq capture and RITCH file tests are skipped`);

describe.skipIf(!haveShared)("feed kernel on shared data", () => {
  it("Nasdaq 2016-09-13 capture: counts of ANSWERS.md, every record equal to the decoder", () => {
    const frames = frameList(NASDAQ);
    const run = runFeed(frames);
    const ref = decodeItchFrames(frames.map((data) => ({ data })), DST);
    compare(run, ref);
    const st = run.state.stats;
    expect(st.frames).toBe(2047);
    expect(st.packets).toBe(2036);
    expect(st.messages).toBe(2232);
    expect(st.records).toBe(2232);
    const t = (c: string) => st.byType[c.charCodeAt(0) - 65];
    expect([t("D"), t("A"), t("U"), t("X"), t("E"), t("P")]).toEqual([1389, 635, 109, 86, 12, 1]);
    expect(st.firstSequence).toBe(484311999n);
    expect(st.lastSequence).toBe(484314230n);
    expect([st.gapEvents, st.duplicates, st.malformed]).toEqual([0, 0, 0]);
    expect(st.skipNotOurs).toBe(11); // the HSRPv2 frames
  });

  it("RITCH ex20101224 sample wrapped by `pcap from-itch --zero-lengths`: 12,012 messages, every field", () => {
    const out = join(tmp, "ritch.pcap");
    execFileSync(process.execPath, [join(import.meta.dirname, "..", "bin/tsfpga.js"), "pcap", "from-itch", RITCH, "--zero-lengths", "-o", out]);
    const frames = frameList(out);
    const run = runFeed(frames);
    compare(run, decodeItchFrames(frames.map((data) => ({ data })), DST));
    const st = run.state.stats;
    expect(st.messages).toBe(12012);
    const counts = Object.fromEntries("SRHAFEXDUP".split("").map((c) => [c, st.byType[c.charCodeAt(0) - 65]]));
    expect(counts).toEqual({ S: 6, R: 3, H: 3, A: 4997, F: 3, E: 198, X: 45, D: 1745, U: 12, P: 5000 });
  });
});

describe("feed kernel on synthetic feeds", () => {
  it("clean synthetic day: every record equal to the decoder", () => {
    const frames = synthFrames("clean", 30000);
    const run = runFeed(frames);
    compare(run, decodeItchFrames(frames.map((data) => ({ data })), DST));
    expect(run.state.stats.messages).toBe(30000);
  });

  it("drops, duplicates (A/B style), VLAN, small packets: gaps, missing and duplicates as the decoder counts", () => {
    for (const [i, o] of [
      { drop: 0.05, dup: 0.1, vlan: { id: 100 } },
      { drop: 0.02, dup: 0.3, msgsPerPacket: 1, endOfSession: true },
      { drop: 0.1, dup: 0.05, mtu: 300, startSeq: 1n << 40n },
    ].entries()) {
      const frames = synthFrames(`dd${i}`, 15000, o as Partial<FromItchOptions>, 11 + i);
      const run = runFeed(frames);
      const ref = decodeItchFrames(frames.map((data) => ({ data })), DST);
      compare(run, ref);
      expect(ref.summary.gapEvents).toBeGreaterThan(0);
      expect(ref.summary.duplicates).toBeGreaterThan(0);
    }
  });

  it("A/B arbitration: two copies of the feed interleaved frame by frame deliver each message once", () => {
    // Each packet reaches the input on line A, line B, or both (either first); 5% loss per line.
    const frames: Uint8Array[] = [];
    const full = synthFrames("feedAB", 10000, {}, 21);
    const rnd = prng(5);
    for (const f of full) {
      const inA = rnd() > 0.05, inB = rnd() > 0.05;
      const order = rnd() < 0.5 ? [inA, inB] : [inB, inA];
      for (const present of order) if (present) frames.push(f);
    }
    const run = runFeed(frames);
    const ref = decodeItchFrames(frames.map((data) => ({ data })), DST);
    compare(run, ref);
    const seqs = run.records.map((r) => r.sequence);
    expect(new Set(seqs).size).toBe(seqs.length);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
  });

  it("malformed frames interleaved: skipped and counted, no message lost or repeated, the next record decodes", () => {
    for (const seed of [1, 2, 3]) {
      const good = synthFrames(`bad${seed}`, 12000, { drop: 0.02, dup: 0.05, msgsPerPacket: 1 + seed * 3 }, 30 + seed);
      const { frames, kinds } = corrupt(good, seed);
      expect(Object.keys(kinds).length).toBeGreaterThanOrEqual(10);
      const run = runFeed(frames);
      const ref = decodeItchFrames(frames.map((data) => ({ data })), DST);
      compare(run, ref);
      expect(ref.summary.skippedFrames + ref.summary.malformedPackets).toBeGreaterThan(100);
    }
  });

  it("cut-through: a frame truncated after its first messages delivers those, then the next packet decodes", () => {
    const good = synthFrames("cut", 400, { msgsPerPacket: 6 }, 41);
    const k = 10;
    const f = good[k]!;
    const be = (o: number) => (f[o]! << 8) | f[o + 1]!;
    const len0 = be(PAY + 20), len1 = be(PAY + 22 + len0);
    const cutAt = PAY + 24 + len0 + len1 + 3; // two complete messages, then 3 bytes of the length/third
    const frames = [...good.slice(0, k), f.slice(0, cutAt), ...good.slice(k)];
    const run = runFeed(frames);
    const ref = decodeItchFrames(good.map((data) => ({ data })), DST);
    // Same records as the clean feed; the two early ones come from the truncated copy, and the
    // complete copy's first two messages are then duplicates.
    expect(run.records.map((r) => r.sequence)).toEqual(ref.messages.map((m) => m.seq));
    expect(run.state.stats.skipTruncated).toBe(1);
    expect(run.state.stats.duplicates).toBe(2);
  });

  it("crafted packets: unknown types, every ITCH type, blocks of 8 … 1,400 bytes, short and over-long messages", () => {
    const rnd = prng(99);
    const msg = (type: string, len: number) => {
      const m = Uint8Array.from({ length: len }, () => 32 + Math.floor(rnd() * 90));
      m[0] = type.charCodeAt(0);
      return m;
    };
    const lens: Record<string, number> = { S: 12, R: 39, H: 25, Y: 20, L: 26, V: 35, W: 12, K: 28, J: 35, h: 21, A: 36, F: 40, E: 31, C: 36, X: 23, D: 19, U: 35, P: 44, Q: 40, B: 19, I: 50, N: 20, O: 48 };
    const frames: Uint8Array[] = [];
    let seq = 1000n;
    const packet = (blocks: Uint8Array[]) => { frames.push(moldFrame(seq, blocks, frames.length % 3 === 0)); seq += BigInt(blocks.length); };
    for (const [t, n] of Object.entries(lens)) packet([msg(t, n), msg(t, n + 1 + Math.floor(rnd() * 40)), msg("Z", 9 + Math.floor(rnd() * 100))]);
    packet([msg("P", 20), msg("Q", 8), msg("A", 35), msg("z", 64), msg("A", 65), msg("F", 63)]); // short / buffer-edge lengths
    packet([msg("G", 1400)]);
    packet([msg("A", 36), msg("?", 1300), msg("D", 19)]);
    for (let i = 0; i < 200; i++) {
      const blocks: Uint8Array[] = [];
      let room = 1400;
      while (room > 60 && rnd() < 0.9) {
        const types = Object.keys(lens);
        const t = rnd() < 0.1 ? "T" : types[Math.floor(rnd() * types.length)]!;
        const n = Math.max(8, Math.min(room - 2, lens[t] ?? 8 + Math.floor(rnd() * 80)));
        blocks.push(msg(t, n));
        room -= n + 2;
      }
      if (blocks.length > 0) packet(blocks);
    }
    const run = runFeed(frames);
    const ref = decodeItchFrames(frames.map((data) => ({ data })), DST);
    compare(run, ref);
    expect(run.state.stats.unknownTypes).toBeGreaterThan(20);
    expect(run.state.stats.shortMessages).toBeGreaterThanOrEqual(3);
    expect(run.state.stats.opHalt).toBeGreaterThan(0);
  });

  it("the compiled kernel (IR interpreter) matches the native run beat for beat on a corrupted feed", () => {
    const r = compileKernel("examples/itch/feed.ts");
    expect(r.diagnostics).toEqual([]);
    const good = synthFrames("interp", 600, { drop: 0.05, dup: 0.1, msgsPerPacket: 4 }, 51);
    const { frames } = corrupt(good, 9);
    const beatOf: number[] = [];
    const records: ItchRecord[] = [];
    const state = runKernel(feed, streamBeats(frames), CFG, (o, i) => { records.push(o); beatOf.push(i); });
    const interp = runKernelInterp(r.pkg!, r.fn!, r.kernel!, frames.map((data) => ({ data })), { dstIp: CFG.dstIp, dstPort: CFG.dstPort });
    const json = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    expect(interp.records).toEqual(json(records));
    expect(interp.beatOfRecord).toEqual(beatOf);
    expect(interp.finalState).toEqual(json(state));
    // The same field order too: simulate --engine all compares the final states as JSON text.
    expect(Object.keys(interp.finalState as object)).toEqual(Object.keys(state));
  });

  it.skipIf(!process.env.FEED_BENCH)("throughput on a 1M-message synthetic feed (FEED_BENCH=1)", () => {
    const frames = synthFrames("bench", 1_000_000, {}, 3);
    const t0 = performance.now();
    const run = runFeed(frames, false);
    const s = (performance.now() - t0) / 1000;
    expect(run.state.stats.messages).toBe(1_000_000);
    const bytes = frames.reduce((a, f) => a + f.length, 0);
    console.log(`feed kernel, native: ${frames.length} frames, ${run.beats + 1} beats, 1,000,000 messages in ${s.toFixed(2)} s = ${Math.round(1e6 / s)} msgs/s, ${Math.round((run.beats + 1) / s)} beats/s, ${(bytes / s / 1e6).toFixed(1)} MB/s`);
  });
});

/** A MoldUDP64 packet to 233.54.12.111:26477 in an Ethernet frame (optionally VLAN-tagged). */
function moldFrame(seq: bigint, blocks: Uint8Array[], vlan = false): Uint8Array {
  const payLen = 20 + blocks.reduce((a, b) => a + 2 + b.length, 0);
  const eth = vlan ? [1, 0, 0x5e, 0x36, 0x0c, 0x6f, 2, 0, 0, 0, 0, 1, 0x81, 0, 0, 5, 8, 0] : [1, 0, 0x5e, 0x36, 0x0c, 0x6f, 2, 0, 0, 0, 0, 1, 8, 0];
  const total = 20 + 8 + payLen;
  const ip = [0x45, 0, total >> 8, total & 255, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 1, 1, 1, 233, 54, 12, 111];
  const udp = [0x67, 0x6d, 0x67, 0x6d, (8 + payLen) >> 8, (8 + payLen) & 255, 0, 0];
  const out = new Uint8Array(eth.length + total);
  out.set([...eth, ...ip, ...udp]);
  let o = eth.length + 28;
  out.set([..."0000000001"].map((c) => c.charCodeAt(0)), o);
  for (let i = 0; i < 8; i++) out[o + 10 + i] = Number((seq >> BigInt(8 * (7 - i))) & 255n);
  out[o + 18] = blocks.length >> 8; out[o + 19] = blocks.length & 255;
  o += 20;
  for (const b of blocks) { out[o] = b.length >> 8; out[o + 1] = b.length & 255; out.set(b, o + 2); o += 2 + b.length; }
  return out;
}
