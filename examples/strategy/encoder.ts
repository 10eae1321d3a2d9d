/**
 * The order encoder: a streaming kernel that turns each OrderRequest (the risk gate's output,
 * ./order.ts) into one complete 104-byte Ethernet II / IPv4 / TCP frame carrying a SoupBinTCP
 * Unsequenced Data packet (`U`) with an OUCH 5.0 Enter Order (47 bytes, no appendages). The host
 * owns the TCP connection and sets the session through the configuration (MACs, IPs, ports, the
 * first sequence number, ack, window, the first UserRefNum, the ClOrdID prefix, TTL and the order's
 * fixed codes); the kernel computes the IPv4 header checksum and the TCP checksum (pseudo-header,
 * header and payload) and advances the session per order: TCP sequence +50 (the payload), UserRefNum
 * +1, IPv4 identification +1. At reset `started` is false and the first step takes the session from
 * the configuration; every step after that uses the state, until the host flips the configuration's
 * `epoch` bit: the next step takes the session from the configuration again (a new connection). The
 * session (`next`) and the counters (`stats`) are readable in hardware. The ClOrdID is the 6-byte
 * prefix followed by the UserRefNum as 8 upper-case hexadecimal digits. docs/order-encoder.md is the
 * contract (frame layout byte by byte).
 */
import { u4, u8, u16, u32, u48, u64, bits, wideCat, kernel, fill, char, type Vec, type Step } from "tsfpga";
import { onesComplementAdd, onesComplementFinish } from "../basics/checksums.js";
import { hexDigit } from "../basics/bitops.js";
import type { OrderRequest } from "./order.js";

/** The host's registers: the TCP session and the order's fixed fields (held constant during a run). */
export interface EncoderConfig {
  /** Ethernet destination and source MAC, the first byte on the wire in bits 47:40. */
  dstMac: u48; srcMac: u48;
  /** IPv4 source and destination (a.b.c.d = a·2^24 + …), TCP source and destination port. */
  srcIp: u32; dstIp: u32; srcPort: u16; dstPort: u16;
  /** TCP sequence number of the first order's payload, the acknowledgment number, the window. */
  firstSeq: u32; ack: u32; window: u16;
  /** IPv4 identification of the first frame. */
  firstIpId: u16;
  /** OUCH UserRefNum of the first order (then +1 per order). */
  firstUserRefNum: u32;
  /** The first 6 ClOrdID characters (ASCII, the first in bits 47:40). */
  clOrdIdPrefix: u48;
  /** IPv4 time to live. */
  ttl: u8;
  /** OUCH Display, Capacity, Intermarket Sweep Eligibility and Cross Type codes (ASCII). */
  display: u8; capacity: u8; ise: u8; crossType: u8;
  /**
   * Session epoch: the first order after reset, and the first order after the host flips this bit,
   * takes its session from the first* fields above (a new TCP connection without a reset).
   */
  epoch: boolean;
}

/** What the next order uses. */
export interface EncoderSession { seq: u32; userRefNum: u32; ipId: u16 }
/** Orders encoded, and how many were buys. */
export interface EncoderStats { orders: u32; buys: u32 }
/** `started`: a session is running, begun under configuration epoch `epoch`. */
export interface EncoderState { started: boolean; epoch: boolean; next: EncoderSession; stats: EncoderStats }

/** One order frame (no FCS), and the values it was built from, for matching it to its trigger. */
export interface OrderFrame {
  bytes: Vec<u8, 104>;
  userRefNum: u32;
  seq: u32;
  /** ITCH timestamp and MoldUDP64 sequence of the triggering message (from the request). */
  timestamp: u48; sequence: u64;
}

/** Frame layout: offsets of the headers, lengths (docs/order-encoder.md). */
const IP = 14;
const TCP = 34;
const SOUP = 54;
const OUCH = 57;
const FRAME_BYTES = 104;
const OUCH_BYTES = 47;
const TCP_PAYLOAD = 3 + OUCH_BYTES;
const TCP_BYTES = 20 + TCP_PAYLOAD;
const IP_TOTAL = 20 + TCP_BYTES;
const PROTO_TCP = 6;

