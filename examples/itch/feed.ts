/**
 * The MoldUDP64 / Nasdaq TotalView-ITCH 5.0 feed handler as a streaming kernel: one 64-bit beat
 * (8 byte lanes) per step, Ethernet II with or without one 802.1Q tag, IPv4 with any IHL, UDP to a
 * run-time destination (FeedConfig), MoldUDP64 packets split into message blocks of any length that
 * straddle beats, sequence tracking (gaps, duplicates: A/B arbitration when both feeds are
 * interleaved frame by frame on the one input), and one flat ItchRecord per delivered message of a
 * known ITCH 5.0 type, emitted on the step of the beat that carries the message's last byte.
 * Header fields are captured from their lane when their frame offset falls in the beat (one 8:1
 * multiplexer per captured byte); message bytes go into a 64-byte buffer at masked lane-parallel
 * indexes; at most one block starts and one message ends per beat because every block is ≥ 10
 * bytes (shorter blocks are rejected as malformed). Everything that is not ours or not well-formed
 * is skipped, counted by reason in `stats`, and the state is realigned at every frame's last beat.
 * docs/feed-handler.md is the contract.
 */
import { u3, u4, u6, u7, i9, u8, u16, u17, u18, i18, u32, u48, u64, wideCat, char, fill, kernel, Vec, Beat, Step } from "tsfpga";

/** The run-time destination filter: IPv4 address (a.b.c.d = a·2^24 + …) and UDP port. */
export interface FeedConfig {
  dstIp: u32;
  dstPort: u16;
}

/**
 * One ITCH message, the union of the fields of every decoded type (zero where the type has none).
 * ASCII fields are big-endian byte strings: stock is 8 characters, attribution and reason 4.
 */
export interface ItchRecord {
  type: u8;
  locate: u16;
  tracking: u16;
  timestamp: u48;
  sequence: u64;
  length: u16;
  // A F E C X D U P (U: the original order reference)
  orderRef: u64;
  // U
  newOrderRef: u64;
  // A F P
  side: u8;
  // A F P U
  shares: u32;
  // Q (8 bytes in a cross)
  crossShares: u64;
  // A F P R H Q
  stock: u64;
  // A F P U, and Q's cross price
  price: u32;
  // F
  attribution: u32;
  // E C
  executedShares: u32;
  // E C P Q
  matchNumber: u64;
  // C
  printable: u8;
  executionPrice: u32;
  // X
  canceledShares: u32;
  // Q
  crossType: u8;
  // S
  eventCode: u8;
  // R
  marketCategory: u8;
  financialStatus: u8;
  roundLotSize: u32;
  roundLotsOnly: u8;
  issueClassification: u8;
  issueSubType: u16;
  authenticity: u8;
  shortSaleThreshold: u8;
  ipoFlag: u8;
  luldRefPriceTier: u8;
  etpFlag: u8;
  etpLeverageFactor: u32;
  inverseIndicator: u8;
  // H
  tradingState: u8;
  reserved: u8;
  reason: u32;
}

/** Counters, all wrapping. */
export interface FeedStats {
  /** Ethernet frames (beats with last = true). */
  frames: u32;
  /** Well-formed MoldUDP64 packets to the filter address (data, heartbeat, end of session). */
  packets: u32;
  heartbeats: u32;
  endOfSession: u32;
  /** Delivered messages (not duplicates), every type. */
  messages: u32;
  /** Records output (delivered messages of a known ITCH 5.0 type). */
  records: u32;
  /** Delivered messages per type letter 'A'…'Z' (index letter − 65), known types only. */
  byType: Vec<u32, 26>;
  /** Delivered 'h' (Operational Halt) messages. */
  opHalt: u32;
  /** Delivered messages of a type not in ITCH 5.0: skipped by their block length, no record. */
  unknownTypes: u32;
  /** Delivered messages of a decoded type whose block is shorter than the type: common fields only. */
  shortMessages: u32;
  gapEvents: u32;
  missingMessages: u64;
  duplicates: u32;
  firstSequence: u64;
  lastSequence: u64;
  /** Skipped frames by reason. */
  skipNotIpv4: u32;
  skipBadIp: u32;
  skipFragment: u32;
  skipNotUdp: u32;
  skipNotOurs: u32;
  skipTruncated: u32;
  /** Frames to the filter address whose MoldUDP64 payload is not well-formed. */
  malformed: u32;
}

