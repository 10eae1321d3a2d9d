/**
 * The MoldUDP64 / Nasdaq TotalView-ITCH 5.0 feed handler as a streaming kernel: one 64-bit beat
 * (8 byte lanes) per step, Ethernet II with or without one 802.1Q tag, IPv4 with any IHL, UDP to a
 * run-time destination (FeedConfig), MoldUDP64 packets split into message blocks of any length that
 * straddle beats, sequence tracking (gaps, duplicates: A/B arbitration when both feeds are
 * interleaved frame by frame on the one input), and one flat ItchRecord per delivered message of a
 * known ITCH 5.0 type, emitted on the step of the beat that carries the message's last byte.
 * The state update is kept shallow for one beat per clock: header fields are read at their last
 * byte from a 16-byte window (previous beat + this one), at fixed offsets or at offsets registered
 * on earlier beats (IHL-dependent ones are derived from the registered IHL before they are needed);
 * block boundaries are registered frame offsets (low length byte of the next block, last byte of
 * the message in progress), so a block length is one lane select and one add; message bytes are kept
 * one beat per slot, each beat rotated by the message's first lane as it is written, so the output
 * side aligns a byte with one 2:1 select and decodes the record in pipelined stages. At most one block starts and one message ends per beat because every block is ≥ 8
 * bytes (shorter blocks are rejected as malformed). Everything that is not ours or not well-formed is
 * skipped, counted by reason in `stats`, and the state is realigned at every frame's last beat.
 * docs/feed-handler.md is the contract.
 */
import { i18, u1, u3, u4, u6, u8, u16, u17, u32, u48, u64, bits, cat, wideCat, char, fill, kernel, Vec, Beat, Step } from "tsfpga";

/** The run-time destination filter: IPv4 address (a.b.c.d = a·2^24 + …) and UDP port; 0 accepts any. */
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
  /** The previous beat's bytes: fields that straddle two beats are read from prev ++ this beat. */
  prev: Vec<u8, 8>;
  vlan: boolean;
  /** The frame is skipped for a reason other than malformed, and which (the first one found). */
  skip: boolean;
  rEther: boolean;
  rIp: boolean;
  rFrag: boolean;
  rProto: boolean;
  rOurs: boolean;
  /** The MoldUDP64 payload of the frame is not well-formed (counted only if nothing else applies). */
  malf: boolean;
  ipVerIhl: u8;
  ipTotal: u16;
  udpLen: u16;
  count: u16;
  countSeen: boolean;
  /** This beat holds the last byte of the UDP port, UDP length, sequence number and message count
   *  (each at its one-hot lane below), prepared on the previous step from the registered UDP header
   *  start and the next beat's index; the frame offset of the end of the IPv4 datagram. */
  portB: boolean;
  ulenB: boolean;
  seqB: boolean;
  countB: boolean;
  pTot: u17;
  /** Truncation, prepared on the previous step: the header end (offset 33, 37 behind a VLAN tag)
   *  and pTot are each in an earlier beat or in this one (trOk), and the lanes of those in this beat
   *  (trMask) must all be valid. */
  trOk: boolean;
  trMask: u8;
  /** One-hot lanes of those fields (and of blkLo, msgEnd); mPort is 0 when cfg.dstPort is 0
   *  (any port: the port is never compared). */
  mPort: u8;
  mUlen: u8;
  mSeq: u8;
  mCount: u8;
  mTot: u8;
  mLo: u8;
  mEnd: u8;
  /** Blocks of the packet not yet started; whether the first has started; the frame offset of the
   *  next block length's low byte. */
  blkLeft: u16;
  inBlocks: boolean;
  blkLo: u17;
  /** blkLo, and the last byte of the message in progress (msgEnd), are in this beat: prepared on
   *  the previous step (a block's own beat flags from its length's lane and value, in the beat). */
  loB: boolean;
  endB: boolean;
  /** The payload end − 1 and − 3 minus blkLo (the room left for the next block), kept with blkLo. */
  room: i18;
  room3: i18;
  /** The message in progress: frame offset of its last byte, its length, the lane of its first
   *  byte, the next beat slot of `buf` to fill, and its first 8 beats (slot k = its k-th beat,
   *  rotated by msgLane: byte r of the slot is lane (r + msgLane) & 7). */
  cur: boolean;
  msgEnd: u17;
  msgLen: u16;
  msgLane: u3;
  slot: u4;
  buf: Vec<u8, 64>;
  /** The message type byte, or (tNext) the message starts at lane 0 of this beat. */
  typ: u8;
  tNext: boolean;
  /** Sequence number of the next message of the packet to complete. */
  mseq: u64;
  /** The packet's sequence number has been applied to the receiver state (gap check). */
  committed: boolean;
  /** Receiver: a first packet has been seen; the next expected sequence number. */
  synced: boolean;
  expected: u64;
  /** expected − 1, and whether mseq is below / above expected (kept with them, so no 64-bit compare
   *  of two registers is on the state path). */
  expM1: u64;
  ltE: boolean;
  gtE: boolean;
  /** missingMessages − expected (mod 2^64): a gap adds seq − expected to the count in one add. */
  mme: u64;
  /** The UDP length's bound, IPv4 total length − IHL·4, from the registered header fields. */
  ulenMax: u16;
  /** The beat index of the IPv4 datagram's end (pTot >> 3) and the IHL one-hot (bit IHL), kept with
   *  ipTotal and ipVerIhl so the truncation and total-length checks start from registers. */
  totB: u16;
  ihlHot: u16;
  /** The high half of the IPv4 destination without a VLAN tag (bytes 30–31, lanes 6–7 of the beat
   *  before the one that ends it) equals the filter's: the rest is compared in that beat. */
  d33: boolean;
  /** This beat holds the IPv4 destination's last byte (offset 33, or 37 behind a VLAN tag: both
   *  in the beat at offset 32) and the filter compares it (cfg.dstIp ≠ 0; 0 accepts any address),
   *  prepared on the previous step so the filter adds no logic to the header checks. */
  dstBeat: boolean;
  /** This beat is the frame's beat 1, 2, 3 (offset 8, 16, 24); the beat index of the next beat if
   *  the frame goes on (offN >> 3); the UDP header starts at lane 6 (else lane 2) by the registered
   *  IHL and VLAN flag (the lanes of the UDP and MoldUDP64 fields follow: port and count end at
   *  lane 1 or 5, UDP length at 3 or 7, sequence number at 7 or 3); the UDP header's frame offset
   *  (14 or 18, plus IHL·4), from the same registers. */
  beat1: boolean;
  beat2: boolean;
  beat3: boolean;
  nextB: u16;
  udp6: boolean;
  uStart: u8;
  stats: FeedStats;
}

