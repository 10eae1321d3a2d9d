/**
 * The order encoder: a streaming kernel that turns each OrderRequest (the risk gate's output,
 * ./order.ts) into one complete 104-byte Ethernet II / IPv4 / TCP frame carrying a SoupBinTCP
 * Unsequenced Data packet (`U`) with an OUCH 5.0 Enter Order (47 bytes, no appendages). The host
 * owns the TCP connection and sets the session through the configuration (MACs, IPs, ports, the
 * first sequence number, ack, window, the first UserRefNum, the ClOrdID prefix, TTL and the order's
 * fixed codes); the kernel computes the IPv4 header checksum and the TCP checksum (pseudo-header,
 * header and payload) and advances the session per order: TCP sequence +50 (the payload), UserRefNum
 * +1, IPv4 identification +1. At reset `started` is false and the first step takes the session from
 * the configuration; every step after that uses the state. The session (`next`) and the counters
 * (`stats`) are readable in hardware. The ClOrdID is the 6-byte prefix followed by the UserRefNum as
 * 8 upper-case hexadecimal digits. docs/order-encoder.md is the contract (frame layout byte by byte).
 */
import { u4, u8, u16, u32, u48, u64, bits, wideCat, kernel, fill, char, type Vec, type Step } from "tsfpga";
import { ipv4HeaderChecksum, onesComplementAdd, onesComplementFinish } from "../basics/checksums.js";
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
}

/** What the next order uses. */
export interface EncoderSession { seq: u32; userRefNum: u32; ipId: u16 }
/** Orders encoded, and how many were buys. */
export interface EncoderStats { orders: u32; buys: u32 }
export interface EncoderState { started: boolean; next: EncoderSession; stats: EncoderStats }

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
  next: { seq: u32(0), userRefNum: u32(0), ipId: u16(0) },
  stats: { orders: u32(0), buys: u32(0) },
};

/** The ASCII upper-case hexadecimal digit of a nibble. */
function hexDigit(n: u4): u8 {
  return u8(n < 10 ? char("0") + n : char("A") - 10 + n);
}

/** The big-endian bytes of a 64-bit value. */
function be64(x: u64): Vec<u8, 8> {
  return [u8(bits(x, 63, 56)), u8(bits(x, 55, 48)), u8(bits(x, 47, 40)), u8(bits(x, 39, 32)),
    u8(bits(x, 31, 24)), u8(bits(x, 23, 16)), u8(bits(x, 15, 8)), u8(bits(x, 7, 0))];
}