export interface FeedState {
  /** Frame offset of this beat's lane 0 (0 at the first beat of a frame). */
  off: u16;
  vlan: boolean;
  /** Why the current frame is skipped (0: not skipped): one of the WHY_ constants. */
  why: u3;
  ipVerIhl: u8;
  ipTotal: u16;
  ipFrag: u16;
  ipProto: u8;
  ipDst: u32;
  udpPort: u16;
  udpLen: u16;
  seqBytes: Vec<u8, 8>;
  count: u16;
  /** Blocks of the packet not yet started, and the frame offset of the next block's length. */
  blkLeft: u16;
  nextBlk: u17;
  lenHi: u8;
  /** The message in progress: frame offset of its first byte, its length, its first 64 bytes. */
  cur: boolean;
  msgStart: u17;
  msgLen: u16;
  buf: Vec<u8, 64>;
  /** Sequence number of the next message of the packet to complete. */
  mseq: u64;
  /** The packet's sequence number has been applied to the receiver state (gap check). */
  committed: boolean;
  /** Receiver: a first packet has been seen; the next expected sequence number. */
  synced: boolean;
  expected: u64;
  stats: FeedStats;
}

const WHY_NOT_IPV4 = 1;
const WHY_BAD_IP = 2;
const WHY_FRAGMENT = 3;
const WHY_NOT_UDP = 4;
const WHY_NOT_OURS = 5;
const WHY_TRUNCATED = 6;
const WHY_MALFORMED = 7;

/** The shortest message block accepted: two block lanes can then never both end in one beat. */
const MIN_BLOCK = 8;

const STATS_INIT: FeedStats = {
  frames: u32(0), packets: u32(0), heartbeats: u32(0), endOfSession: u32(0), messages: u32(0), records: u32(0),
  byType: fill(26, u32(0)), opHalt: u32(0), unknownTypes: u32(0), shortMessages: u32(0),
  gapEvents: u32(0), missingMessages: u64(0), duplicates: u32(0), firstSequence: u64(0), lastSequence: u64(0),
  skipNotIpv4: u32(0), skipBadIp: u32(0), skipFragment: u32(0), skipNotUdp: u32(0), skipNotOurs: u32(0),
  skipTruncated: u32(0), malformed: u32(0),
};

/** The reset state. */
export const FEED_INIT: FeedState = {
  off: u16(0), vlan: false, why: u3(0),
  ipVerIhl: u8(0), ipTotal: u16(0), ipFrag: u16(0), ipProto: u8(0), ipDst: u32(0), udpPort: u16(0), udpLen: u16(0),
  seqBytes: fill(8, u8(0)), count: u16(0),
  blkLeft: u16(0), nextBlk: u17(0), lenHi: u8(0),
  cur: false, msgStart: u17(0), msgLen: u16(0), buf: fill(64, u8(0)),
  mseq: u64(0), committed: false, synced: false, expected: u64(0),
  stats: STATS_INIT,
};

/** The record output on steps that deliver nothing. */
const NO_RECORD: ItchRecord = {
  type: u8(0), locate: u16(0), tracking: u16(0), timestamp: u48(0), sequence: u64(0), length: u16(0),
  orderRef: u64(0), newOrderRef: u64(0), side: u8(0), shares: u32(0), crossShares: u64(0), stock: u64(0), price: u32(0),
  attribution: u32(0), executedShares: u32(0), matchNumber: u64(0), printable: u8(0), executionPrice: u32(0),
  canceledShares: u32(0), crossType: u8(0), eventCode: u8(0), marketCategory: u8(0), financialStatus: u8(0),
  roundLotSize: u32(0), roundLotsOnly: u8(0), issueClassification: u8(0), issueSubType: u16(0), authenticity: u8(0),
  shortSaleThreshold: u8(0), ipoFlag: u8(0), luldRefPriceTier: u8(0), etpFlag: u8(0), etpLeverageFactor: u32(0),
  inverseIndicator: u8(0), tradingState: u8(0), reserved: u8(0), reason: u32(0),
};

