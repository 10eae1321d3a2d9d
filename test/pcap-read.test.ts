// Capture reader and writer: classic pcap in both byte orders and both timestamp resolutions, pcapng
// (EPB/SPB, both byte orders, decimal and binary if_tsresol, a file written by Wireshark's editcap),
// corrupt and truncated files (PcapError naming the file and byte offset), non-Ethernet linktypes,
// and writer → reader round trips.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openCapture, readAllFrames, readCaptureFile, PcapError } from "../sim/pcap/index.js";
import { encodePcap } from "../sim/pcap/write.js";
import { buildPcapng } from "./fixtures/pcap/pcapng-builder.js";
import { tinyFrames } from "./fixtures/pcap/tiny-frames.js";

const FIX = "test/fixtures/pcap/";
const expected = tinyFrames();
const usTs = (ns: bigint): bigint => (ns / 1000n) * 1000n;

function expectError(fn: () => unknown, pattern: RegExp, offset?: number): PcapError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PcapError);
    expect((e as PcapError).message).toMatch(pattern);
    if (offset !== undefined) expect((e as PcapError).offset).toBe(offset);
    return e as PcapError;
  }
  throw new Error("expected a PcapError");
}

describe("committed fixtures", () => {
  const cases: Array<[string, string, boolean, "us" | "ns"]> = [
    ["tiny-le-us.pcap", "pcap", true, "us"],
    ["tiny-be-ns.pcap", "pcap", false, "ns"],
    ["tiny-le-us.pcapng", "pcapng", true, "us"],
    ["tiny-be-ns.pcapng", "pcapng", false, "ns"],
    ["tiny-editcap.pcapng", "pcapng", true, "us"],
  ];
  for (const [file, format, le, res] of cases) {
    it(`${file}: ${format}, ${le ? "little" : "big"}-endian, ${res}`, () => {
      const cap = readCaptureFile(FIX + file);
      expect(cap.info.format).toBe(format);
      expect(cap.info.littleEndian).toBe(le);
      expect(cap.info.linktype).toBe(1);
      const frames = [...cap];
      expect(frames.map((f) => f.index)).toEqual([0, 1, 2, 3]);
      frames.forEach((f, i) => {
        expect(Buffer.from(f.data).equals(Buffer.from(expected[i]!.data))).toBe(true);
        expect(f.origLen).toBe(expected[i]!.data.length);
        expect(f.tsNs).toBe(res === "ns" ? expected[i]!.tsNs : usTs(expected[i]!.tsNs));
      });
    });
  }
});

describe("streaming from disk", () => {
  const files = ["tiny-le-us.pcap", "tiny-be-ns.pcap", "tiny-le-us.pcapng", "tiny-be-ns.pcapng", "tiny-editcap.pcapng"];
  it("gives the same frames as the in-memory reader with any window size", () => {
    for (const file of files) {
      const whole = [...readCaptureFile(FIX + file)].map((f) => [f.index, f.tsNs, Buffer.from(f.data).toString("hex"), f.origLen, f.fileOffset]);
      for (const chunkSize of [1, 50, 4096]) {
        const cap = readCaptureFile(FIX + file, { stream: true, chunkSize });
        expect(cap.bytes).toBeUndefined();
        const streamed = [...cap.frames()].map((f) => f.index); // views are reused: compare per step below
        expect(streamed).toEqual(whole.map((w) => w[0]));
        let i = 0;
        for (const f of cap) expect([f.index, f.tsNs, Buffer.from(f.data).toString("hex"), f.origLen, f.fileOffset]).toEqual(whole[i++]);
      }
    }
  });

  it("reports truncation at the same offset as the in-memory reader", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsfpga-read-"));
    const bytes = readFileSync(FIX + "tiny-le-us.pcapng");
    writeFileSync(join(dir, "cut.pcapng"), bytes.subarray(0, bytes.length - 6));
    const inMemory = expectError(() => [...readCaptureFile(join(dir, "cut.pcapng"))], /truncated block/);
    const streamed = expectError(() => [...readCaptureFile(join(dir, "cut.pcapng"), { stream: true, chunkSize: 64 })], /truncated block/);
    expect(streamed.message).toBe(inMemory.message);
  });
});

