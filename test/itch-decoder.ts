// Independent reference decoder (the answer key hardware output is compared against). It shares no
// code with sim/: it walks classic pcap records itself (or takes frames from any reader), peels
// Ethernet / one optional 802.1Q tag / IPv4 (any IHL) / UDP, keeps only frames to the destination
// ip:port of the filter, splits MoldUDP64 packets into messages numbered seq, seq+1, … and decodes
// the ITCH 5.0 fields of A F E C X D U P Q S R H. Receiver semantics (per session): a packet whose
// sequence is above the next expected one is one gap event of (sequence − expected) missing messages;
// messages numbered below the next expected one are duplicates, counted and suppressed.
//
// Record shape (DecodedMessage), one per delivered message:
//   common:  seq: bigint (MoldUDP64 number of this message), type: string (1 char), length: number
//            (block length), locate: number, tracking: number, timestamp: bigint (48-bit ns)
//   S  eventCode
//   R  stock marketCategory financialStatus roundLotSize# roundLotsOnly issueClassification issueSubType
//      authenticity shortSaleThreshold ipoFlag luldRefPriceTier etpFlag etpLeverageFactor# inverseIndicator
//   H  stock tradingState reserved reason
//   A  orderReferenceNumber$ buySell shares# stock price#          F  as A + attribution
//   E  orderReferenceNumber$ executedShares# matchNumber$           C  as E + printable executionPrice#
//   X  orderReferenceNumber$ cancelledShares#                       D  orderReferenceNumber$
//   U  originalOrderReferenceNumber$ newOrderReferenceNumber$ shares# price#
//   P  orderReferenceNumber$ buySell shares# stock price# matchNumber$
//   Q  shares$ stock crossPrice# matchNumber$ crossType
// where # = number (≤ 32-bit), $ = bigint (64-bit), unmarked = string (raw ASCII, padding kept, so
// stock is always 8 characters). Prices are integers with 4 implied decimals. Other types carry only
// the common fields. Field names are the spec's names in camelCase.
import { readFileSync } from "node:fs";

export interface DecodedCommon {
  seq: bigint;
  type: string;
  length: number;
  locate: number;
  tracking: number;
  timestamp: bigint;
}

export type DecodedMessage = DecodedCommon & Record<string, string | number | bigint>;

export interface DecodeSummary {
  frames: number;
  /** MoldUDP64 packets to the filtered destination (data, heartbeat and end of session). */
  packets: number;
  heartbeats: number;
  endOfSession: number;
  /** Delivered (non-duplicate) messages. */
  messages: number;
  byType: Record<string, number>;
  /** Frames that are not IPv4/UDP to the filtered destination. */
  skippedFrames: number;
  /** Packets to the destination that are not well-formed MoldUDP64. */
  malformedPackets: number;
  /** Messages of a decoded type whose block is shorter than the type's length. */
  shortMessages: number;
  sequence: { first: bigint | null; last: bigint | null };
  gapEvents: number;
  missingMessages: number;
  duplicates: number;
  sessions: string[];
}

export interface DecodeResult {
  messages: DecodedMessage[];
  summary: DecodeSummary;
}

export interface DecodeOptions {
  /** Keep decoded records in `messages` (default true; turn off for very large captures). */
  keepMessages?: boolean;
  onMessage?: (m: DecodedMessage) => void;
}

type FieldKind = "s" | "n" | "b";
type FieldDef = [key: string, offset: number, size: number, kind: FieldKind];