// ---- byte lanes ----------------------------------------------------------------------------

// Whether frame offset x is a valid byte lane of the beat whose lane 0 is at frame offset off.
function hit(b: Beat, off: u16, x: u18): boolean {
  const lane = x - off;
  return lane >= 0 && lane < 8 && ((b.keep >> (lane & 7)) & 1) !== 0;
}

// The byte at frame offset x if it is in this beat, else the previously captured value.
function grab(old: u8, b: Beat, off: u16, x: u18): u8 {
  return hit(b, off, x) ? b.bytes[(x - off) & 7] : old;
}

// A big-endian 16-bit field at frame offsets x, x+1, captured byte by byte across beats.
function grab16(old: u16, b: Beat, off: u16, x: u18): u16 {
  const hi = grab(u8(old >>> 8), b, off, x);
  const lo = grab(u8(old & 0xff), b, off, u18(x + 1));
  return u16((hi << 8) | lo);
}

// A big-endian 32-bit field at frame offsets x … x+3.
function grab32(old: u32, b: Beat, off: u16, x: u18): u32 {
  return u32((grab16(u16(old >>> 16), b, off, x) << 16) | grab16(u16(old & 0xffff), b, off, u18(x + 2)));
}

// An 8-byte field at frame offsets x … x+7, kept as bytes (most significant first).
function grab64(old: Vec<u8, 8>, b: Beat, off: u16, x: u18): Vec<u8, 8> {
  const out: Vec<u8, 8> = fill(8, u8(0));
  for (let k = 0; k < 8; k++) {
    out[k] = grab(old[k], b, off, u18(x + k));
  }
  return out;
}

// Copies the 64-byte message buffer, writing lane i to index base + i where that is in 0 … lim−1.
function writeLanes(buf: Vec<u8, 64>, bytes: Vec<u8, 8>, base: i18, lim: u7): Vec<u8, 64> {
  const out: Vec<u8, 64> = fill(64, u8(0));
  for (let j = 0; j < 64; j++) {
    out[j] = buf[j];
  }
  for (let i = 0; i < 8; i++) {
    const mi = base + i;
    if (mi >= 0 && mi < lim) {
      out[mi & 63] = bytes[i];
    }
  }
  return out;
}

// Number of valid bytes of a beat whose keep mask is contiguous from lane 0.
function keepCount(keep: u8): u4 {
  let n = 0;
  for (let i = 0; i < 8; i++) {
    n = n + ((keep >> i) & 1);
  }
  return u4(n);
}

// ---- big-endian fields of the message buffer ---------------------------------------------------

function be16(b0: u8, b1: u8): u16 {
  return u16((b0 << 8) | b1);
}

function be32(b0: u8, b1: u8, b2: u8, b3: u8): u32 {
  return u32((b0 << 24) | (b1 << 16) | (b2 << 8) | b3);
}

// Eight bytes of m from offset o (a constant after inlining).
function be64At(m: Vec<u8, 64>, o: u6): u64 {
  const hi = be32(m[o & 63], m[(o + 1) & 63], m[(o + 2) & 63], m[(o + 3) & 63]);
  const lo = be32(m[(o + 4) & 63], m[(o + 5) & 63], m[(o + 6) & 63], m[(o + 7) & 63]);
  return u64(wideCat(hi, lo, 32));
}

function be32At(m: Vec<u8, 64>, o: u6): u32 {
  return be32(m[o & 63], m[(o + 1) & 63], m[(o + 2) & 63], m[(o + 3) & 63]);
}