/** The shortest message block accepted: two block lanes can then never both end in one beat. */
const MIN_BLOCK = 8;

/** A frame offset no beat reaches (positions not known yet). */
const FAR = 0x1ffff;

const STATS_INIT: FeedStats = {
  frames: u32(0), packets: u32(0), heartbeats: u32(0), endOfSession: u32(0), messages: u32(0), records: u32(0),
  byType: fill(26, u32(0)), opHalt: u32(0), unknownTypes: u32(0), shortMessages: u32(0),
  gapEvents: u32(0), missingMessages: u64(0), duplicates: u32(0), firstSequence: u64(0), lastSequence: u64(0),
  skipNotIpv4: u32(0), skipBadIp: u32(0), skipFragment: u32(0), skipNotUdp: u32(0), skipNotOurs: u32(0),
  skipTruncated: u32(0), malformed: u32(0),
};

/** The reset state. */
export const FEED_INIT: FeedState = {
  off: u16(0), prev: fill(8, u8(0)), vlan: false, malf: false,
  skip: false, rEther: false, rIp: false, rFrag: false, rProto: false, rOurs: false,
  ipVerIhl: u8(0), ipTotal: u16(0), udpLen: u16(0), count: u16(0), countSeen: false,
  portB: false, ulenB: false, seqB: false, countB: false, pTot: u17(0), trOk: false, trMask: u8(0),
  mPort: u8(0), mUlen: u8(0), mSeq: u8(0), mCount: u8(0), mTot: u8(0), mLo: u8(0), mEnd: u8(0),
  blkLeft: u16(0), inBlocks: false, blkLo: u17(FAR), loB: false, endB: false, room: i18(0), room3: i18(0),
  cur: false, msgEnd: u17(0), msgLen: u16(0), msgLane: u3(0), slot: u4(0), buf: fill(64, u8(0)), typ: u8(0), tNext: false,
  mseq: u64(0), committed: false, synced: false, expected: u64(0), expM1: u64(0xffffffffffffffffn), ltE: false, gtE: false, mme: u64(0), ulenMax: u16(0), totB: u16(1), ihlHot: u16(1), d33: false, dstBeat: false, beat1: false, beat2: false, beat3: false, nextB: u16(1), udp6: false, uStart: u8(14),
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

// Whether frame offset p, a constant in the beat flagged by `here` (a registered beat flag), is a
// valid byte lane of this beat.
function at(b: Beat, here: boolean, p: u17): boolean {
  const valid: Vec<boolean, 8> = fill(8, false);
  for (let l = 0; l < 8; l++) {
    valid[l] = ((b.keep >> l) & 1) !== 0;
  }
  return here && valid[p & 7];
}

// The same for a registered offset whose beat is flagged by `here` (prepared on the previous step)
// and whose lane is kept one-hot in m (no lane decode in the beat).
function atM(b: Beat, here: boolean, m: u8): boolean {
  return here && (b.keep & m) !== 0;
}

// The one-hot lane of a lane number (3-bit arithmetic on the low bits of an offset, not the offset).
function laneMask(lane: u3): u8 {
  const hi = cat(cat(bit(lane === 7), bit(lane === 6), 1), cat(bit(lane === 5), bit(lane === 4), 1), 2);
  const lo = cat(cat(bit(lane === 3), bit(lane === 2), 1), cat(bit(lane === 1), bit(lane === 0), 1), 2);
  return u8(cat(hi, lo, 4));
}

function bit(x: boolean): u8 {
  return x ? u8(1) : u8(0);
}

// Sixteen flags as the bits of one value (flag k is bit k): wiring, no logic.
function pack16(v: Vec<boolean, 16>): u16 {
  const q: Vec<u4, 4> = fill(4, u4(0));
  for (let k = 0; k < 4; k++) {
    q[k] = u4(cat(cat(u1(v[4 * k + 3]), u1(v[4 * k + 2]), 1), cat(u1(v[4 * k + 1]), u1(v[4 * k]), 1), 2));
  }
  return u16(cat(cat(q[3], q[2], 4), cat(q[1], q[0], 4), 8));
}

// Whether any of sixteen flags is set: one test of their bits (a LUT4 tree), not a chain of ORs.
function any16(v: Vec<boolean, 16>): boolean {
  return pack16(v) !== 0;
}

// The byte `back` bytes before frame offset p, p being in this beat (window = prev ++ this beat).
function byteAt(prev: Vec<u8, 8>, b: Beat, p: u17, back: u4): u8 {
  const w: Vec<u8, 8> = fill(8, u8(0));
  for (let l = 0; l < 8; l++) {
    w[l] = l >= back ? b.bytes[(l - back) & 7] : prev[(8 + l - back) & 7];
  }
  return w[p & 7];
}

// Whether an IPv4 version/IHL byte is not version 4 with IHL ≥ 5.
function badVersion(x: u8): boolean {
  return (x >> 4) !== 4 || (x & 15) < 5;
}

// Big-endian fields whose last byte is at frame offset p (in this beat).
function f16(prev: Vec<u8, 8>, b: Beat, p: u17): u16 {
  return be16(byteAt(prev, b, p, u4(1)), byteAt(prev, b, p, u4(0)));
}

function f32(prev: Vec<u8, 8>, b: Beat, p: u17): u32 {
  return be32(byteAt(prev, b, p, u4(3)), byteAt(prev, b, p, u4(2)), byteAt(prev, b, p, u4(1)), byteAt(prev, b, p, u4(0)));
}

function f64(prev: Vec<u8, 8>, b: Beat, p: u17): u64 {
  const hi = be32(byteAt(prev, b, p, u4(7)), byteAt(prev, b, p, u4(6)), byteAt(prev, b, p, u4(5)), byteAt(prev, b, p, u4(4)));
  const lo = be32(byteAt(prev, b, p, u4(3)), byteAt(prev, b, p, u4(2)), byteAt(prev, b, p, u4(1)), byteAt(prev, b, p, u4(0)));
  return u64(wideCat(hi, lo, 32));
}

// ---- big-endian fields of the message buffer ---------------------------------------------------

function be16(b0: u8, b1: u8): u16 {
  return u16(cat(b0, b1, 8));
}

function be32(b0: u8, b1: u8, b2: u8, b3: u8): u32 {
  return u32(cat(cat(b0, b1, 8), cat(b2, b3, 8), 16));
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

// Whether t is an ITCH 5.0 message type (a balanced OR of compares).
function knownType(t: u8): boolean {
  const g1 = (t === char("S") || t === char("R")) || (t === char("H") || t === char("Y"));
  const g2 = (t === char("L") || t === char("V")) || (t === char("W") || t === char("K"));
  const g3 = (t === char("J") || t === char("h")) || (t === char("A") || t === char("F"));
  const g4 = (t === char("E") || t === char("C")) || (t === char("X") || t === char("D"));
  const g5 = (t === char("U") || t === char("P")) || (t === char("Q") || t === char("B"));
  const g6 = (t === char("I") || t === char("N")) || t === char("O");
  return ((g1 || g2) || (g3 || g4)) || (g5 || g6);
}

// The record of a complete message: m holds its first 64 bytes, len is its block length, t its type
// (m[0], passed from the registered type byte so the type compares do not wait for the byte selects).
function decode(m: Vec<u8, 64>, len: u16, seq: u64, t: u8): ItchRecord {
  // A type's fields are decoded when the block holds the whole type (its length in ITCH 5.0): one
  // compare of the type and one of the length per type, in parallel (a switch of the length by type
  // was a 12-deep select chain that took three pipeline stages of the 920-bit record).
  const isA = t === char("A") && len >= 36;
  const isF = t === char("F") && len >= 40;
  const isE = t === char("E") && len >= 31;
  const isC = t === char("C") && len >= 36;
  const isX = t === char("X") && len >= 23;
  const isD = t === char("D") && len >= 19;
  const isU = t === char("U") && len >= 35;
  const isP = t === char("P") && len >= 44;
  const isQ = t === char("Q") && len >= 40;
  const isS = t === char("S") && len >= 12;
  const isR = t === char("R") && len >= 39;
  const isH = t === char("H") && len >= 25;
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

// The per-type counters: counter k (letter 65 + k) incremented when a message of that known type is
// delivered (the unknown letters never count).
function bumpType(counts: Vec<u32, 26>, t: u8, deliver: boolean): Vec<u32, 26> {
  const out: Vec<u32, 26> = fill(26, u32(0));
  for (let k = 0; k < 26; k++) {
    out[k] = knownType(u8(65 + k)) && deliver && t === 65 + k ? u32(counts[k] + 1) : counts[k];
  }
  return out;
}

// Whether a message of type t and block length len is shorter than its decoded type.
function shortType(t: u8, len: u16): boolean {
  const g1 = ((t === char("S") && len < 12) || (t === char("R") && len < 39)) || ((t === char("H") && len < 25) || (t === char("A") && len < 36));
  const g2 = ((t === char("F") && len < 40) || (t === char("E") && len < 31)) || ((t === char("C") && len < 36) || (t === char("X") && len < 23));
  const g3 = ((t === char("D") && len < 19) || (t === char("U") && len < 35)) || ((t === char("P") && len < 44) || (t === char("Q") && len < 40));
  return g1 || g2 || g3;
}

// A beat rotated by a lane: byte r is lane (r + lane) & 7 (an 8-way select by the lane per byte).
function rotate(bytes: Vec<u8, 8>, lane: u3): Vec<u8, 8> {
  const out: Vec<u8, 8> = fill(8, u8(0));
  for (let r = 0; r < 8; r++) {
    const win: Vec<u8, 8> = fill(8, u8(0));
    for (let l = 0; l < 8; l++) {
      win[l] = bytes[(r + l) & 7];
    }
    out[r] = win[lane];
  }
  return out;
}

// The beat slots with this beat written to slot `slot` (rotated by the message's lane: `cur`), and
// to slot 0 when a block starts (rotated by the new message's lane: `first`).
function fillSlot(buf: Vec<u8, 64>, slot: u4, start: boolean, cur: Vec<u8, 8>, first: Vec<u8, 8>): Vec<u8, 64> {
  const out: Vec<u8, 64> = fill(64, u8(0));
  for (let j = 0; j < 64; j++) {
    out[j] = j < 8 && start ? first[j] : (j >> 3) === slot ? cur[j & 7] : buf[j];
  }
  return out;
}

// The message bytes from its first: the beat slots (the current one from this beat, `cur`, rotated
// like them). Byte i = 8q + r is lane lane + r of beat q when lane + r < 8, else lane lane + r − 8 of
// beat q + 1; in rotated slots both are at position r, so byte i is slot q's or slot q + 1's byte r:
// one 2:1 select by a compare of the lane (8 compares in all), not a 64-way select by a computed
// index (44 × 64:1 byte muxes before, the largest part of the design and its routed critical path).
function message(buf: Vec<u8, 64>, slot: u4, lane: u3, cur: Vec<u8, 8>): Vec<u8, 64> {
  const flat: Vec<u8, 64> = fill(64, u8(0));
  for (let j = 0; j < 64; j++) {
    flat[j] = (j >> 3) === slot ? cur[j & 7] : buf[j];
  }
  const m: Vec<u8, 64> = fill(64, u8(0));
  for (let i = 0; i < 64; i++) {
    m[i] = lane < 8 - (i & 7) ? flat[i] : flat[(i + 8) & 63];
  }
  return m;
}

// ---- the step ------------------------------------------------------------------------------

export function feedStep(s: FeedState, b: Beat, cfg: FeedConfig): Step<FeedState, ItchRecord> {
  const off = s.off;
  const last = b.last;
  const prev = s.prev;

  // Ethernet: EtherType at 12–13 (beat 1, lanes 4–5); behind a VLAN tag at 16–17 (beat 2, lanes 0–1).
  const et1Here = s.beat1 && ((b.keep >> 5) & 1) !== 0;
  const et1 = be16(b.bytes[4], b.bytes[5]);
  const vlanNow = et1Here ? et1 === 0x8100 : s.vlan;
  // (EtherType behind the tag at 16–17: beat 2, lanes 0–1.)
  const et2 = be16(b.bytes[0], b.bytes[1]);
  const badEther = (et1Here && (et1 !== 0x8100 && et1 !== 0x0800)) || (at(b, s.beat2, u17(17)) && (s.vlan && et2 !== 0x0800));

  // IPv4 header at 14 (18 behind a VLAN tag): fixed offsets, selected by the registered VLAN flag
  // (the only IPv4 byte in beat 1 is version/IHL at 14, present when that beat has no VLAN tag).
  const vi14Here = at(b, s.beat1, u17(14)) && et1 !== 0x8100;
  const vi18Here = s.vlan && at(b, s.beat2, u17(18));
  const viHere = vi14Here || vi18Here;
  const viByte = s.vlan ? b.bytes[2] : b.bytes[6];
  const vi = viHere ? viByte : s.ipVerIhl;
  const viBad = s.vlan ? badVersion(b.bytes[2]) : badVersion(b.bytes[6]);
  const ihlT = s.vlan ? bits(b.bytes[2], 3, 0) : bits(s.ipVerIhl, 3, 0);
  const totHere = s.vlan ? at(b, s.beat2, u17(21)) : at(b, s.beat2, u17(17));
  const totW = s.vlan ? f16(prev, b, u17(21)) : f16(prev, b, u17(17));
  const total = totHere ? totW : s.ipTotal;
  const fragHere = s.vlan ? at(b, s.beat3, u17(25)) : at(b, s.beat2, u17(21));
  const frag = s.vlan ? f16(prev, b, u17(25)) : f16(prev, b, u17(21));
  const protoHere = s.vlan ? at(b, s.beat3, u17(27)) : at(b, s.beat2, u17(23));
  const proto = s.vlan ? byteAt(prev, b, u17(27), u4(0)) : byteAt(prev, b, u17(23), u4(0));
  const dstHere = s.dstBeat && (s.vlan ? ((b.keep >> 5) & 1) !== 0 : ((b.keep >> 1) & 1) !== 0);
  const dst = f32(prev, b, u17(37));

  // UDP and MoldUDP64 fields at registered offsets (derived from the registered IHL). The UDP
  // header starts at lane 2 or 6 (ipStart is 6 or 2 mod 8, IHL·4 is 0 or 4), so each of these
  // fields ends at one of two lanes, named by its one-hot lane register: the value and its checks
  // are computed for both lanes from the beat (ahead of the state loop) and one is picked.
  const at1 = s.udp6;
  const at7 = !s.udp6;
  const sq7 = s.udp6;
  const portHere = atM(b, s.portB, s.mPort);
  const ulenHere = atM(b, s.ulenB, s.mUlen);
  const ulen7 = be16(b.bytes[6], b.bytes[7]);
  const ulen3 = be16(b.bytes[2], b.bytes[3]);
  const ulen = at7 ? ulen7 : ulen3;
  const seqHere = atM(b, s.seqB, s.mSeq);
  const seq7 = u64(wideCat(be32(b.bytes[0], b.bytes[1], b.bytes[2], b.bytes[3]), be32(b.bytes[4], b.bytes[5], b.bytes[6], b.bytes[7]), 32));
  const seq3 = u64(wideCat(be32(prev[4], prev[5], prev[6], prev[7]), be32(b.bytes[0], b.bytes[1], b.bytes[2], b.bytes[3]), 32));
  const seqNow = sq7 ? seq7 : seq3;
  const countHere = atM(b, s.countB, s.mCount);
  const count1 = be16(b.bytes[0], b.bytes[1]);
  const count5 = be16(b.bytes[4], b.bytes[5]);
  const countH = at1 ? count1 : count5;
  const ctlH = at1 ? count1 === 0 || count1 === 0xffff : count5 === 0 || count5 === 0xffff;
  const count = countHere ? countH : s.count;
  const countSeen = countHere || s.countSeen;

  // Header checks, in the order of the bytes on the wire. The Ethernet/IPv4 group (beats 1–3), the
  // destination/UDP group (beat 4 on) and the MoldUDP64 checks (UDP length on) meet in one beat only
  // at the UDP length, where a foreign destination, then a bad length, take precedence.
  const badVi = viHere && viBad;
  // totW < IHL·4 + 8 (at most 68): the high bits are zero and the low 7 bits / 4 are below IHL + 2.
  // (For each VLAN variant from its own lanes, then picked: the compares do not wait for the pick.)
  const tot21 = f16(prev, b, u17(21));
  const tot17 = f16(prev, b, u17(17));
  const badTot21 = (tot21 >> 7) === 0 && ((tot21 & 127) >> 2) < bits(b.bytes[2], 3, 0) + 2;
  // Without a tag the IHL is registered: the bound for each IHL j from the beat, picked by the
  // registered one-hot IHL (an AND and a test of 16 bits, not a compare after the register).
  const totLt: Vec<boolean, 16> = fill(16, false);
  for (let j = 0; j < 16; j++) {
    totLt[j] = (tot17 >> 7) === 0 && ((tot17 & 127) >> 2) < j + 2;
  }
  const badTot17 = (pack16(totLt) & s.ihlHot) !== 0;
  const badTotal = totHere && (s.vlan ? badTot21 : badTot17);
  const isFrag = fragHere && (frag & 0x3fff) !== 0;
  const badProto = protoHere && proto !== 17;
  // Without a tag the destination's high half was compared on the beat before (d33).
  const dst33 = s.d33 && be16(b.bytes[0], b.bytes[1]) === u16(bits(cfg.dstIp, 15, 0));
  const badDst = dstHere && (s.vlan ? dst !== cfg.dstIp : !dst33);
  const badPort = portHere && (at1 ? be16(b.bytes[0], b.bytes[1]) !== cfg.dstPort : be16(b.bytes[4], b.bytes[5]) !== cfg.dstPort);
  const ours = badDst || badPort;
  // The UDP length's bound, registered on the step before (the IPv4 header is complete by then).
  const ulenMax = s.ulenMax;
  const ulenBad = at7 ? (ulen7 >> 3) === 0 || ulen7 > ulenMax : (ulen3 >> 3) === 0 || ulen3 > ulenMax;
  const badUlen = ulenHere && ulenBad;
  const shortOnly = at7 ? ((ulen7 >> 3) !== 0 && ulen7 < 28) && ulen7 <= ulenMax : ((ulen3 >> 3) !== 0 && ulen3 < 28) && ulen3 <= ulenMax;
  const badControl = (countHere && s.udpLen !== 28) && ctlH;
  // This beat's reason, one flag each, in priority order.
  const vt = badVi || badTotal;
  const ev = badEther || vt;
  const n2 = !badEther && vt;
  // The fragment and protocol fields are never in the beat of the EtherType or version/IHL checks
  // (beat 2 without a VLAN tag, beat 3 behind one), so only the total length precedes them here.
  const n3 = isFrag && !badTotal;
  const n4 = (!isFrag && badProto) && !badTotal;
  // Any reason of the Ethernet/IPv4 group (balanced by arrival: version/IHL and total length last).
  const anyA = (badTotal || badVi) || (badEther || (isFrag || badProto));
  // A bad UDP length (no foreign destination in the same beat), and a payload too short for MoldUDP64.
  const ulenIp = ((ulenHere && !badDst) && !badPort) && ulenBad;
  const ulenNl = ((ulenHere && !last) && !badDst) && !badPort;
  const was = s.skip;
  const open = !was && !s.malf;
  const keep0 = !last && !was;
  // Message blocks: the next block length's low byte at the registered offset blkLo.
  const lo = s.blkLo;
  // The first block's count is the two bytes before its length, in the same beat: the count field
  // (blkLo = pCount + 2 until the first block starts).
  const countW = countH;
  const blkAny = s.inBlocks ? s.blkLeft !== 0 : at1 ? count1 !== 0 && count1 !== 0xffff : count5 !== 0 && count5 !== 0xffff;
  const startBlk = (open && atM(b, s.loB, s.mLo)) && blkAny;
  const len = f16(prev, b, lo);
  const lastBlk = s.inBlocks ? s.blkLeft === 1 : at1 ? count1 === 1 : count5 === 1;
  const room = s.room;
  const room3 = s.room3;
  // The block-length checks for each lane the length's low byte can be in, from the beat (and the
  // previous beat's last byte for lane 0) against registers: below 8 (the beat alone), and for the
  // last block other than `room`, for the others above `room3` (room − 2: above `room` is covered
  // by both). Each lane's result is ANDed with its bit of the one-hot register mLo (whenever a
  // block starts here, mLo is the lane of blkLo) and of keep, and with the rest of the block-start
  // condition (blkGate, ready beside the compares); the lanes and the other reasons for `malf`
  // are joined by one test of their bits (malfV), not a select by lo & 7 and a chain of ORs.
  const blkGate = ((!last && open) && blkAny) && s.loB;
  const malfV: Vec<boolean, 16> = fill(16, false);
  const tooShort: Vec<boolean, 16> = fill(16, false);
  const satB = off >= 0xfff0;
  const endNx: Vec<boolean, 16> = fill(16, false);
  const loNx: Vec<boolean, 16> = fill(16, false);
  for (let l = 0; l < 8; l++) {
    const c = l === 0 ? be16(prev[7], b.bytes[0]) : be16(b.bytes[(l + 7) & 7], b.bytes[l]);
    const on = bits(s.mLo, l, l) === 1 && bits(b.keep, l, l) === 1;
    malfV[l] = (lastBlk ? i18(c) !== room : c > room3) && (on && blkGate);
    tooShort[l] = c < MIN_BLOCK && on;
    // A block starting here (lane l) ends, and the next block's length ends, in the next beat (in
    // this beat index when the offset is saturated): ranges of c against literals, from the beat.
    endNx[l] = satB ? c < 8 - l : c >= 8 - l && c < 16 - l;
    loNx[l] = satB ? c < 6 - l : c >= 6 - l && c < 14 - l;
  }
  malfV[8] = any16(tooShort) && blkGate;

  // The message in progress: its last byte here completes it.
  const ending = s.cur && open && atM(b, s.endB, s.mEnd);
  const t = s.tNext ? b.bytes[0] : s.typ;
  const known = knownType(t);

  // Frame end: truncation, and the skip reason of the frame.
  const truncated = !(s.trOk && ((b.keep ^ 0xff) & s.trMask) === 0);
  // On the last beat of a frame that is not truncated, a block starting here cannot fit: malformed.
  const lastFresh = last && !was;
  const pre = lastFresh && !truncated;
  // A well-formed frame has its count by the last beat, after every other header field.
  const goodHdr = ((lastFresh && !s.malf) && countSeen) && !truncated;
  const goodPay = !(badControl || startBlk);
  malfV[9] = !last && s.malf;
  malfV[10] = !last && badControl;
  malfV[11] = ulenNl && shortOnly;
  const good = goodHdr && goodPay;

  // Receiver: the packet's sequence number is applied at its first complete message (data packets)
  // or at the end of a well-formed frame (heartbeat, end of session).
  const committed = s.committed;
  const synced = s.synced;
  const sq = seqHere ? seqNow : s.mseq;
  const ctlCount = countHere ? ctlH && s.udpLen === 28 : s.countSeen && (s.count === 0 || s.count === 0xffff);
  // (The count and truncation, the latest of the terms, are ANDed last: ctlOk.)
  const ctlPre = (lastFresh && !committed) && !s.malf;
  const ctlOk = ctlCount && !truncated;
  const ctlCommit = ctlPre && ctlOk;
  // mseq against expected, registered (ltE, gtE); the sequence number read from this beat against
  // expected as two 32-bit compares and an equality of the high halves (two short carry chains in
  // parallel, not one of 64 bits), each result ANDed with conditions prepared beside it.
  const gtM = s.gtE;
  const seqHi = sq7 ? be32(b.bytes[0], b.bytes[1], b.bytes[2], b.bytes[3]) : be32(prev[4], prev[5], prev[6], prev[7]);
  const seqLo = sq7 ? be32(b.bytes[4], b.bytes[5], b.bytes[6], b.bytes[7]) : be32(b.bytes[0], b.bytes[1], b.bytes[2], b.bytes[3]);
  const expHi = u32(bits(s.expected, 63, 32));
  const expLo = u32(bits(s.expected, 31, 0));
  const hiEq = seqHi === expHi;
  const gtS = seqHi > expHi || (hiEq && seqLo > expLo);
  const ltS = seqHi < expHi || (hiEq && seqLo < expLo);
  const gapM = ending && ((!committed && synced) && gtM);
  // A gap found by a control packet: by the number read here (gapCS), or by the registered flag.
  const cSy = ((ctlPre && synced) && seqHere) && ctlOk;
  const gapCM = ((ctlPre && synced) && (gtM && !seqHere)) && ctlOk;
  const dup = ending && synced && s.ltE;
  const deliver = ending && !dup;
  // A control commit that sets expected to the packet's number when the number is not in this beat
  // (from registers only).
  const ctlSetM = (ctlPre && (s.gtE || !synced)) && ctlOk;
  // expected becomes sq at a control commit when the number is above it or nothing was synced:
  // (gtS && cS) || cE, the compare of the number read here ANDed last.
  const cS = (ctlPre && seqHere) && ctlOk;
  const cE = (ctlPre && (seqHere ? !synced : gtM || !synced)) && ctlOk;
  // mseq against expected after a step without the number in its beat.
  const ltE0 = ending ? (synced && s.ltE) && s.mseq !== s.expM1 : !ctlSetM && s.ltE;
  const gtE0 = !ending && (!ctlSetM && s.gtE);
  const rotCur = rotate(b.bytes, s.msgLane);
  const out = deliver && known ? decode(message(s.buf, s.slot, s.msgLane, rotCur), s.msgLen, s.mseq, t) : NO_RECORD;

  const st = s.stats;
  const expD = deliver ? u64(s.mseq + 1n) : s.expected;
  const missingM = gapCM || gapM ? u64(s.mseq + s.mme) : st.missingMessages;
  const fresh = st.messages === 0;
  const stats: FeedStats = {
    frames: last ? u32(st.frames + 1) : st.frames,
    packets: good ? u32(st.packets + 1) : st.packets,
    heartbeats: (goodHdr && count === 0) && goodPay ? u32(st.heartbeats + 1) : st.heartbeats,
    endOfSession: (goodHdr && count === 0xffff) && goodPay ? u32(st.endOfSession + 1) : st.endOfSession,
    messages: deliver ? u32(st.messages + 1) : st.messages,
    records: deliver && known ? u32(st.records + 1) : st.records,
    byType: bumpType(st.byType, t, deliver),
    opHalt: deliver && t === char("h") ? u32(st.opHalt + 1) : st.opHalt,
    unknownTypes: deliver && !known ? u32(st.unknownTypes + 1) : st.unknownTypes,
    shortMessages: deliver && shortType(t, s.msgLen) ? u32(st.shortMessages + 1) : st.shortMessages,
    // (gapCS is gtS && cSy: the compare of the number read here selects last.)
    gapEvents: gtS ? (cSy || (gapCM || gapM) ? u32(st.gapEvents + 1) : st.gapEvents) : gapCM || gapM ? u32(st.gapEvents + 1) : st.gapEvents,
    missingMessages: gtS ? (cSy ? u64(seqNow + s.mme) : missingM) : missingM,
    duplicates: dup ? u32(st.duplicates + 1) : st.duplicates,
    firstSequence: deliver && fresh ? s.mseq : st.firstSequence,
    lastSequence: deliver ? s.mseq : st.lastSequence,
    skipNotIpv4: (last && s.rEther) || (lastFresh && badEther) ? u32(st.skipNotIpv4 + 1) : st.skipNotIpv4,
    skipBadIp: ((last && s.rIp) || ((lastFresh && !badEther) && vt)) || ((((lastFresh && ulenHere) && !badDst) && !badPort) && ulenBad) ? u32(st.skipBadIp + 1) : st.skipBadIp,
    skipFragment: (last && s.rFrag) || (lastFresh && n3) ? u32(st.skipFragment + 1) : st.skipFragment,
    skipNotUdp: (last && s.rProto) || (lastFresh && n4) ? u32(st.skipNotUdp + 1) : st.skipNotUdp,
    skipNotOurs: (last && s.rOurs) || (lastFresh && ours) ? u32(st.skipNotOurs + 1) : st.skipNotOurs,
    skipTruncated: ((lastFresh && truncated) && !anyA) && !(ours || badUlen) ? u32(st.skipTruncated + 1) : st.skipTruncated,
    // On the last beat of a frame that is not truncated, a block starting here cannot fit: malformed.
    malformed: (((pre && s.malf) || ((pre && (countHere && s.udpLen !== 28)) && ctlH)) || ((pre && (open && atM(b, s.loB, s.mLo))) && blkAny)) || (((pre && ulenHere) && !ours) && shortOnly) ? u32(st.malformed + 1) : st.malformed,
  };

  // Offsets derived from the registered header fields, for the following beats.
  const ipStart = s.vlan ? 18 : 14;
  const offN = last ? u16(0) : off < 0xfff0 ? u16(off + 8) : off;
  const pTotN = last ? u17(0) : u17(ipStart + s.ipTotal - 1);
  // The lane of pTotN from the low bits only (ipStart − 1 is 13 or 17: 5 or 1 mod 8).
  const mTotN = last ? u8(1) : laneMask(u3(bits(s.ipTotal, 2, 0) + (s.vlan ? 1 : 5)));
  const vlanN = !last && vlanNow;
  const hdrAtN = !last && (off >> 3) === 3;
  // The beat indices of offN and pTotN when the frame goes on (both are 0 after its last beat),
  // each from registers with its adds in parallel (no add feeds a compare through the other).
  const offB = s.nextB;
  const totB = s.totB;
  const totAtN = last || totB === offB;
  const ihlReg = s.ipVerIhl & 15;
  const udpStart = s.uStart;
  // The lane of the UDP header's first byte: ipStart is 6 or 2 mod 8, IHL·4 is 0 or 4 mod 8.
  const udpLane = u3((s.vlan ? 2 : 6) + (s.ipVerIhl & 1) * 4);
  // The lanes of the block length's low byte and of the length's low bits (3-bit arithmetic).
  const loLane = u3(bits(lo, 2, 0));
  const lenLane = u3(bits(len, 2, 0));
  const ipKnown = ihlReg >= 5;
  const startLane = (lo + 1) & 7;
  const nextSlot = s.slot < 8 ? s.slot + 1 : 8;
  const ihlN: Vec<boolean, 16> = fill(16, false);
  for (let j = 0; j < 16; j++) {
    ihlN[j] = last ? j === 0 : bits(vi, 3, 0) === j;
  }

  const state: FeedState = {
    off: offN,
    prev: b.bytes,
    vlan: vlanN,
    skip: !last && ((was || anyA) || (ours || badUlen)),
    rEther: (!last && s.rEther) || (keep0 && badEther),
    rIp: ((!last && s.rIp) || (keep0 && ulenIp)) || ((keep0 && !badEther) && vt),
    rFrag: (!last && s.rFrag) || (keep0 && n3),
    rProto: (!last && s.rProto) || (keep0 && n4),
    rOurs: (!last && s.rOurs) || (keep0 && ours),
    malf: any16(malfV),
    ipVerIhl: last ? u8(0) : vi,
    ipTotal: last ? u16(0) : total,
    udpLen: last ? u16(0) : ulenHere ? ulen : s.udpLen,
    count: last ? u16(0) : count,
    countSeen: !last && countSeen,
    portB: (!last && ipKnown) && ((udpStart + 3) >> 3) === s.nextB,
    ulenB: (!last && ipKnown) && ((udpStart + 5) >> 3) === s.nextB,
    seqB: (!last && ipKnown) && ((udpStart + 25) >> 3) === s.nextB,
    countB: (!last && ipKnown) && ((udpStart + 27) >> 3) === s.nextB,
    pTot: pTotN,
    trOk: !last && (offB >= 4 && totB <= offB),
    trMask: u8((hdrAtN ? (vlanN ? 32 : 2) : 0) | (totAtN ? mTotN : 0)),
    mPort: cfg.dstPort !== 0 ? laneMask(u3(udpLane + 3)) : u8(0),
    mUlen: laneMask(u3(udpLane + 5)),
    mSeq: laneMask(u3(udpLane + 25)),
    mCount: laneMask(u3(udpLane + 27)),
    mTot: mTotN,
    mLo: startBlk ? laneMask(u3(loLane + 2 + lenLane)) : s.inBlocks ? s.mLo : laneMask(u3(udpLane + 29)),
    mEnd: startBlk ? laneMask(u3(loLane + lenLane)) : s.mEnd,
    blkLeft: last ? u16(0) : startBlk ? (s.inBlocks ? u16(s.blkLeft - 1) : u16(countW - 1)) : s.blkLeft,
    inBlocks: !last && (s.inBlocks || startBlk),
    blkLo: startBlk ? u17(lo + 2 + len) : s.inBlocks && !last ? lo : ipKnown && !last ? u17(udpStart + 29) : u17(FAR),
    // (blkLo and msgEnd of the next step against its beat index, offN >> 3 = nextB.)
    loB: !last && (startBlk ? (pack16(loNx) & u16(s.mLo)) !== 0 : s.inBlocks ? (lo >> 3) === s.nextB : ipKnown && ((udpStart + 29) >> 3) === s.nextB),
    endB: !last && (startBlk ? (pack16(endNx) & u16(s.mLo)) !== 0 : (s.msgEnd >> 3) === s.nextB),
    // payEnd1 − blkLo and payEnd3 − blkLo as they will be (the payload end is fixed before the first
    // block: the UDP length is read three beats earlier).
    room: startBlk ? i18(s.room - 2 - len) : s.inBlocks && !last ? s.room : i18(s.udpLen - 30),
    room3: startBlk ? i18(s.room3 - 2 - len) : s.inBlocks && !last ? s.room3 : i18(s.udpLen - 32),
    cur: last ? false : startBlk ? true : ending ? false : s.cur,
    msgEnd: startBlk ? u17(lo + len) : s.msgEnd,
    msgLen: startBlk ? u16(len) : s.msgLen,
    msgLane: startBlk ? u3(startLane) : s.msgLane,
    slot: startBlk ? (startLane === 0 ? u4(0) : u4(1)) : u4(nextSlot),
    buf: fillSlot(s.buf, s.slot, startBlk, rotCur, rotate(b.bytes, u3(startLane))),
    typ: startBlk ? b.bytes[startLane] : s.tNext ? b.bytes[0] : s.typ,
    tNext: startBlk && startLane === 0,
    mseq: seqHere ? seqNow : ending ? u64(s.mseq + 1n) : s.mseq,
    committed: !last && (committed || ending),
    synced: synced || ending || ctlCommit,
    // ((gtS && cS) || cE ? sq : deliver ? mseq + 1 : expected, the compare of the number read here
    // selecting last. cS and cE are control commits, and a message never ends in a control packet:
    // its count is 0 or 0xffff, so no block starts in its frame.)
    expected: gtS ? (cS || cE ? sq : expD) : cE ? sq : expD,
    // expected − 1 as it is on the step after, where a message can end: mseq after a delivery,
    // else the register's expected − 1, one step behind (a control commit that sets expected is at
    // a frame's last beat, and no message ends in the next frame's first beats).
    expM1: deliver ? s.mseq : u64(s.expected - 1n),
    // mseq against expected after this step: equal when expected becomes mseq (a control commit
    // that sets it, a delivery); a duplicate's successor is below expected unless it is
    // expected − 1; a sequence number read here is compared with the expected that stays (it is
    // never in the beat of a message end; a message end is never in a control packet: so a commit
    // sets expected there when nothing was synced for a lower number, always for a higher one).
    // The compares of the number read here select last.
    ltE: ltS ? (seqHere ? !(ctlCommit && !synced) : ltE0) : !seqHere && ltE0,
    gtE: gtS ? (seqHere ? !ctlCommit : gtE0) : !seqHere && gtE0,
    // One step behind: no gap follows a step that changed missingMessages or expected.
    mme: u64(st.missingMessages - s.expected),
    ulenMax: u16(s.ipTotal - (s.ipVerIhl & 15) * 4),
    totB: last ? u16(1) : vlanN ? u16((total + 17) >> 3) : u16((total + 13) >> 3),
    ihlHot: pack16(ihlN),
    d33: be16(b.bytes[6], b.bytes[7]) === u16(bits(cfg.dstIp, 31, 16)),
    dstBeat: (cfg.dstIp !== 0 && !last) && (off >> 3) === 3,
    beat1: !last && off === 0,
    beat2: !last && (off >> 3) === 1,
    beat3: !last && (off >> 3) === 2,
    nextB: last ? u16(1) : s.nextB < 0x1ffe ? u16(s.nextB + 1) : s.nextB,
    udp6: s.vlan ? (s.ipVerIhl & 1) !== 0 : (s.ipVerIhl & 1) === 0,
    uStart: u8((vlanN ? 18 : 14) + bits(last ? u8(0) : vi, 3, 0) * 4),
    stats,
  };
  return { state, out, valid: deliver && known };
}

/**
 * The feed handler: one step per 64-bit beat, configured with the destination address and port.
 * Its counters (`stats`) are readable in hardware on the output port `state_stats`.
 */
export const feed = kernel(FEED_INIT, feedStep, { readable: ["stats"] });
