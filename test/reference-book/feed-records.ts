/**
 * The feed handler's records for the reference book's tests: a capture's frames cut into 64-bit
 * beats and run through the feed kernel (examples/itch/feed.ts) natively, configured for the Nasdaq
 * TotalView group 233.54.12.111:26477 (the address `pcap from-itch` and `pcap synth` write to), and
 * the synthetic feeds the tests use (written with the project's `pcap synth` and `pcap from-itch`
 * library code, the same as the commands). Test-only: it imports the dialect runtime.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runKernel, u16, u32, type Beat, type Vec, type u8 } from "tsfpga";
import { feed, type FeedConfig, type FeedState, type ItchRecord } from "../../examples/itch/feed.js";
import { readCaptureFile } from "../../sim/pcap/read.js";
import { convertItchToPcap, synthToPcap, type FromItchOptions } from "../../sim/itch/to-pcap.js";

export const FEED_CFG: FeedConfig = { dstIp: u32(0xe9360c6f), dstPort: u16(26477) };

function* beats(path: string): Generator<Beat> {
  for (const f of readCaptureFile(path)) {
    const data = f.data;
    for (let o = 0; o < data.length; o += 8) {
      const n = Math.min(8, data.length - o);
      const bytes = [0, 0, 0, 0, 0, 0, 0, 0];
      for (let i = 0; i < n; i++) bytes[i] = data[o + i]!;
      yield { bytes: bytes as unknown as Vec<u8, 8>, keep: ((1 << n) - 1) as u8, last: o + 8 >= data.length };
    }
  }
}

/** Every record the feed kernel outputs on the capture, natively, and its final state. */
export function feedRecords(path: string): { records: ItchRecord[]; state: FeedState } {
  const records: ItchRecord[] = [];
  const state = runKernel(feed, beats(path), FEED_CFG, (o) => records.push(o));
  return { records, state };
}

const tmp = mkdtempSync(join(tmpdir(), "tsfpga-reference-book-"));
const opts = (o: Partial<FromItchOptions> = {}): FromItchOptions => ({
  session: "0000000001", startSeq: 1n,
  frame: { srcIp: 0x0a010101, dstIp: 0xe9360c6f, srcPort: 26477, dstPort: 26477 },
  ...o,
});

/** `pcap synth --messages n --symbols k --seed s` into a temporary capture; returns its path. */
export function synthCapture(messages: number, symbols: number, seed: number, o: Partial<FromItchOptions> = {}): string {
  const out = join(tmp, `synth-${messages}-${symbols}-${seed}-${Object.keys(o).length}.pcap`);
  synthToPcap({ messages, symbols, seed }, out, opts(o));
  return out;
}

/** `pcap from-itch <file> --zero-lengths` (the RITCH sample's lengths are all 0) into a temporary capture. */
export function fromItchCapture(file: string): string {
  const out = join(tmp, "from-itch.pcap");
  convertItchToPcap(file, out, opts({ zeroLengths: true }));
  return out;
}
