// Feed generation: BinaryFILE reading (chunk boundaries, zero-length mode, errors with offsets),
// fast-check properties that the independent decoder counts exactly the gaps, missing messages and
// duplicates that from-itch injected (with random VLAN, packing, sequence start and session), and the
// synthetic day: exact message count, deterministic per seed, daily type mix, consistent order books.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { readBinaryFile } from "../sim/itch/binaryfile.js";
import { convertItchToPcap, synthToPcap, type FromItchOptions } from "../sim/itch/to-pcap.js";
import { synthesizeItch, DAILY_MIX } from "../sim/itch/synth.js";
import type { PacketLogEntry } from "../sim/itch/feed.js";
import { ItchFileError, InputError, parseIpv4 } from "../sim/pcap/index.js";
import { decodePcapFile, type DecodedMessage } from "./itch-decoder.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfpga-feed-"));
const DST = "233.54.12.111:26477";
const frame = { srcIp: parseIpv4("10.1.1.1"), dstIp: parseIpv4("233.54.12.111"), srcPort: 26477, dstPort: 26477 };

/** Writes synthetic messages as a BinaryFILE (real u16 length prefixes, or all zero). */
function makeBinaryFile(path: string, messages: number, seed: number, zero = false): Uint8Array[] {
  const list: Uint8Array[] = [];
  synthesizeItch({ messages, symbols: 5, seed }, (m, len) => list.push(m.slice(0, len)));
  const parts = list.flatMap((m) => [Uint8Array.of(zero ? 0 : m.length >> 8, zero ? 0 : m.length & 255), m]);
  writeFileSync(path, Buffer.concat(parts));
  return list;
}

function errorOf(fn: () => unknown): ItchFileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ItchFileError);
    return e as ItchFileError;
  }
  throw new Error("expected an ItchFileError");
}

describe("BinaryFILE reader", () => {
  const file = join(tmp, "small.itch");
  const list = makeBinaryFile(file, 500, 1);
  const read = (path: string, opts = {}): string[] => {
    const out: string[] = [];
    for (const m of readBinaryFile(path, opts)) out.push(Buffer.from(m.data).toString("hex")); // views are only valid until next()
    return out;
  };
  const hex = list.map((m) => Buffer.from(m).toString("hex"));

  it("reads every message, across chunk boundaries of any size", () => {
    for (const chunkSize of [1, 7, 64, 1 << 20]) expect(read(file, { chunkSize })).toEqual(hex);
  });

  it("zero-length mode reads the same messages; a trailing zero length is end of session", () => {
    const z = join(tmp, "zero.itch");
    makeBinaryFile(z, 500, 1, true);
    expect(read(z, { zeroLengths: true, chunkSize: 13 })).toEqual(hex);
    const eos = join(tmp, "eos.itch");
    writeFileSync(eos, Buffer.concat([readFileSync(file), Uint8Array.of(0, 0)]));
    expect(read(eos)).toEqual(hex);
  });

  it("errors name the file and byte offset", () => {
    const z = join(tmp, "zero2.itch");
    makeBinaryFile(z, 100, 2, true);
    const e1 = errorOf(() => read(z));
    expect(e1.offset).toBe(0);
    expect(e1.message).toContain("--zero-lengths");
    const bytes = readFileSync(file);
    const cut = join(tmp, "cut.itch");
    writeFileSync(cut, bytes.subarray(0, bytes.length - 3));
    expect(errorOf(() => read(cut)).message).toMatch(/cut\.itch: truncated message: \d+ bytes announced, \d+ left in the file at byte offset \d+/);
    const unknown = Uint8Array.from(bytes);
    const second = 2 + list[0]!.length;
    unknown[second + 2] = "Z".charCodeAt(0);
    const u = join(tmp, "unknown.itch");
    writeFileSync(u, unknown);
    const e2 = errorOf(() => read(u, { zeroLengths: true }));
    expect(e2.message).toMatch(/unknown ITCH message type 'Z' \(0x5a\); cannot infer its length at byte offset/);
    expect(e2.offset).toBe(second + 2);
    const mismatch = Uint8Array.from(bytes);
    mismatch[1] = 99;
    expect(errorOf(() => read(join(tmp, "m.itch"), {}) ?? 0).message).toMatch(/cannot open file \(ENOENT\)/);
    writeFileSync(join(tmp, "m.itch"), mismatch);
    expect(errorOf(() => read(join(tmp, "m.itch"), { zeroLengths: true })).message).toMatch(/length prefix 99 disagrees with the 12-byte length of type 'S' at byte offset 0/);
  });
});

/**
 * What a receiver must see, given what the feed injected: a run of dropped packets is one gap event
 * when a later packet arrives (the end-of-session packet counts), and is invisible before the first
 * packet the receiver sees, since it has no expectation yet.
 */
function expectedCounts(log: PacketLogEntry[], endOfSession: boolean) {
  let gapEvents = 0, missing = 0, dups = 0, run = 0, delivered = 0, seen = false;
  for (const p of log) {
    if (p.dropped) {
      if (seen) run += p.count;
      continue;
    }
    seen = true;
    if (run > 0) { gapEvents++; missing += run; run = 0; }
    delivered += p.count;
    if (p.duplicated) dups += p.count;
  }
  if (run > 0 && endOfSession) { gapEvents++; missing += run; }
  return { gapEvents, missingMessages: missing, duplicates: dups, messages: delivered };
}

