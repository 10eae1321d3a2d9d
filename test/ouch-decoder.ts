/**
 * An independent decoder of outgoing order frames, written from the specifications
 * (../shared/specs/ouch50.md, moldudp64-soupbintcp.md, RFC 791/793) and not from the encoder: it walks
 * an Ethernet II frame, IPv4 (any IHL), TCP (any data offset), the SoupBinTCP packets of the
 * segment and the OUCH 5.0 Enter Order inside a `U` packet, and reports every field, every length it
 * could check and both checksums recomputed from the bytes. Problems are collected, never thrown,
 * so a test can show all of them at once.
 */

export interface DecodedOrderFrame {
  eth: { dst: string; src: string; etherType: number };
  ip: { version: number; ihl: number; dscpEcn: number; totalLength: number; id: number; flags: number; fragOffset: number; ttl: number; protocol: number; checksum: number; src: string; dst: string };
  tcp: { srcPort: number; dstPort: number; seq: number; ack: number; dataOffset: number; flags: number; window: number; checksum: number; urgent: number; payloadLength: number };
  soup: { packetLength: number; type: string };
  ouch: {
    type: string; userRefNum: number; side: string; quantity: number; symbol: string; price: bigint; timeInForce: string;
    display: string; capacity: string; intermarketSweep: string; crossType: string; clOrdId: string; appendageLength: number;
  };
  /** Ones' complement sums over the IPv4 header and over pseudo-header + segment (0xffff when valid). */
  ipChecksumOk: boolean;
  tcpChecksumOk: boolean;
  problems: string[];
}

const hex2 = (b: number) => b.toString(16).padStart(2, "0");
const mac = (d: Uint8Array, o: number) => Array.from(d.subarray(o, o + 6), hex2).join(":");
const ipv4 = (d: Uint8Array, o: number) => Array.from(d.subarray(o, o + 4)).join(".");
const ascii = (d: Uint8Array, o: number, n: number) => String.fromCharCode(...d.subarray(o, o + n));

/** The 16-bit ones' complement sum of `bytes` (an odd length padded with a zero byte), folded. */
export function onesSum(bytes: Uint8Array, initial = 0): number {
  let s = initial;
  for (let i = 0; i < bytes.length; i += 2) s += (bytes[i] << 8) | (i + 1 < bytes.length ? bytes[i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** Decode one frame (no FCS). */
export function decodeOrderFrame(d: Uint8Array): DecodedOrderFrame {
  const problems: string[] = [];
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const need = (n: number, what: string) => { if (d.length < n) problems.push(`frame of ${d.length} bytes too short for ${what} (needs ${n})`); return d.length >= n; };
  const out = { problems } as DecodedOrderFrame;
  if (!need(14, "Ethernet")) return out;
  out.eth = { dst: mac(d, 0), src: mac(d, 6), etherType: v.getUint16(12) };
  if (out.eth.etherType !== 0x0800) problems.push(`EtherType 0x${out.eth.etherType.toString(16)} is not IPv4`);
  if (!need(34, "IPv4")) return out;
  const ihl = d[14] & 15;
  const ipEnd = 14 + 4 * ihl;
  out.ip = {
    version: d[14] >> 4, ihl, dscpEcn: d[15], totalLength: v.getUint16(16), id: v.getUint16(18), flags: d[20] >> 5,
    fragOffset: v.getUint16(20) & 0x1fff, ttl: d[22], protocol: d[23], checksum: v.getUint16(24), src: ipv4(d, 26), dst: ipv4(d, 30),
  };
  if (out.ip.version !== 4) problems.push(`IP version ${out.ip.version}`);
  if (ihl < 5) problems.push(`IHL ${ihl} < 5`);
  if (14 + out.ip.totalLength !== d.length) problems.push(`IPv4 total length ${out.ip.totalLength} but ${d.length - 14} bytes follow Ethernet`);
  out.ipChecksumOk = onesSum(d.subarray(14, ipEnd)) === 0xffff;
  if (!out.ipChecksumOk) problems.push(`IPv4 header checksum 0x${out.ip.checksum.toString(16)} is wrong`);
  if (out.ip.protocol !== 6) problems.push(`IP protocol ${out.ip.protocol} is not TCP`);
  if (!need(ipEnd + 20, "TCP")) return out;
  const t = ipEnd;
  const dataOffset = d[t + 12] >> 4;
  const segEnd = 14 + out.ip.totalLength;
  out.tcp = {
    srcPort: v.getUint16(t), dstPort: v.getUint16(t + 2), seq: v.getUint32(t + 4), ack: v.getUint32(t + 8), dataOffset,
    flags: d[t + 13], window: v.getUint16(t + 14), checksum: v.getUint16(t + 16), urgent: v.getUint16(t + 18), payloadLength: segEnd - t - 4 * dataOffset,
  };
  // Pseudo-header: source and destination address, zero, protocol, TCP length.
  const tcpLen = segEnd - t;
  const pseudo = new Uint8Array(12);
  pseudo.set(d.subarray(26, 34), 0);
  pseudo[9] = 6;
  pseudo[10] = tcpLen >> 8; pseudo[11] = tcpLen & 0xff;
  out.tcpChecksumOk = onesSum(d.subarray(t, segEnd), onesSum(pseudo)) === 0xffff;
  if (!out.tcpChecksumOk) problems.push(`TCP checksum 0x${out.tcp.checksum.toString(16)} is wrong`);
  const p = t + 4 * dataOffset;
  if (!need(p + 3, "SoupBinTCP")) return out;
  out.soup = { packetLength: v.getUint16(p), type: ascii(d, p + 2, 1) };
  if (p + 2 + out.soup.packetLength !== segEnd) problems.push(`SoupBinTCP packet length ${out.soup.packetLength} does not end the segment (${segEnd - p - 2} bytes)`);
  if (out.soup.type !== "U") problems.push(`SoupBinTCP type ${out.soup.type} is not U`);
  const o = p + 3;
  if (!need(o + 47, "OUCH Enter Order")) return out;
  out.ouch = {
    type: ascii(d, o, 1), userRefNum: v.getUint32(o + 1), side: ascii(d, o + 5, 1), quantity: v.getUint32(o + 6),
    symbol: ascii(d, o + 10, 8), price: v.getBigInt64(o + 18), timeInForce: ascii(d, o + 26, 1), display: ascii(d, o + 27, 1),
    capacity: ascii(d, o + 28, 1), intermarketSweep: ascii(d, o + 29, 1), crossType: ascii(d, o + 30, 1), clOrdId: ascii(d, o + 31, 14),
    appendageLength: v.getUint16(o + 45),
  };
  if (out.ouch.type !== "O") problems.push(`OUCH type ${out.ouch.type} is not O (Enter Order)`);
  if (!"BSTE".includes(out.ouch.side)) problems.push(`OUCH side ${out.ouch.side}`);
  if (o + 47 + out.ouch.appendageLength !== segEnd) problems.push(`OUCH Enter Order of 47 + ${out.ouch.appendageLength} bytes does not end the packet`);
  return out;
}