// ---- ITCH 5.0 types ----------------------------------------------------------------------------

// Whether t is an ITCH 5.0 message type.
function knownType(t: u8): boolean {
  switch (t) {
    case char("S"): case char("R"): case char("H"): case char("Y"): case char("L"): case char("V"):
    case char("W"): case char("K"): case char("J"): case char("h"): case char("A"): case char("F"):
    case char("E"): case char("C"): case char("X"): case char("D"): case char("U"): case char("P"):
    case char("Q"): case char("B"): case char("I"): case char("N"): case char("O"):
      return true;
    default:
      return false;
  }
}

// Length of the types whose fields the record carries (0 for the others).
function decodedLength(t: u8): u16 {
  switch (t) {
    case char("S"): return u16(12);
    case char("R"): return u16(39);
    case char("H"): return u16(25);
    case char("A"): return u16(36);
    case char("F"): return u16(40);
    case char("E"): return u16(31);
    case char("C"): return u16(36);
    case char("X"): return u16(23);
    case char("D"): return u16(19);
    case char("U"): return u16(35);
    case char("P"): return u16(44);
    case char("Q"): return u16(40);
    default: return u16(0);
  }
}

// The record of a complete message: m holds its first 64 bytes, len is its block length.
function decode(m: Vec<u8, 64>, len: u16, seq: u64): ItchRecord {
  const t = m[0];
  const dl = decodedLength(t);
  const full = dl !== 0 && len >= dl;
  const isA = full && t === char("A");
  const isF = full && t === char("F");
  const isE = full && t === char("E");
  const isC = full && t === char("C");
  const isX = full && t === char("X");
  const isD = full && t === char("D");
  const isU = full && t === char("U");
  const isP = full && t === char("P");
  const isQ = full && t === char("Q");
  const isS = full && t === char("S");
  const isR = full && t === char("R");
  const isH = full && t === char("H");
  const addLike = isA || isF || isP;
  const execLike = isE || isC;
  return {
    type: t,
    locate: be16(m[1], m[2]),
    tracking: be16(m[3], m[4]),
    timestamp: len >= 11 ? u48(wideCat(be16(m[5], m[6]), be32(m[7], m[8], m[9], m[10]), 32)) : u48(0),
    sequence: seq,
    length: len,
    orderRef: addLike || execLike || isX || isD || isU ? be64At(m, u6(11)) : u64(0),
    newOrderRef: isU ? be64At(m, u6(19)) : u64(0),
    side: addLike ? m[19] : u8(0),
    shares: addLike ? be32At(m, u6(20)) : isU ? be32At(m, u6(27)) : u32(0),
    crossShares: isQ ? be64At(m, u6(11)) : u64(0),
    stock: addLike ? be64At(m, u6(24)) : isR || isH ? be64At(m, u6(11)) : isQ ? be64At(m, u6(19)) : u64(0),
    price: addLike ? be32At(m, u6(32)) : isU ? be32At(m, u6(31)) : isQ ? be32At(m, u6(27)) : u32(0),
    attribution: isF ? be32At(m, u6(36)) : u32(0),
    executedShares: execLike ? be32At(m, u6(19)) : u32(0),
    matchNumber: execLike ? be64At(m, u6(23)) : isP ? be64At(m, u6(36)) : isQ ? be64At(m, u6(31)) : u64(0),
    printable: isC ? m[31] : u8(0),
    executionPrice: isC ? be32At(m, u6(32)) : u32(0),
    canceledShares: isX ? be32At(m, u6(19)) : u32(0),
    crossType: isQ ? m[39] : u8(0),
    eventCode: isS ? m[11] : u8(0),
    marketCategory: isR ? m[19] : u8(0),
    financialStatus: isR ? m[20] : u8(0),
    roundLotSize: isR ? be32At(m, u6(21)) : u32(0),
    roundLotsOnly: isR ? m[25] : u8(0),
    issueClassification: isR ? m[26] : u8(0),
    issueSubType: isR ? be16(m[27], m[28]) : u16(0),
    authenticity: isR ? m[29] : u8(0),
    shortSaleThreshold: isR ? m[30] : u8(0),
    ipoFlag: isR ? m[31] : u8(0),
    luldRefPriceTier: isR ? m[32] : u8(0),
    etpFlag: isR ? m[33] : u8(0),
    etpLeverageFactor: isR ? be32At(m, u6(34)) : u32(0),
    inverseIndicator: isR ? m[38] : u8(0),
    tradingState: isH ? m[19] : u8(0),
    reserved: isH ? m[20] : u8(0),
    reason: isH ? be32At(m, u6(21)) : u32(0),
  };
}