const ENCODER_INIT: EncoderState = {
  started: false,
  epoch: false,
  next: { seq: u32(0), userRefNum: u32(0), ipId: u16(0) },
  stats: { orders: u32(0), buys: u32(0) },
};

/** The big-endian bytes of a 64-bit value. */
function be64(x: u64): Vec<u8, 8> {
  return [u8(bits(x, 63, 56)), u8(bits(x, 55, 48)), u8(bits(x, 47, 40)), u8(bits(x, 39, 32)),
    u8(bits(x, 31, 24)), u8(bits(x, 23, 16)), u8(bits(x, 15, 8)), u8(bits(x, 7, 0))];
}

// The bytes of a frame that come from the configuration and constants (every other byte 0).
export function configBytes(cfg: EncoderConfig): Vec<u8, 104> {
  const f = fill(FRAME_BYTES, u8(0));
  // Ethernet II.
  const dst = be64(u64(cfg.dstMac)), src = be64(u64(cfg.srcMac));
  for (let i = 0; i < 6; i++) { f[i] = dst[2 + i]; f[6 + i] = src[2 + i]; }
  f[12] = u8(0x08);
  // IPv4, 20 bytes: version 4, IHL 5, DSCP/ECN 0, total length, DF, TTL, protocol TCP, addresses.
  f[IP] = u8(0x45);
  f[IP + 2] = u8(IP_TOTAL >> 8); f[IP + 3] = u8(IP_TOTAL & 0xff);
  f[IP + 6] = u8(0x40);
  f[IP + 8] = cfg.ttl; f[IP + 9] = u8(PROTO_TCP);
  const sip = be64(u64(cfg.srcIp)), dip = be64(u64(cfg.dstIp));
  for (let i = 0; i < 4; i++) { f[IP + 12 + i] = sip[4 + i]; f[IP + 16 + i] = dip[4 + i]; }
  // TCP, 20 bytes: ports, ack, data offset 5, PSH|ACK, window.
  const ports = be64(u64(wideCat(cfg.srcPort, cfg.dstPort, 16))), ack = be64(u64(cfg.ack));
  for (let i = 0; i < 4; i++) { f[TCP + i] = ports[4 + i]; f[TCP + 8 + i] = ack[4 + i]; }
  f[TCP + 12] = u8(0x50); f[TCP + 13] = u8(0x18);
  f[TCP + 14] = u8(cfg.window >> 8); f[TCP + 15] = u8(cfg.window & 0xff);
  // SoupBinTCP Unsequenced Data: packet length (type byte + payload), type `U`.
  f[SOUP] = u8((1 + OUCH_BYTES) >> 8); f[SOUP + 1] = u8((1 + OUCH_BYTES) & 0xff); f[SOUP + 2] = u8(char("U"));
  // OUCH 5.0 Enter Order: type, the fixed codes, the ClOrdID prefix; Appendage Length 0.
  f[OUCH] = u8(char("O"));
  f[OUCH + 27] = cfg.display; f[OUCH + 28] = cfg.capacity; f[OUCH + 29] = cfg.ise; f[OUCH + 30] = cfg.crossType;
  const pre = be64(u64(cfg.clOrdIdPrefix));
  for (let i = 0; i < 6; i++) f[OUCH + 31 + i] = pre[2 + i];
  return f;
}

// The bytes of a frame that come from the request: side, quantity, symbol, price, time in force.
export function requestBytes(r: OrderRequest): Vec<u8, 104> {
  const f = fill(FRAME_BYTES, u8(0));
  const qty = be64(u64(r.shares)), sym = be64(r.symbol), px = be64(u64(r.price));
  f[OUCH + 5] = u8(r.buy ? char("B") : char("S"));
  for (let i = 0; i < 4; i++) f[OUCH + 6 + i] = qty[4 + i];
  for (let i = 0; i < 8; i++) { f[OUCH + 10 + i] = sym[i]; f[OUCH + 18 + i] = px[i]; }
  f[OUCH + 26] = r.timeInForce;
  return f;
}