describe("pcapng variants", () => {
  it("binary if_tsresol (2^-20 s) and simple packet blocks", () => {
    const bin = readAllFrames(buildPcapng(expected, { tsresol: 0x80 | 20 }));
    bin.forEach((f, i) => expect(Number(f.tsNs - expected[i]!.tsNs)).toBeLessThanOrEqual(0));
    bin.forEach((f, i) => expect(Number(expected[i]!.tsNs - f.tsNs)).toBeLessThan(1000));
    const spb = readAllFrames(buildPcapng(expected, { simple: true, littleEndian: false }));
    expect(spb.map((f) => f.data.length)).toEqual(expected.map((f) => f.data.length));
    expect(spb.every((f) => f.tsNs === 0n)).toBe(true);
  });

  it("rejects a non-Ethernet interface with its offset", () => {
    expectError(() => readAllFrames(buildPcapng(expected, { linktype: 101 }), "x.pcapng"), /x\.pcapng: unsupported linktype 101 \(raw IP\).* at byte offset 36/);
  });

  it("reports truncation and length mismatches", () => {
    const ng = buildPcapng(expected);
    expectError(() => readAllFrames(ng.subarray(0, ng.length - 3), "t.pcapng"), /t\.pcapng: truncated block/);
    const bad = Uint8Array.from(ng);
    bad[bad.length - 4] ^= 0x40;
    expectError(() => readAllFrames(bad, "b.pcapng"), /trailing length does not match/, bad.length - 4);
  });
});

describe("classic pcap errors", () => {
  const good = encodePcap(expected);
  it("empty, short header, bad magic", () => {
    expectError(() => openCapture(new Uint8Array(0), "e.pcap"), /e\.pcap: empty file at byte offset 0/);
    expectError(() => openCapture(good.subarray(0, 10), "h.pcap"), /truncated pcap file header at byte offset 10/);
    expectError(() => openCapture(Uint8Array.of(1, 2, 3, 4, 5), "m.pcap"), /not a pcap or pcapng file \(magic 0x01020304\)/, 0);
  });

  it("truncated record header names the offset", () => {
    const cut = 24 + 16 + expected[0]!.data.length + 7;
    expectError(() => readAllFrames(good.subarray(0, cut), "capture.pcap"), /^capture\.pcap: truncated record header \(7 of 16 bytes\) at byte offset 116$/, cut - 7);
  });

  it("truncated record data names the offset of the data", () => {
    expectError(() => readAllFrames(good.subarray(0, good.length - 1), "c.pcap"), /truncated record data/, good.length - expected[3]!.data.length);
  });

  it("absurd record lengths are corruption, not allocations", () => {
    const bad = Uint8Array.from(good);
    new DataView(bad.buffer).setUint32(24 + 8, 0x7fffffff, true);
    expectError(() => readAllFrames(bad, "c.pcap"), /captured length 2147483647 exceeds snaplen/, 32);
  });

  it("non-Ethernet linktype", () => {
    expectError(() => openCapture(encodePcap([], { linktype: 113 }), "sll.pcap"), /sll\.pcap: unsupported linktype 113 \(Linux cooked SLL\): only Ethernet/, 20);
  });

  it("missing file", () => {
    expectError(() => readCaptureFile("/nonexistent/x.pcap"), /x\.pcap: cannot read file \(ENOENT\)/);
  });
});

describe("writer round trip", () => {
  it("µs and ns, both byte orders, origLen kept, data views not copies", () => {
    const frames = expected.map((f, i) => ({ ...f, origLen: f.data.length + i }));
    for (const nanosecond of [false, true]) {
      for (const littleEndian of [true, false]) {
        const bytes = encodePcap(frames, { nanosecond, littleEndian });
        const back = readAllFrames(bytes);
        expect(back.map((f) => f.origLen)).toEqual(frames.map((f) => f.origLen));
        expect(back.map((f) => f.tsNs)).toEqual(frames.map((f) => (nanosecond ? f.tsNs : usTs(f.tsNs))));
        expect(back[0]!.data.buffer).toBe(bytes.buffer);
      }
    }
  });

  it("matches the committed fixture byte for byte", () => {
    expect(Buffer.from(encodePcap(expected)).equals(readFileSync(FIX + "tiny-le-us.pcap"))).toBe(true);
  });
});
