// Ethernet II (+ one optional 802.1Q tag) / IPv4 / UDP frames: a builder that precomputes the
// header template once and writes frames in place, and a parser that never throws — on garbage it
// returns `{ ok: false, reason }` with a reason code. IPv4 options (any legal IHL) are supported on
// both sides; the IPv4 header checksum is always correct on build and reported (not enforced) on
// parse; the UDP checksum is optional (0 = none, allowed for IPv4).
import { macForIpv4 } from "./addr.js";

export interface UdpFrameSpec {
  srcIp: number;
  dstIp: number;
  srcPort: number;
  dstPort: number;
  /** Default: the multicast/unicast mapping of dstIp (see macForIpv4). */
  dstMac?: Uint8Array;
  srcMac?: Uint8Array;
  /** 802.1Q VLAN id (0–4095); absent = untagged. */
  vlan?: number;
  vlanPcp?: number;
  ttl?: number;
  dscp?: number;
  /** IPv4 options, padded by the builder to a multiple of 4 bytes (max 40). */
  ipOptions?: Uint8Array;
  /** Compute the UDP checksum (default false: checksum 0). */
  udpChecksum?: boolean;
}

export type FrameRejectReason =
  | "truncated-ethernet"
  | "truncated-vlan"
  | "not-ipv4"
  | "truncated-ipv4"
  | "bad-ip-version"
  | "bad-ihl"
  | "bad-ip-length"
  | "fragment"
  | "not-udp"
  | "truncated-udp"
  | "bad-udp-length";

export interface ParsedUdpFrame {
  ok: true;
  /** VLAN id when one 802.1Q tag is present. */
  vlan: number | undefined;
  srcIp: number;
  dstIp: number;
  srcPort: number;
  dstPort: number;
  ttl: number;
  ipId: number;
  ipHeaderLength: number;
  ipChecksumOk: boolean;
  udpChecksum: number;
  /** UDP payload (view into the frame, bounded by the UDP length, so Ethernet padding is excluded). */
  payload: Uint8Array;
}

export interface RejectedFrame {
  ok: false;
  reason: FrameRejectReason;
  /** EtherType (for not-ipv4) or IP protocol (for not-udp) when known. */
  code?: number;
}

export type FrameParse = ParsedUdpFrame | RejectedFrame;

const ETH = 14;
const VLAN_TAG = 4;
const UDP = 8;

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

/** Ones' complement sum of 16-bit big-endian words (odd trailing byte padded with zero), not folded. */
function sum16(d: Uint8Array, start: number, end: number, acc = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) acc += (d[i]! << 8) | d[i + 1]!;
  if (i < end) acc += d[i]! << 8;
  return acc;
}

function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 0x10000);
  return acc;
}

export function ipv4HeaderChecksum(d: Uint8Array, start: number, headerLen: number): number {
  const saved = u16(d, start + 10);
  d[start + 10] = 0;
  d[start + 11] = 0;
  const c = ~fold(sum16(d, start, start + headerLen)) & 0xffff;
  d[start + 10] = saved >> 8;
  d[start + 11] = saved & 255;
  return c;
}

export class UdpFrameBuilder {
  private readonly template: Uint8Array;
  private readonly ipOff: number;
  private readonly ihlBytes: number;
  private readonly udpOff: number;
  private readonly udpChecksum: boolean;
  private ipId = 0;

  constructor(spec: UdpFrameSpec) {
    const opts = spec.ipOptions ?? new Uint8Array(0);
    const optLen = (opts.length + 3) & ~3;
    if (optLen > 40) throw new RangeError("IPv4 options exceed 40 bytes");
    this.ipOff = ETH + (spec.vlan === undefined ? 0 : VLAN_TAG);
    this.ihlBytes = 20 + optLen;
    this.udpOff = this.ipOff + this.ihlBytes;
    this.udpChecksum = spec.udpChecksum ?? false;
    const t = new Uint8Array(this.udpOff + UDP);
    t.set(spec.dstMac ?? macForIpv4(spec.dstIp), 0);
    t.set(spec.srcMac ?? macForIpv4(spec.srcIp).map((b, i) => (i === 0 ? 0x02 : b)), 6);
    let p = 12;
    if (spec.vlan !== undefined) {
      t[p] = 0x81;
      t[p + 1] = 0x00;
      const tci = (((spec.vlanPcp ?? 0) & 7) << 13) | (spec.vlan & 0xfff);
      t[p + 2] = tci >> 8;
      t[p + 3] = tci & 255;
      p += 4;
    }
    t[p] = 0x08;
    t[p + 1] = 0x00;
    const ip = this.ipOff;
    t[ip] = 0x40 | (this.ihlBytes / 4);
    t[ip + 1] = ((spec.dscp ?? 0) & 63) << 2;
    t[ip + 6] = 0x40; // don't fragment
    t[ip + 8] = spec.ttl ?? 64;
    t[ip + 9] = 17;
    writeU32(t, ip + 12, spec.srcIp);
    writeU32(t, ip + 16, spec.dstIp);
    t.set(opts, ip + 20);
    writeU16(t, this.udpOff, spec.srcPort);
    writeU16(t, this.udpOff + 2, spec.dstPort);
    this.template = t;
  }