// The frame of one order with the session values `cur`, both checksums filled in.
export function orderFrameBytes(cur: EncoderSession, r: OrderRequest, cfg: EncoderConfig): Vec<u8, 104> {
  const f = fill(FRAME_BYTES, u8(0));
  // Ethernet II.
  const dst = be64(u64(cfg.dstMac)), src = be64(u64(cfg.srcMac));
  for (let i = 0; i < 6; i++) { f[i] = dst[2 + i]; f[6 + i] = src[2 + i]; }
  f[12] = u8(0x08); f[13] = u8(0x00);
  // IPv4, 20 bytes: version 4, IHL 5, DSCP/ECN 0, DF, protocol TCP; the checksum over the header.
  const ip: Vec<u8, 20> = fill(20, u8(0));
  ip[0] = u8(0x45);
  ip[2] = u8(IP_TOTAL >> 8); ip[3] = u8(IP_TOTAL & 0xff);
  ip[4] = u8(cur.ipId >> 8); ip[5] = u8(cur.ipId & 0xff);
  ip[6] = u8(0x40);
  ip[8] = cfg.ttl; ip[9] = u8(PROTO_TCP);
  const sip = be64(u64(cfg.srcIp)), dip = be64(u64(cfg.dstIp));
  for (let i = 0; i < 4; i++) { ip[12 + i] = sip[4 + i]; ip[16 + i] = dip[4 + i]; }
  const ipSum = ipv4HeaderChecksum(ip);
  for (let i = 0; i < 20; i++) f[IP + i] = ip[i];
  f[IP + 10] = u8(ipSum >> 8); f[IP + 11] = u8(ipSum & 0xff);
  // TCP, 20 bytes: ports, sequence, ack, data offset 5, PSH|ACK, window; the checksum below.
  const ports = be64(u64(cfg.srcPort * 65536 + cfg.dstPort));
  const seqAck = be64(u64(wideCat(cur.seq, cfg.ack, 32)));
  for (let i = 0; i < 4; i++) f[TCP + i] = ports[4 + i];
  for (let i = 0; i < 8; i++) f[TCP + 4 + i] = seqAck[i];
  f[TCP + 12] = u8(0x50); f[TCP + 13] = u8(0x18);
  f[TCP + 14] = u8(cfg.window >> 8); f[TCP + 15] = u8(cfg.window & 0xff);
  // SoupBinTCP Unsequenced Data: packet length (type byte + payload), type `U`.
  f[SOUP] = u8((1 + OUCH_BYTES) >> 8); f[SOUP + 1] = u8((1 + OUCH_BYTES) & 0xff); f[SOUP + 2] = u8(char("U"));
  // OUCH 5.0 Enter Order.
  const ref = be64(u64(cur.userRefNum)), qty = be64(u64(r.shares)), sym = be64(r.symbol), px = be64(u64(r.price));
  f[OUCH] = u8(char("O"));
  for (let i = 0; i < 4; i++) { f[OUCH + 1 + i] = ref[4 + i]; f[OUCH + 6 + i] = qty[4 + i]; }
  f[OUCH + 5] = u8(r.buy ? char("B") : char("S"));
  for (let i = 0; i < 8; i++) { f[OUCH + 10 + i] = sym[i]; f[OUCH + 18 + i] = px[i]; }
  f[OUCH + 26] = r.timeInForce; f[OUCH + 27] = cfg.display; f[OUCH + 28] = cfg.capacity;
  f[OUCH + 29] = cfg.ise; f[OUCH + 30] = cfg.crossType;
  const pre = be64(u64(cfg.clOrdIdPrefix));
  for (let i = 0; i < 6; i++) f[OUCH + 31 + i] = pre[2 + i];
  for (let i = 0; i < 8; i++) f[OUCH + 37 + i] = hexDigit(u4(bits(cur.userRefNum, 31 - 4 * i, 28 - 4 * i)));
  // Appendage Length 0 (bytes 45–46 stay zero).
  // TCP checksum: pseudo-header (addresses, protocol, TCP length) + header (checksum 0) + payload.
  let sum = bits(cfg.srcIp, 31, 16) + bits(cfg.srcIp, 15, 0) + bits(cfg.dstIp, 31, 16) + bits(cfg.dstIp, 15, 0) + PROTO_TCP + TCP_BYTES;
  for (let i = TCP; i < FRAME_BYTES; i += 2) sum = sum + f[i] * 256 + f[i + 1];
  const tcpSum = onesComplementFinish(onesComplementAdd(u16(sum & 0xffff), u16(sum >> 16)));
  f[TCP + 16] = u8(tcpSum >> 8); f[TCP + 17] = u8(tcpSum & 0xff);
  return f;
}

// One order per request: the frame from the session (state, or the configuration on the first step).
export function encodeStep(s: EncoderState, r: OrderRequest, cfg: EncoderConfig): Step<EncoderState, OrderFrame> {
  const cur: EncoderSession = s.started ? s.next : { seq: cfg.firstSeq, userRefNum: cfg.firstUserRefNum, ipId: cfg.firstIpId };
  const next: EncoderSession = { seq: u32(cur.seq + TCP_PAYLOAD), userRefNum: u32(cur.userRefNum + 1), ipId: u16(cur.ipId + 1) };
  const stats: EncoderStats = { orders: u32(s.stats.orders + 1), buys: u32(s.stats.buys + (r.buy ? 1 : 0)) };
  const out: OrderFrame = { bytes: orderFrameBytes(cur, r, cfg), userRefNum: cur.userRefNum, seq: cur.seq, timestamp: r.timestamp, sequence: r.sequence };
  return { state: { started: true, next, stats }, out, valid: true };
}

/** The order encoder: one frame per OrderRequest; its session and counters are readable. */
export const encoder = kernel(ENCODER_INIT, encodeStep, { readable: ["next", "stats"] });
