// Feed-handler test inputs shared by the native and RTL tests: frames of a capture, synthetic
// MoldUDP64 feeds written by the project's own tools, and a seeded generator that interleaves
// malformed frames (truncations, wrong EtherType, fragments, TCP, foreign addresses and ports, bad
// block lengths, bad IHL, garbage, VLAN-tagged strays) with good ones, some with IPv4 options; and
// frames of random bytes for kernels that read any frame (frame_sum).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCaptureFile } from "../../sim/pcap/read.js";
import { parseIpv4 } from "../../sim/pcap/index.js";
import { synthToPcap, type FromItchOptions } from "../../sim/itch/to-pcap.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfpga-feed-frames-"));

export function frameList(path: string): Uint8Array[] {
  return [...readCaptureFile(path)].map((f) => f.data.slice());
}


export const feedOpts = (o: Partial<FromItchOptions> = {}): FromItchOptions => ({
  session: "0000000001", startSeq: 1n,
  frame: { srcIp: parseIpv4("10.1.1.1"), dstIp: parseIpv4("233.54.12.111"), srcPort: 26477, dstPort: 26477 },
  ...o,
});

/** A small deterministic PRNG (xorshift32) for the malformed-frame generator. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

export function synthFrames(name: string, messages: number, o: Partial<FromItchOptions> = {}, seed = 7): Uint8Array[] {
  const out = join(tmp, `${name}.pcap`);
  synthToPcap({ messages, symbols: 20, seed }, out, feedOpts({ seed, ...o }));
  return frameList(out);
}

/** Offsets inside a well-formed, untagged, IHL-5 MoldUDP64 frame. */
export const PAY = 42;

/** The frame with `n` 32-bit words of IPv4 options inserted (IHL 5 + n, total length adjusted). */
export function withOptions(f: Uint8Array, n: number, rnd: () => number): Uint8Array {
  const ipStart = f[12] === 0x81 && f[13] === 0 ? 18 : 14;
  const opt = Uint8Array.from({ length: 4 * n }, () => Math.floor(rnd() * 256));
  const g = new Uint8Array(f.length + opt.length);
  g.set(f.subarray(0, ipStart + 20));
  g.set(opt, ipStart + 20);
  g.set(f.subarray(ipStart + 20), ipStart + 20 + opt.length);
  g[ipStart] = 0x40 | (5 + n);
  const total = ((g[ipStart + 2]! << 8) | g[ipStart + 3]!) + opt.length;
  g[ipStart + 2] = total >> 8;
  g[ipStart + 3] = total & 255;
  return g;
}

/**
 * Interleaves synthetic good frames with bad ones. Bad frames are derived from the next good frame
 * (so they look real up to the defect) and never complete a message: what the decoder rejects as a
 * whole, the kernel rejects before emitting anything. Good frames sometimes get IPv4 options.
 */
export function corrupt(good: Uint8Array[], seed: number): { frames: Uint8Array[]; kinds: Record<string, number> } {
  const rnd = prng(seed);
  const frames: Uint8Array[] = [];
  const kinds: Record<string, number> = {};
  const note = (k: string) => { kinds[k] = (kinds[k] ?? 0) + 1; };
  const be = (f: Uint8Array, o: number) => (f[o]! << 8) | f[o + 1]!;
  for (const f0 of good) {
    let f = f0;
    if (rnd() < 0.1) { f = withOptions(f0, 1 + Math.floor(rnd() * 10), rnd); note("ip-options"); }
    const count = f0.length >= PAY + 20 ? be(f0, PAY + 18) : 0;
    const firstEnd = count > 0 && count < 0xffff ? PAY + 22 + be(f0, PAY + 20) : f0.length; // one past message 0
    while (rnd() < 0.25) {
      const k = Math.floor(rnd() * 10);
      const g = f0.slice();
      switch (k) {
        case 0: frames.push(f0.slice(0, 1 + Math.floor(rnd() * (firstEnd - 1)))); note("truncated"); break;
        case 1: g[12] = 0x86; g[13] = 0xdd; frames.push(g); note("ethertype"); break;
        case 2: g[14 + 6] |= rnd() < 0.5 ? 0x20 : 0; g[14 + 7] = 1 + Math.floor(rnd() * 255); frames.push(g); note("fragment"); break;
        case 3: g[14 + 9] = 6; frames.push(g); note("tcp"); break;
        case 4: g[14 + 19] ^= 1; frames.push(g); note("other-ip"); break;
        case 5: g[34 + 3] ^= 4; frames.push(g); note("other-port"); break;
        case 6: {
          if (count === 0 || count === 0xffff) break;
          const bad = [0, 3, 5000][Math.floor(rnd() * 3)]!;
          g[PAY + 20] = bad >> 8; g[PAY + 21] = bad & 255; frames.push(g); note("bad-block"); break;
        }
        case 7: g[14] = 0x40 | Math.floor(rnd() * 5); frames.push(g); note("bad-ihl"); break;
        case 8: {
          const n = 1 + Math.floor(rnd() * 1500);
          frames.push(Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256))); note("garbage"); break;
        }
        default: {
          const vlan = new Uint8Array(g.length + 4); // a VLAN-tagged copy to another port
          vlan.set(g.subarray(0, 12)); vlan.set([0x81, 0, 0, 7], 12); vlan.set(g.subarray(12), 16);
          vlan[18 + 20 + 3] ^= 2; frames.push(vlan); note("vlan-other-port"); break;
        }
      }
    }
    frames.push(f);
  }
  return { frames, kinds };
}

/** `n` frames of 1 to 200 random bytes from a seeded linear congruential generator. */
export function randomFrames(n: number, seed: number): Uint8Array[] {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) >>> 0) >>> 8;
  return Array.from({ length: n }, () => {
    const d = new Uint8Array(1 + (next() % 200));
    for (let i = 0; i < d.length; i++) d[i] = next() & 255;
    return d;
  });
}