  frameLength(payloadLength: number): number {
    return this.udpOff + UDP + payloadLength;
  }

  /** Largest UDP payload whose IPv4 packet fits in `mtu` bytes. */
  maxPayload(mtu: number): number {
    return mtu - this.ihlBytes - UDP;
  }

  /** Writes a complete frame at out[offset…]; returns the frame length. */
  writeInto(out: Uint8Array, offset: number, payload: Uint8Array): number {
    const t = this.template;
    out.set(t, offset);
    const ip = offset + this.ipOff;
    const udp = offset + this.udpOff;
    writeU16(out, ip + 2, this.ihlBytes + UDP + payload.length);
    writeU16(out, ip + 4, this.ipId);
    this.ipId = (this.ipId + 1) & 0xffff;
    writeU16(out, ip + 10, ipv4HeaderChecksum(out, ip, this.ihlBytes));
    writeU16(out, udp + 4, UDP + payload.length);
    out.set(payload, udp + UDP);
    if (this.udpChecksum) {
      const udpLen = UDP + payload.length;
      let acc = sum16(out, ip + 12, ip + 20) + 17 + udpLen;
      acc = sum16(out, udp, udp + udpLen, acc);
      const c = ~fold(acc) & 0xffff;
      writeU16(out, udp + 6, c === 0 ? 0xffff : c);
    }
    return this.udpOff + UDP + payload.length;
  }

  build(payload: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.frameLength(payload.length));
    this.writeInto(out, 0, payload);
    return out;
  }
}

export function buildUdpFrame(spec: UdpFrameSpec, payload: Uint8Array): Uint8Array {
  return new UdpFrameBuilder(spec).build(payload);
}

function writeU16(d: Uint8Array, o: number, v: number): void {
  d[o] = (v >>> 8) & 255;
  d[o + 1] = v & 255;
}

function writeU32(d: Uint8Array, o: number, v: number): void {
  d[o] = (v >>> 24) & 255;
  d[o + 1] = (v >>> 16) & 255;
  d[o + 2] = (v >>> 8) & 255;
  d[o + 3] = v & 255;
}

/** Parses an Ethernet frame down to its UDP payload. Never throws. */
export function parseUdpFrame(d: Uint8Array): FrameParse {
  if (d.length < ETH) return { ok: false, reason: "truncated-ethernet" };
  let p = 12;
  let ethertype = u16(d, p);
  let vlan: number | undefined;
  if (ethertype === 0x8100) {
    if (d.length < ETH + VLAN_TAG) return { ok: false, reason: "truncated-vlan" };
    vlan = u16(d, p + 2) & 0xfff;
    p += 4;
    ethertype = u16(d, p);
  }
  if (ethertype !== 0x0800) return { ok: false, reason: "not-ipv4", code: ethertype };
  const ip = p + 2;
  if (d.length - ip < 20) return { ok: false, reason: "truncated-ipv4" };
  if (d[ip]! >> 4 !== 4) return { ok: false, reason: "bad-ip-version" };
  const ihl = (d[ip]! & 15) * 4;
  if (ihl < 20) return { ok: false, reason: "bad-ihl" };
  if (d.length - ip < ihl) return { ok: false, reason: "truncated-ipv4" };
  const total = u16(d, ip + 2);
  if (total < ihl) return { ok: false, reason: "bad-ip-length" };
  if (d.length - ip < total) return { ok: false, reason: "truncated-ipv4" };
  const flagsFrag = u16(d, ip + 6);
  if ((flagsFrag & 0x2000) !== 0 || (flagsFrag & 0x1fff) !== 0) return { ok: false, reason: "fragment" };
  if (d[ip + 9] !== 17) return { ok: false, reason: "not-udp", code: d[ip + 9] };
  const udp = ip + ihl;
  if (total - ihl < UDP) return { ok: false, reason: "truncated-udp" };
  const udpLen = u16(d, udp + 4);
  if (udpLen < UDP || udpLen > total - ihl) return { ok: false, reason: "bad-udp-length" };
  return {
    ok: true,
    vlan,
    srcIp: ((d[ip + 12]! << 24) | (d[ip + 13]! << 16) | (d[ip + 14]! << 8) | d[ip + 15]!) >>> 0,
    dstIp: ((d[ip + 16]! << 24) | (d[ip + 17]! << 16) | (d[ip + 18]! << 8) | d[ip + 19]!) >>> 0,
    srcPort: u16(d, udp),
    dstPort: u16(d, udp + 2),
    ttl: d[ip + 8]!,
    ipId: u16(d, ip + 4),
    ipHeaderLength: ihl,
    ipChecksumOk: fold(sum16(d, ip, ip + ihl)) === 0xffff,
    udpChecksum: u16(d, udp + 6),
    payload: d.subarray(udp + UDP, udp + udpLen),
  };
}
