// Captures like the public samples from other sources, built with the project's own writer
// (sim/pcap/write.ts): per-type samples with zeroed addresses and ports, an all-NUL MoldUDP64 session
// and sequence 0 in every packet; a MoldUDP64 feed whose messages are not ITCH 5.0 (another
// protocol's types and lengths); and pcapng files with a chosen if_tsresol.
import { writeFileSync } from "node:fs";
import { buildUdpFrame, encodePcap, parseIpv4 } from "../../sim/pcap/index.js";
import { encodeItchMessage } from "../../sim/itch/codec.js";
import { buildPcapng } from "../fixtures/pcap/pcapng-builder.js";

/** A MoldUDP64 packet with raw session bytes (the encoder only takes printable names). */
export function moldPacket(session: Uint8Array, sequence: bigint, messages: Uint8Array[]): Uint8Array {
  const len = 20 + messages.reduce((a, m) => a + 2 + m.length, 0);
  const p = new Uint8Array(len);
  p.set(session.subarray(0, 10), 0);
  const v = new DataView(p.buffer);
  v.setBigUint64(10, sequence, false);
  v.setUint16(18, messages.length, false);
  let o = 20;
  for (const m of messages) {
    v.setUint16(o, m.length, false);
    p.set(m, o + 2);
    o += 2 + m.length;
  }
  return p;
}

export const ZERO_ENDPOINTS = { srcIp: 0, dstIp: 0, srcPort: 0, dstPort: 0 };
export const NUL_SESSION = new Uint8Array(10);

/** A per-type sample: `copies` frames, each the same one-message packet, 0.0.0.0:0, NUL session, sequence 0. */
export function zeroSampleFrames(message: Uint8Array, copies = 5): Uint8Array[] {
  return Array.from({ length: copies }, () => buildUdpFrame(ZERO_ENDPOINTS, moldPacket(NUL_SESSION, 0n, [message])));
}

/** A stock-directory-style sample message per type, as in the public per-type captures. */
export function sampleMessage(type: string): Uint8Array {
  return encodeItchMessage(type, { stockLocate: 1, trackingNumber: 0, timestamp: 1000, stock: "ZVZZT", orderReferenceNumber: 7, shares: 100, price: 1234500 });
}

/**
 * A MoldUDP64 feed carrying another protocol: message types ITCH 5.0 does not define (e.g. 'a',
 * 'j', '1') and known letters with other lengths, the way ISE/ASX/JNX/UQDF samples look when read
 * as ITCH 5.0.
 */
export function foreignFrames(dst = "233.54.12.111", port = 26477): Uint8Array[] {
  const spec = { srcIp: parseIpv4("10.1.1.1"), srcPort: 26477, dstIp: parseIpv4(dst), dstPort: port };
  const msg = (type: string, len: number): Uint8Array => {
    const m = new Uint8Array(len);
    m[0] = type.charCodeAt(0);
    for (let i = 1; i < len; i++) m[i] = (i * 37) & 255;
    return m;
  };
  const session = Uint8Array.from("FOREIGN001", (c) => c.charCodeAt(0));
  const frames: Uint8Array[] = [];
  let seq = 1n;
  for (let k = 0; k < 6; k++) {
    const ms = [msg("a", 25), msg("A", 30), msg("j", 40), msg("1", 17), msg("E", 26)];
    frames.push(buildUdpFrame(spec, moldPacket(session, seq, ms)));
    seq += BigInt(ms.length);
  }
  return frames;
}

export function writePcap(path: string, frames: Uint8Array[], nanosecond = false): string {
  writeFileSync(path, encodePcap(frames.map((data, i) => ({ tsNs: 1_000_000_000n + BigInt(i) * 1000n, data })), { nanosecond }));
  return path;
}

/** A pcapng of the frames with the given raw if_tsresol byte (9 = ns, 6 = µs, 0x80|20 = 2^-20 s). */
export function writePcapng(path: string, frames: Uint8Array[], tsresol: number): string {
  writeFileSync(path, buildPcapng(frames.map((data, i) => ({ tsNs: 1_000_000_000n + BigInt(i) * 1000n, data })), { tsresol }));
  return path;
}
