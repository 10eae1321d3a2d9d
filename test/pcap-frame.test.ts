// Ethernet/VLAN/IPv4/UDP frame builder and parser: round trips over VLAN, IPv4 options of every legal
// length, UDP checksum on/off; correct IPv4 header checksum (checked against an independent sum and
// a real captured header); reason codes for each kind of bad frame; and, with fast-check, that the
// parser never throws on arbitrary or mutated bytes.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildUdpFrame, ipv4HeaderChecksum, parseUdpFrame, parseIpv4, formatIpv4, parseEndpoint, InputError, type UdpFrameSpec } from "../sim/pcap/index.js";

const base: UdpFrameSpec = { srcIp: parseIpv4("206.200.127.138"), dstIp: parseIpv4("233.54.12.111"), srcPort: 52086, dstPort: 26477 };

function onesSum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

describe("build → parse", () => {
  it("untagged, VLAN, every IHL, UDP checksum on/off", () => {
    const payload = Uint8Array.from({ length: 37 }, (_, i) => i * 7);
    for (const vlan of [undefined, 0, 1002, 4095]) {
      for (let optWords = 0; optWords <= 10; optWords++) {
        for (const udpChecksum of [false, true]) {
          const ipOptions = new Uint8Array(optWords * 4).fill(1);
          const f = buildUdpFrame({ ...base, vlan, ipOptions, udpChecksum }, payload);
          const p = parseUdpFrame(f);
          if (!p.ok) throw new Error(p.reason);
          expect(p.vlan).toBe(vlan);
          expect(p.ipHeaderLength).toBe(20 + optWords * 4);
          expect(p.ipChecksumOk).toBe(true);
          expect(formatIpv4(p.dstIp)).toBe("233.54.12.111");
          expect(p.dstPort).toBe(26477);
          expect([...p.payload]).toEqual([...payload]);
          const ip = 14 + (vlan === undefined ? 0 : 4);
          expect(onesSum(f.subarray(ip, ip + p.ipHeaderLength))).toBe(0xffff);
          if (udpChecksum) {
            const udp = f.subarray(ip + p.ipHeaderLength);
            const pseudo = Uint8Array.of(...f.subarray(ip + 12, ip + 20), 0, 17, udp.length >> 8, udp.length & 255);
            expect(onesSum(Uint8Array.of(...pseudo, ...udp))).toBe(0xffff);
          } else {
            expect(p.udpChecksum).toBe(0);
          }
        }
      }
    }
  });

  it("reproduces the IPv4 checksum of a real captured header", () => {
    // First MoldUDP64 frame of the shared 2016 capture: id 0xf9ac, DF, TTL 21, checksum 0x27f2.
    const f = buildUdpFrame({ ...base, ttl: 0x15 }, new Uint8Array(0x56 - 28));
    f[18] = 0xf9;
    f[19] = 0xac;
    f[24] = 0;
    f[25] = 0;
    expect(ipv4HeaderChecksum(f, 14, 20)).toBe(0x27f2);
    expect(~onesSum(f.subarray(14, 34)) & 0xffff).toBe(0x27f2);
  });

  it("multicast destination MAC mapping", () => {
    const f = buildUdpFrame(base, new Uint8Array(1));
    expect([...f.subarray(0, 6)]).toEqual([0x01, 0x00, 0x5e, 0x36, 0x0c, 0x6f]);
  });
});

describe("reason codes", () => {
  const good = buildUdpFrame(base, new Uint8Array(20));
  const mutate = (fn: (b: Uint8Array) => void, len = good.length): Uint8Array => {
    const b = Uint8Array.from(good.subarray(0, len));
    fn(b);
    return b;
  };
  const cases: Array<[string, Uint8Array]> = [
    ["truncated-ethernet", good.subarray(0, 13)],
    ["not-ipv4", mutate((b) => { b[12] = 0x86; b[13] = 0xdd; })],
    ["truncated-vlan", Uint8Array.of(...good.subarray(0, 12), 0x81, 0x00)],
    ["truncated-ipv4", good.subarray(0, 30)],
    ["bad-ip-version", mutate((b) => { b[14] = 0x65; })],
    ["bad-ihl", mutate((b) => { b[14] = 0x44; })],
    ["bad-ip-length", mutate((b) => { b[16] = 0; b[17] = 10; })],
    ["truncated-ipv4", mutate((b) => { b[16] = 0x10; })],
    ["fragment", mutate((b) => { b[20] = 0x20; })],
    ["fragment", mutate((b) => { b[21] = 0x01; })],
    ["not-udp", mutate((b) => { b[23] = 6; })],
    ["truncated-udp", mutate((b) => { b[16] = 0; b[17] = 24; }, 38)],
    ["bad-udp-length", mutate((b) => { b[38] = 0xff; })],
    ["bad-udp-length", mutate((b) => { b[38] = 0; b[39] = 4; })],
  ];
  for (const [reason, frame] of cases) {
    it(reason, () => expect(parseUdpFrame(frame)).toMatchObject({ ok: false, reason }));
  }
  it("Ethernet padding after the IPv4 packet is ignored", () => {
    const padded = Uint8Array.of(...buildUdpFrame(base, Uint8Array.of(9)), 0, 0, 0, 0, 0);
    const p = parseUdpFrame(padded);
    expect(p.ok && [...p.payload]).toEqual([9]);
  });
  it("a corrupted IPv4 checksum is reported, not rejected", () => {
    const p = parseUdpFrame(mutate((b) => { b[24] ^= 1; }));
    expect(p.ok && p.ipChecksumOk).toBe(false);
  });
});

describe("parser robustness (fast-check, seeded)", () => {
  it("never throws on random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (b) => void parseUdpFrame(b)), { seed: 42, numRuns: 3000 });
  });
  it("never throws on mutated valid frames, and a success stays inside the frame", () => {
    const good = buildUdpFrame({ ...base, vlan: 5, ipOptions: new Uint8Array(8) }, new Uint8Array(40));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { maxLength: 6 }), fc.nat(good.length), (edits, cut) => {
        const b = Uint8Array.from(good);
        for (const [i, v] of edits) b[i] = v;
        const p = parseUdpFrame(b.subarray(0, cut));
        if (p.ok) expect(p.payload.byteOffset + p.payload.length).toBeLessThanOrEqual(cut);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });
});

describe("addresses", () => {
  it("parses endpoints and rejects bad ones with InputError", () => {
    expect(parseEndpoint("233.54.12.111:26477")).toEqual({ ip: 0xe9360c6f, port: 26477 });
    for (const bad of ["1.2.3:5", "1.2.3.256:1", "1.2.3.4:70000", "x"]) expect(() => parseEndpoint(bad)).toThrow(InputError);
  });
});