describe("from-itch drops / duplicates / VLAN (fast-check, seeded)", () => {
  const input = join(tmp, "prop.itch");
  const all = makeBinaryFile(input, 3000, 5);

  it("the independent decoder counts exactly what was injected", () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.record({
          drop: fc.double({ min: 0, max: 0.5, noNaN: true }),
          dup: fc.double({ min: 0, max: 0.5, noNaN: true }),
          seed: fc.nat(),
          vlan: fc.option(fc.integer({ min: 0, max: 4095 }), { nil: undefined }),
          packing: fc.oneof(fc.record({ msgsPerPacket: fc.integer({ min: 1, max: 40 }) }), fc.record({ mtu: fc.integer({ min: 120, max: 9000 }) })),
          startSeq: fc.bigInt({ min: 0n, max: 2n ** 63n }),
          endOfSession: fc.boolean(),
          session: fc.stringMatching(/^[A-Z0-9]{10}$/),
        }),
        (p) => {
          const out = join(tmp, `prop-${n++}.pcap`);
          const opts: FromItchOptions = { session: p.session, startSeq: p.startSeq, frame: { ...frame, vlan: p.vlan }, drop: p.drop, dup: p.dup, seed: p.seed, endOfSession: p.endOfSession, log: true, ...p.packing };
          const r = convertItchToPcap(input, out, opts);
          const { summary, messages } = decodePcapFile(out, DST);
          const want = expectedCounts(r.log!, p.endOfSession);
          expect(summary).toMatchObject(want);
          expect(summary.packets).toBe(r.framesWritten);
          // Every delivered message is the input message its sequence number names.
          for (const m of messages) {
            const src = all[Number(m.seq - p.startSeq)]!;
            expect(m.type).toBe(String.fromCharCode(src[0]!));
            expect(m.length).toBe(src.length);
          }
        },
      ),
      { seed: 20240913, numRuns: 40 },
    );
  });
});

describe("synth", () => {
  it("writes exactly N messages, deterministically per seed", () => {
    const [a, b, c] = ["a", "b", "c"].map((x) => join(tmp, `synth-${x}.pcap`));
    const o: FromItchOptions = { session: "SYNTH00001", startSeq: 1n, frame };
    const ra = synthToPcap({ messages: 20_000, symbols: 20, seed: 1 }, a!, o);
    synthToPcap({ messages: 20_000, symbols: 20, seed: 1 }, b!, o);
    synthToPcap({ messages: 20_000, symbols: 20, seed: 2 }, c!, o);
    expect(ra.messages).toBe(20_000);
    expect(Object.values(ra.byType).reduce((x, y) => x + y, 0)).toBe(20_000);
    expect(readFileSync(a!).equals(readFileSync(b!))).toBe(true);
    expect(readFileSync(a!).equals(readFileSync(c!))).toBe(false);
  });

  it("follows the daily type mix and keeps every order lifecycle consistent", () => {
    const out = join(tmp, "synth-book.pcap");
    const N = 200_000;
    synthToPcap({ messages: N, symbols: 300, seed: 42 }, out, { session: "SYNTH00001", startSeq: 1n, frame, msgsPerPacket: 25 });
    const live = new Map<bigint, { shares: number; locate: number; side: string }>();
    const everSeen = new Set<bigint>();
    const problems: string[] = [];
    const need = (m: DecodedMessage, ref: bigint) => {
      const o = live.get(ref);
      if (!o) problems.push(`${m.type} seq ${m.seq} names unknown order ${ref}`);
      else if (o.locate !== m.locate) problems.push(`${m.type} seq ${m.seq} locate mismatch`);
      return o;
    };
    const { summary } = decodePcapFile(out, DST, {
      keepMessages: false,
      onMessage: (m) => {
        switch (m.type) {
          case "A": case "F": {
            const ref = m.orderReferenceNumber as bigint;
            if (everSeen.has(ref)) problems.push(`reused reference ${ref}`);
            everSeen.add(ref);
            live.set(ref, { shares: m.shares as number, locate: m.locate, side: m.buySell as string });
            break;
          }
          case "E": case "C": case "X": {
            const o = need(m, m.orderReferenceNumber as bigint);
            const n = (m.type === "X" ? m.cancelledShares : m.executedShares) as number;
            if (o) {
              if (n < 1 || n > o.shares) problems.push(`${m.type} seq ${m.seq} takes ${n} of ${o.shares}`);
              o.shares -= n;
              if (o.shares === 0) live.delete(m.orderReferenceNumber as bigint);
            }
            break;
          }
          case "D": if (need(m, m.orderReferenceNumber as bigint)) live.delete(m.orderReferenceNumber as bigint); break;
          case "U": {
            const o = need(m, m.originalOrderReferenceNumber as bigint);
            const ref = m.newOrderReferenceNumber as bigint;
            if (everSeen.has(ref)) problems.push(`U reuses reference ${ref}`);
            everSeen.add(ref);
            if (o) {
              live.delete(m.originalOrderReferenceNumber as bigint);
              live.set(ref, { ...o, shares: m.shares as number });
            }
            break;
          }
        }
      },
    });
    expect(problems.slice(0, 5)).toEqual([]);
    expect(summary.messages).toBe(N);
    const total = DAILY_MIX.reduce((a, [, c]) => a + c, 0);
    for (const t of ["A", "D", "U", "E", "X", "I", "F", "P"]) {
      const want = (DAILY_MIX.find(([x]) => x === t)![1] / total) * N;
      expect(Math.abs((summary.byType[t] ?? 0) - want), t).toBeLessThan(Math.max(0.05 * want, 60));
    }
    expect(summary.byType.S).toBe(6);
    expect(summary.byType.R).toBe(300);
  });

  it("rejects impossible sizes with a clear message", () => {
    expect(() => synthesizeItch({ messages: 10, symbols: 100, seed: 1 }, () => {})).toThrow(new InputError("--messages must be at least 206 for 100 symbols (got 10)"));
    expect(() => synthesizeItch({ messages: 1000, symbols: 0, seed: 1 }, () => {})).toThrow(InputError);
  });
});