const ADD_FIELDS: FieldDef[] = [["orderReferenceNumber", 11, 8, "b"], ["buySell", 19, 1, "s"], ["shares", 20, 4, "n"], ["stock", 24, 8, "s"], ["price", 32, 4, "n"]];
const LAYOUT: Record<string, { len: number; fields: FieldDef[] }> = {
  S: { len: 12, fields: [["eventCode", 11, 1, "s"]] },
  R: {
    len: 39,
    fields: [
      ["stock", 11, 8, "s"], ["marketCategory", 19, 1, "s"], ["financialStatus", 20, 1, "s"], ["roundLotSize", 21, 4, "n"],
      ["roundLotsOnly", 25, 1, "s"], ["issueClassification", 26, 1, "s"], ["issueSubType", 27, 2, "s"], ["authenticity", 29, 1, "s"],
      ["shortSaleThreshold", 30, 1, "s"], ["ipoFlag", 31, 1, "s"], ["luldRefPriceTier", 32, 1, "s"], ["etpFlag", 33, 1, "s"],
      ["etpLeverageFactor", 34, 4, "n"], ["inverseIndicator", 38, 1, "s"],
    ],
  },
  H: { len: 25, fields: [["stock", 11, 8, "s"], ["tradingState", 19, 1, "s"], ["reserved", 20, 1, "s"], ["reason", 21, 4, "s"]] },
  A: { len: 36, fields: ADD_FIELDS },
  F: { len: 40, fields: [...ADD_FIELDS, ["attribution", 36, 4, "s"]] },
  E: { len: 31, fields: [["orderReferenceNumber", 11, 8, "b"], ["executedShares", 19, 4, "n"], ["matchNumber", 23, 8, "b"]] },
  C: {
    len: 36,
    fields: [["orderReferenceNumber", 11, 8, "b"], ["executedShares", 19, 4, "n"], ["matchNumber", 23, 8, "b"], ["printable", 31, 1, "s"], ["executionPrice", 32, 4, "n"]],
  },
  X: { len: 23, fields: [["orderReferenceNumber", 11, 8, "b"], ["cancelledShares", 19, 4, "n"]] },
  D: { len: 19, fields: [["orderReferenceNumber", 11, 8, "b"]] },
  U: { len: 35, fields: [["originalOrderReferenceNumber", 11, 8, "b"], ["newOrderReferenceNumber", 19, 8, "b"], ["shares", 27, 4, "n"], ["price", 31, 4, "n"]] },
  P: {
    len: 44,
    fields: [["orderReferenceNumber", 11, 8, "b"], ["buySell", 19, 1, "s"], ["shares", 20, 4, "n"], ["stock", 24, 8, "s"], ["price", 32, 4, "n"], ["matchNumber", 36, 8, "b"]],
  },
  Q: { len: 40, fields: [["shares", 11, 8, "b"], ["stock", 19, 8, "s"], ["crossPrice", 27, 4, "n"], ["matchNumber", 31, 8, "b"], ["crossType", 39, 1, "s"]] },
};

function be(b: Uint8Array, o: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + b[o + i]!;
  return v;
}

function beBig(b: Uint8Array, o: number, n: number): bigint {
  if (n <= 6) return BigInt(be(b, o, n)); // exact: below 2^53
  return (BigInt(be(b, o, n - 4)) << 32n) | BigInt(be(b, o + n - 4, 4));
}

function ascii(b: Uint8Array, o: number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[o + i]!);
  return s;
}

function parseFilter(filter: string | { ip: string; port: number }): { ip: number; port: number } {
  const text = typeof filter === "string" ? filter : `${filter.ip}:${filter.port}`;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+):(\d+)$/.exec(text);
  if (!m) throw new Error(`filter must be ip:port, got "${text}"`);
  const ip = ((+m[1]! << 24) | (+m[2]! << 16) | (+m[3]! << 8) | +m[4]!) >>> 0;
  return { ip, port: +m[5]! };
}

/** Returns the UDP payload of a frame sent to ip:port, or undefined. */
function udpPayloadTo(d: Uint8Array, ip: number, port: number): Uint8Array | undefined {
  let p = 12;
  if (d.length < 14) return undefined;
  let etype = be(d, p, 2);
  if (etype === 0x8100) {
    p += 4;
    if (d.length < p + 2) return undefined;
    etype = be(d, p, 2);
  }
  if (etype !== 0x0800) return undefined;
  const ipStart = p + 2;
  if (d.length < ipStart + 20 || d[ipStart]! >> 4 !== 4) return undefined;
  const ihl = (d[ipStart]! & 0x0f) * 4;
  const total = be(d, ipStart + 2, 2);
  if (ihl < 20 || total < ihl + 8 || d.length < ipStart + total) return undefined;
  if ((be(d, ipStart + 6, 2) & 0x3fff) !== 0) return undefined; // fragment (MF or offset)
  if (d[ipStart + 9] !== 17) return undefined;
  if (be(d, ipStart + 16, 4) !== ip) return undefined;
  const udp = ipStart + ihl;
  if (be(d, udp + 2, 2) !== port) return undefined;
  const udpLen = be(d, udp + 4, 2);
  if (udpLen < 8 || udpLen > total - ihl) return undefined;
  return d.subarray(udp + 8, udp + udpLen);
}

