/**
 * Book inputs straight from a capture, without the feed handler: frames are parsed with the pcap
 * tools (Ethernet/IPv4/UDP, MoldUDP64), messages numbered and de-duplicated with the feed handler's
 * receiver rule (a message numbered below the next expected one is a duplicate), and the fields the
 * book reads are taken from the ITCH 5.0 offsets of specs/itch50.md, zero where a type has none, as
 * in the feed handler's ItchRecord. Used where the native feed kernel would be too slow (the bench's
 * 1 M-message feed, large test feeds); test/reference-book.test.ts shows these records equal the feed
 * kernel's on the shared capture, the ITCH sample and synthetic feeds.
 */
import { readCaptureFile } from "../../sim/pcap/read.js";
import { parseUdpFrame } from "../../sim/pcap/frame.js";
import { decodeMoldPacket } from "../../sim/itch/moldudp64.js";
import type { BookInput } from "./book.js";

const u16 = (m: Uint8Array, o: number): number => (m[o]! << 8) | m[o + 1]!;
const u32 = (m: Uint8Array, o: number): number => ((m[o]! << 24) | (m[o + 1]! << 16) | (m[o + 2]! << 8) | m[o + 3]!) >>> 0;
const u48 = (m: Uint8Array, o: number): bigint => BigInt(u16(m, o) * 4294967296 + u32(m, o + 2));
const u64 = (m: Uint8Array, o: number): bigint => (BigInt(u32(m, o)) << 32n) | BigInt(u32(m, o + 4));

/** Type letter → the block length the feed handler needs to decode that type's fields. */
const LENGTH: Record<string, number> = { A: 36, F: 40, E: 31, C: 36, X: 23, D: 19, U: 35, P: 44 };

/** The book's fields of one ITCH message, P's too (the feed handler zeroes the fields of a short block). */
export function bookInput(sequence: bigint, m: Uint8Array): BookInput {
  const ch = String.fromCharCode(m[0]!);
  const r: BookInput = {
    type: m[0]!, locate: 0, timestamp: 0n, sequence, orderRef: 0n, newOrderRef: 0n, side: 0, shares: 0, price: 0,
    executedShares: 0, canceledShares: 0,
  };
  if (m.length >= 3) r.locate = u16(m, 1);
  if (m.length >= 11) r.timestamp = u48(m, 5);
  const need = LENGTH[ch];
  if (need === undefined || m.length < need) return r;
  r.orderRef = u64(m, 11);
  if (ch === "A" || ch === "F" || ch === "P") {
    r.side = m[19]!;
    r.shares = u32(m, 20);
    r.price = u32(m, 32);
  } else if (ch === "E" || ch === "C") {
    r.executedShares = u32(m, 19);
  } else if (ch === "X") {
    r.canceledShares = u32(m, 19);
  } else if (ch === "U") {
    r.newOrderRef = u64(m, 19);
    r.shares = u32(m, 27);
    r.price = u32(m, 31);
  }
  return r;
}

/** ITCH 5.0 types the feed handler outputs a record for (others are counted and dropped). */
const DECODED = new Set("SRHYLVWKJhAFECXDUPQBINO".split("").map((c) => c.charCodeAt(0)));

/**
 * Book inputs of every delivered message of a capture to dstIp:dstPort (0 = any), in order. Only
 * well-formed MoldUDP64 packets count; duplicates are dropped as the feed handler drops them.
 */
export function* bookInputsFromCapture(path: string, dstIp = 0xe9360c6f, dstPort = 26477): Generator<BookInput> {
  let expected: bigint | undefined;
  for (const f of readCaptureFile(path, { stream: true })) {
    const p = parseUdpFrame(f.data);
    if (!p.ok || (dstIp !== 0 && p.dstIp >>> 0 !== dstIp >>> 0) || (dstPort !== 0 && p.dstPort !== dstPort)) continue;
    const d = decodeMoldPacket(p.payload);
    if (!d.ok) continue;
    const { sequence, messages } = d.packet;
    if (expected === undefined || sequence > expected) expected = sequence;
    for (let i = 0; i < messages.length; i++) {
      const s = sequence + BigInt(i);
      if (s < expected) continue;
      expected = s + 1n;
      if (DECODED.has(messages[i]![0]!)) yield bookInput(s, messages[i]!);
    }
  }
}