// The per-type counters with counter `idx` (letter − 65) incremented when `inc`.
function bumpType(counts: Vec<u32, 26>, idx: i9, inc: boolean): Vec<u32, 26> {
  const out: Vec<u32, 26> = fill(26, u32(0));
  for (let k = 0; k < 26; k++) {
    out[k] = inc && idx === k ? u32(counts[k] + 1) : counts[k];
  }
  return out;
}

// ---- the step ------------------------------------------------------------------------------

export function feedStep(s: FeedState, b: Beat, cfg: FeedConfig): Step<FeedState, ItchRecord> {
  const off = s.off;
  const last = b.last;

  // Ethernet: EtherType at 12–13 (beat 1, lanes 4–5); behind a VLAN tag at 16–17 (beat 2, lanes 0–1).
  const et1Here = off === 8 && hit(b, off, u18(13));
  const et1 = be16(b.bytes[4], b.bytes[5]);
  const vlanNow = et1Here ? et1 === 0x8100 : s.vlan;
  const et2Here = s.vlan && off === 16 && hit(b, off, u18(17));
  const et2 = be16(b.bytes[0], b.bytes[1]);
  const badEther = (et1Here && et1 !== 0x8100 && et1 !== 0x0800) || (et2Here && et2 !== 0x0800);

  // IPv4 header at ipStart: version/IHL, total length, flags/fragment offset, protocol, destination.
  const ipStart = vlanNow ? 18 : 14;
  const viHere = hit(b, off, u18(ipStart));
  const vi = grab(s.ipVerIhl, b, off, u18(ipStart));
  const ihl4 = (vi & 15) * 4;
  const totHere = hit(b, off, u18(ipStart + 3));
  const total = grab16(s.ipTotal, b, off, u18(ipStart + 2));
  const fragHere = hit(b, off, u18(ipStart + 7));
  const frag = grab16(s.ipFrag, b, off, u18(ipStart + 6));
  const protoHere = hit(b, off, u18(ipStart + 9));
  const proto = grab(s.ipProto, b, off, u18(ipStart + 9));
  const dstHere = hit(b, off, u18(ipStart + 19));
  const dst = grab32(s.ipDst, b, off, u18(ipStart + 16));

  // UDP header at udpStart, MoldUDP64 header at pay = udpStart + 8, payload end at udpStart + udpLen.
  const udpStart = ipStart + ihl4;
  const portHere = hit(b, off, u18(udpStart + 3));
  const port = grab16(s.udpPort, b, off, u18(udpStart + 2));
  const ulenHere = hit(b, off, u18(udpStart + 5));
  const ulen = grab16(s.udpLen, b, off, u18(udpStart + 4));
  const pay = udpStart + 8;
  const payEnd = udpStart + ulen;
  const sq = grab64(s.seqBytes, b, off, u18(pay + 10));
  const seqHere = hit(b, off, u18(pay + 17));
  const countHere = hit(b, off, u18(pay + 19));
  const count = grab16(s.count, b, off, u18(pay + 18));
  const control = count === 0 || count === 0xffff;

  // Header checks, in the order of the bytes on the wire; the first failing one names the reason.
  const badVi = viHere && ((vi >> 4) !== 4 || ihl4 < 20);
  const badTotal = totHere && total < ihl4 + 8;
  const isFrag = fragHere && (frag & 0x3fff) !== 0;
  const badProto = protoHere && proto !== 17;
  const badDst = dstHere && dst !== cfg.dstIp;
  const badPort = portHere && port !== cfg.dstPort;
  const badUlen = ulenHere && (ulen < 8 || ulen > total - ihl4);
  const shortMold = ulenHere && ulen < 28;
  const badControl = countHere && control && ulen !== 28;
  const hdrWhy = badEther ? WHY_NOT_IPV4
    : badVi || badTotal ? WHY_BAD_IP
    : isFrag ? WHY_FRAGMENT
    : badProto ? WHY_NOT_UDP
    : badDst || badPort ? WHY_NOT_OURS
    : badUlen ? WHY_BAD_IP
    : shortMold || badControl ? WHY_MALFORMED
    : 0;
  const whyHdr = s.why !== 0 ? s.why : hdrWhy;
  const open = whyHdr === 0;

  // Message blocks: the length (2 bytes at nextBlk) of the next block, when the packet has one left.
  const blkLeftNow = countHere ? (control ? 0 : count) : s.blkLeft;
  const nextBlkNow = countHere ? pay + 20 : s.nextBlk;
  const hiHere = hit(b, off, u18(nextBlkNow));
  const lenHi = grab(s.lenHi, b, off, u18(nextBlkNow));
  const loHere = hit(b, off, u18(nextBlkNow + 1));
  const lenLo = b.bytes[(nextBlkNow + 1 - off) & 7];
  const startBlk = open && blkLeftNow !== 0 && loHere;
  const len = (lenHi << 8) | lenLo;
  const newStart = nextBlkNow + 2;
  const newEnd = newStart + len;
  const blkLeftAfter = blkLeftNow - 1;
  const badBlock = len < MIN_BLOCK || newEnd > payEnd || (blkLeftAfter === 0 ? newEnd !== payEnd : newEnd + 2 > payEnd);
  const newMsg = startBlk && !badBlock;
  const why = startBlk && badBlock ? WHY_MALFORMED : whyHdr;

  // The message in progress: its bytes in this beat, and whether its last byte is here.
  const curLim = s.msgLen < 64 ? s.msgLen : 64;
  const curBuf = s.cur ? writeLanes(s.buf, b.bytes, i18(off - s.msgStart), u7(curLim)) : s.buf;
  const ending = s.cur && s.why === 0 && hit(b, off, u18(s.msgStart + s.msgLen - 1));
  const newLim = len < 64 ? len : 64;
  const nextBuf = newMsg ? writeLanes(curBuf, b.bytes, i18(off - newStart), u7(newLim)) : curBuf;

  // Receiver: the packet's sequence number is applied at its first complete message (data packets)
  // or at the end of a well-formed frame (heartbeat, end of session).
  const keepN = keepCount(b.keep);
  const frameLen = off + keepN;
  const truncated = frameLen < ipStart + 20 || frameLen < ipStart + total;
  const whyEnd = why !== 0 && why !== WHY_MALFORMED ? why : truncated ? WHY_TRUNCATED : why;
  const good = last && whyEnd === 0;
  const committed = s.committed;
  const synced = s.synced;
  const ctlCommit = good && control && !committed;
  const commit = (ending && !committed) || ctlCommit;
  const pseq = ending ? s.mseq : ctlCommit ? u64(wideCat(be32(sq[0], sq[1], sq[2], sq[3]), be32(sq[4], sq[5], sq[6], sq[7]), 32)) : s.mseq;
  const gap = commit && s.synced && pseq > s.expected;
  const expNow = commit && (!synced || pseq > s.expected) ? pseq : s.expected;
  const dup = ending && pseq < expNow;
  const deliver = ending && !dup;
  const t = curBuf[0];
  const known = knownType(t);
  const out = deliver && known ? decode(curBuf, s.msgLen, pseq) : NO_RECORD;
  const dl = decodedLength(t);

  const st = s.stats;
  const fresh = st.messages === 0;
  const stats: FeedStats = {
    frames: last ? u32(st.frames + 1) : st.frames,
    packets: good ? u32(st.packets + 1) : st.packets,
    heartbeats: good && count === 0 ? u32(st.heartbeats + 1) : st.heartbeats,
    endOfSession: good && count === 0xffff ? u32(st.endOfSession + 1) : st.endOfSession,
    messages: deliver ? u32(st.messages + 1) : st.messages,
    records: deliver && known ? u32(st.records + 1) : st.records,
    byType: deliver && known && t !== char("h") ? bumpType(st.byType, i9(t - 65), true) : st.byType,
    opHalt: deliver && t === char("h") ? u32(st.opHalt + 1) : st.opHalt,
    unknownTypes: deliver && !known ? u32(st.unknownTypes + 1) : st.unknownTypes,
    shortMessages: deliver && dl !== 0 && s.msgLen < dl ? u32(st.shortMessages + 1) : st.shortMessages,
    gapEvents: gap ? u32(st.gapEvents + 1) : st.gapEvents,
    missingMessages: gap ? u64(st.missingMessages + (pseq - s.expected)) : st.missingMessages,
    duplicates: dup ? u32(st.duplicates + 1) : st.duplicates,
    firstSequence: deliver && fresh ? pseq : st.firstSequence,
    lastSequence: deliver ? pseq : st.lastSequence,
    skipNotIpv4: last && whyEnd === WHY_NOT_IPV4 ? u32(st.skipNotIpv4 + 1) : st.skipNotIpv4,
    skipBadIp: last && whyEnd === WHY_BAD_IP ? u32(st.skipBadIp + 1) : st.skipBadIp,
    skipFragment: last && whyEnd === WHY_FRAGMENT ? u32(st.skipFragment + 1) : st.skipFragment,
    skipNotUdp: last && whyEnd === WHY_NOT_UDP ? u32(st.skipNotUdp + 1) : st.skipNotUdp,
    skipNotOurs: last && whyEnd === WHY_NOT_OURS ? u32(st.skipNotOurs + 1) : st.skipNotOurs,
    skipTruncated: last && whyEnd === WHY_TRUNCATED ? u32(st.skipTruncated + 1) : st.skipTruncated,
    malformed: last && whyEnd === WHY_MALFORMED ? u32(st.malformed + 1) : st.malformed,
  };

  const state: FeedState = {
    off: last ? u16(0) : off < 0xfff0 ? u16(off + 8) : off,
    vlan: last ? false : vlanNow,
    why: last ? u3(0) : u3(why),
    ipVerIhl: last ? u8(0) : vi,
    ipTotal: last ? u16(0) : total,
    ipFrag: last ? u16(0) : frag,
    ipProto: last ? u8(0) : proto,
    ipDst: last ? u32(0) : dst,
    udpPort: last ? u16(0) : port,
    udpLen: last ? u16(0) : ulen,
    seqBytes: sq,
    count: last ? u16(0) : count,
    blkLeft: last || why !== 0 ? u16(0) : newMsg ? u16(blkLeftAfter) : u16(blkLeftNow),
    nextBlk: newMsg ? u17(newEnd) : u17(nextBlkNow),
    lenHi,
    cur: last || why !== 0 ? false : newMsg ? true : ending ? false : s.cur,
    msgStart: newMsg ? u17(newStart) : s.msgStart,
    msgLen: newMsg ? u16(len) : s.msgLen,
    buf: nextBuf,
    mseq: seqHere ? u64(wideCat(be32(sq[0], sq[1], sq[2], sq[3]), be32(sq[4], sq[5], sq[6], sq[7]), 32)) : ending ? u64(s.mseq + 1n) : s.mseq,
    committed: last ? false : s.committed || commit,
    synced: s.synced || commit,
    expected: deliver ? u64(pseq + 1n) : expNow,
    stats,
  };
  return { state, out, valid: deliver && known };
}

/** The feed handler: one step per 64-bit beat, configured with the destination address and port. */
export const feed = kernel(FEED_INIT, feedStep);