function decodeMessage(seq: bigint, m: Uint8Array, summary: DecodeSummary): DecodedMessage {
  const type = String.fromCharCode(m[0]!);
  const rec: DecodedMessage = {
    seq, type, length: m.length,
    locate: m.length >= 3 ? be(m, 1, 2) : 0,
    tracking: m.length >= 5 ? be(m, 3, 2) : 0,
    timestamp: m.length >= 11 ? beBig(m, 5, 6) : 0n,
  };
  const layout = LAYOUT[type];
  if (!layout) return rec;
  if (m.length < layout.len) {
    summary.shortMessages++;
    return rec;
  }
  for (const [key, off, size, kind] of layout.fields) {
    rec[key] = kind === "s" ? ascii(m, off, size) : kind === "n" ? be(m, off, size) : beBig(m, off, size);
  }
  return rec;
}

/** Decodes frames (from any capture reader) addressed to `filter` ("ip:port"). */
export function decodeItchFrames(frames: Iterable<{ data: Uint8Array }>, filter: string | { ip: string; port: number }, opts: DecodeOptions = {}): DecodeResult {
  const { ip, port } = parseFilter(filter);
  const keep = opts.keepMessages ?? true;
  const messages: DecodedMessage[] = [];
  const summary: DecodeSummary = {
    frames: 0, packets: 0, heartbeats: 0, endOfSession: 0, messages: 0, byType: {}, skippedFrames: 0, malformedPackets: 0,
    shortMessages: 0, sequence: { first: null, last: null }, gapEvents: 0, missingMessages: 0, duplicates: 0, sessions: [],
  };
  const expected = new Map<string, bigint>();
  for (const frame of frames) {
    summary.frames++;
    const pl = udpPayloadTo(frame.data, ip, port);
    if (!pl) {
      summary.skippedFrames++;
      continue;
    }
    if (pl.length < 20) {
      summary.malformedPackets++;
      continue;
    }
    const session = ascii(pl, 0, 10);
    const seq = beBig(pl, 10, 8);
    const count = be(pl, 18, 2);
    // Split blocks first, so a malformed packet changes no sequence state.
    const blocks: Uint8Array[] = [];
    let off = 20;
    let bad = false;
    if (count !== 0 && count !== 0xffff) {
      for (let i = 0; i < count && !bad; i++) {
        if (off + 2 > pl.length) { bad = true; break; }
        const len = be(pl, off, 2);
        if (len === 0 || off + 2 + len > pl.length) { bad = true; break; }
        blocks.push(pl.subarray(off + 2, off + 2 + len));
        off += 2 + len;
      }
    }
    if (bad || off !== pl.length) {
      summary.malformedPackets++;
      continue;
    }
    summary.packets++;
    if (count === 0) summary.heartbeats++;
    if (count === 0xffff) summary.endOfSession++;
    let next = expected.get(session);
    if (next === undefined) {
      summary.sessions.push(session);
      next = seq;
    } else if (seq > next) {
      summary.gapEvents++;
      summary.missingMessages += Number(seq - next);
    }
    if (seq > next) next = seq;
    for (let i = 0; i < blocks.length; i++) {
      const s = seq + BigInt(i);
      if (s < next) {
        summary.duplicates++;
        continue;
      }
      next = s + 1n;
      const rec = decodeMessage(s, blocks[i]!, summary);
      summary.messages++;
      summary.byType[rec.type] = (summary.byType[rec.type] ?? 0) + 1;
      if (summary.sequence.first === null) summary.sequence.first = s;
      summary.sequence.last = s;
      if (keep) messages.push(rec);
      opts.onMessage?.(rec);
    }
    expected.set(session, next);
  }
  return { messages, summary };
}

/** Walks the records of a classic pcap (either byte order, µs or ns) without any shared reader. */
export function* pcapRecords(bytes: Uint8Array): Generator<{ data: Uint8Array }> {
  const magic = be(bytes, 0, 4);
  const little = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  if (!little && magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error("not a classic pcap file");
  const u32 = (o: number): number => (little ? (bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24)) >>> 0 : be(bytes, o, 4));
  let off = 24;
  while (off + 16 <= bytes.length) {
    const incl = u32(off + 8);
    if (off + 16 + incl > bytes.length) throw new Error(`truncated pcap record at ${off}`);
    yield { data: bytes.subarray(off + 16, off + 16 + incl) };
    off += 16 + incl;
  }
  if (off !== bytes.length) throw new Error(`trailing bytes in pcap at ${off}`);
}

export function decodePcapBytes(bytes: Uint8Array, filter: string | { ip: string; port: number }, opts: DecodeOptions = {}): DecodeResult {
  return decodeItchFrames(pcapRecords(bytes), filter, opts);
}

export function decodePcapFile(path: string, filter: string | { ip: string; port: number }, opts: DecodeOptions = {}): DecodeResult {
  return decodePcapBytes(readFileSync(path), filter, opts);
}