// The bytes of a frame that come from the session: IP identification, TCP sequence, UserRefNum and
// its hexadecimal digits at the end of the ClOrdID.
export function sessionBytes(cur: EncoderSession): Vec<u8, 104> {
  const f = fill(FRAME_BYTES, u8(0));
  f[IP + 4] = u8(cur.ipId >> 8); f[IP + 5] = u8(cur.ipId & 0xff);
  const seq = be64(u64(cur.seq)), ref = be64(u64(cur.userRefNum));
  for (let i = 0; i < 4; i++) { f[TCP + 4 + i] = seq[4 + i]; f[OUCH + 1 + i] = ref[4 + i]; }
  for (let i = 0; i < 8; i++) f[OUCH + 37 + i] = hexDigit(u4(bits(cur.userRefNum, 31 - 4 * i, 28 - 4 * i)));
  return f;
}

// The sum of the 16-bit big-endian words of f[from…to−1] (from even).
function wordSum(f: Vec<u8, 104>, from: u8, to: u8): u32 {
  let s = 0;
  for (let i = 0; i < FRAME_BYTES; i += 2) if (i >= from && i < to) s = s + f[i] * 256 + f[i + 1];
  return u32(s);
}

// The checksum field for a 32-bit sum of 16-bit words: fold the carries, complement.
function checksumOf(sum: u32): u16 {
  return onesComplementFinish(onesComplementAdd(u16(sum & 0xffff), u16(sum >>> 16)));
}

// The frame of one order with the session values `cur`, both checksums filled in. The bytes come
// from three disjoint sources, each summed on its own, so the configuration's part of the checksums
// is computed once (configuration stages), the request's ahead of the state loop (input stages), and
// only the session's part after it.
export function orderFrameBytes(cur: EncoderSession, r: OrderRequest, cfg: EncoderConfig): Vec<u8, 104> {
  const c = configBytes(cfg), q = requestBytes(r), t = sessionBytes(cur);
  const ipEnd = u8(IP + 20), end = u8(FRAME_BYTES), tcp = u8(TCP);
  const ipSum = checksumOf(u32(wordSum(c, u8(IP), ipEnd) + wordSum(t, u8(IP), ipEnd)));
  // The TCP pseudo-header: source and destination address, protocol, TCP length.
  const pseudo = bits(cfg.srcIp, 31, 16) + bits(cfg.srcIp, 15, 0) + bits(cfg.dstIp, 31, 16) + bits(cfg.dstIp, 15, 0) + PROTO_TCP + TCP_BYTES;
  const tcpSum = checksumOf(u32(pseudo + wordSum(c, tcp, end) + wordSum(q, tcp, end) + wordSum(t, tcp, end)));
  const f = fill(FRAME_BYTES, u8(0));
  for (let i = 0; i < FRAME_BYTES; i++) f[i] = u8(c[i] | q[i] | t[i]);
  f[IP + 10] = u8(ipSum >> 8); f[IP + 11] = u8(ipSum & 0xff);
  f[TCP + 16] = u8(tcpSum >> 8); f[TCP + 17] = u8(tcpSum & 0xff);
  return f;
}

// One order per request: the frame from the session (state, or the configuration on the first step).
export function encodeStep(s: EncoderState, r: OrderRequest, cfg: EncoderConfig): Step<EncoderState, OrderFrame> {
  const cur: EncoderSession = s.started && s.epoch === cfg.epoch ? s.next : { seq: cfg.firstSeq, userRefNum: cfg.firstUserRefNum, ipId: cfg.firstIpId };
  const next: EncoderSession = { seq: u32(cur.seq + TCP_PAYLOAD), userRefNum: u32(cur.userRefNum + 1), ipId: u16(cur.ipId + 1) };
  const stats: EncoderStats = { orders: u32(s.stats.orders + 1), buys: u32(s.stats.buys + (r.buy ? 1 : 0)) };
  const out: OrderFrame = { bytes: orderFrameBytes(cur, r, cfg), userRefNum: cur.userRefNum, seq: cur.seq, timestamp: r.timestamp, sequence: r.sequence };
  return { state: { started: true, epoch: cfg.epoch, next, stats }, out, valid: true };
}

/** The order encoder: one frame per OrderRequest; its session and counters are readable. */
export const encoder = kernel(ENCODER_INIT, encodeStep, { readable: ["next", "stats"] });
