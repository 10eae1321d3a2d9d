// The feed kernel's destination filter with wildcards (examples/itch/feed.ts, FeedConfig): an address
// or port of 0 accepts any value, which is what `--filter any` (or *:port, ip:*) maps to. Native runs
// against the independent decoder, the IR interpreter equal to native beat for beat, and the RTL in
// Verilator equal to native, on clean feeds to a non-default destination, on the per-type sample
// shape (0.0.0.0:0, NUL session, sequence 0 in every packet) and on a corrupted feed.
import { describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { runKernel, u16, u32, type Beat, type Vec, type u8 } from "tsfpga";
import { feed, type FeedConfig, type FeedState, type ItchRecord } from "../examples/itch/feed.js";
import { parseIpv4 } from "../sim/pcap/index.js";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { runKernelInterp, runKernelNative } from "../sim/kernel-sim.js";
import { runKernelRtl } from "../sim/kernel-rtl.js";
import { decodeItchFrames } from "./itch-decoder.js";
import { corrupt, synthFrames } from "./helpers/feed-frames.js";
import { sampleMessage, zeroSampleFrames } from "./helpers/foreign-captures.js";
import { FAST_BUILD } from "./cosim-helpers.js";

const IP = parseIpv4("10.9.8.7");
const PORT = 1234;
const cfg = (dstIp: number, dstPort: number): FeedConfig => ({ dstIp: u32(dstIp), dstPort: u16(dstPort) });

function* beats(frames: Uint8Array[]): Generator<Beat> {
  for (const d of frames) {
    for (let o = 0; o < d.length; o += 8) {
      const n = Math.min(8, d.length - o);
      const bytes = [0, 0, 0, 0, 0, 0, 0, 0];
      for (let i = 0; i < n; i++) bytes[i] = d[o + i]!;
      yield { bytes: bytes as unknown as Vec<u8, 8>, keep: ((1 << n) - 1) as u8, last: o + 8 >= d.length };
    }
  }
}

function native(frames: Uint8Array[], c: FeedConfig): { records: ItchRecord[]; state: FeedState } {
  const records: ItchRecord[] = [];
  const state = runKernel(feed, beats(frames), c, (r) => void records.push(r));
  return { records, state };
}

describe("feed filter wildcards (native)", () => {
  const frames = synthFrames("filter-any", 400, { frame: { srcIp: parseIpv4("10.1.1.1"), srcPort: 1, dstIp: IP, dstPort: PORT }, msgsPerPacket: 3 }, 5);
  const ref = decodeItchFrames(frames.map((data) => ({ data })), `10.9.8.7:${PORT}`);

  it.each([
    ["any (0.0.0.0:0)", 0, 0, true],
    ["exact", IP, PORT, true],
    ["ip:* (port 0)", IP, 0, true],
    ["*:port (address 0)", 0, PORT, true],
    ["other address, any port", parseIpv4("233.54.12.111"), 0, false],
    ["any address, other port", 0, 26477, false],
    ["the default filter", parseIpv4("233.54.12.111"), 26477, false],
  ] as const)("%s", (_name, ip, port, accepted) => {
    const r = native(frames, cfg(ip, port));
    if (accepted) {
      expect(r.state.stats.messages).toBe(ref.summary.messages);
      expect(r.records.length).toBe(ref.messages.length);
      expect(r.state.stats.skipNotOurs).toBe(0);
    } else {
      expect(r.records).toEqual([]);
      expect(r.state.stats.skipNotOurs).toBe(frames.length);
    }
  });

  it("per-type sample shape: 0.0.0.0:0, NUL session, sequence 0: 1 record and 4 duplicates with any", () => {
    const z = zeroSampleFrames(sampleMessage("A"));
    const any = native(z, cfg(0, 0));
    expect(any.records.length).toBe(1);
    expect(any.state.stats).toMatchObject({ messages: 1, duplicates: 4, packets: 5, skipNotOurs: 0 });
    expect(native(z, cfg(parseIpv4("233.54.12.111"), 26477)).state.stats).toMatchObject({ messages: 0, skipNotOurs: 5 });
  });
});

describe("feed filter wildcards: interpreter and RTL equal native", () => {
  const FEED = "examples/itch/feed.ts";
  const fk = compileKernel(FEED, undefined);
  const good = synthFrames("filter-any-corrupt", 1500, { drop: 0.03, dup: 0.1, mtu: 700 }, 61);
  const { frames } = corrupt(good, 77);
  const json = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));

  it.each([[0, 0], [parseIpv4("233.54.12.111"), 0], [0, 26477]])("interp = native, config %i:%i", (ip, port) => {
    expect(fk.diagnostics).toEqual([]);
    const beatOf: number[] = [];
    const records: ItchRecord[] = [];
    const state = runKernel(feed, beats(frames), cfg(ip, port), (o, i) => { records.push(o); beatOf.push(i); });
    const interp = runKernelInterp(fk.pkg!, fk.fn!, fk.kernel!, frames.map((data) => ({ data })), { dstIp: ip, dstPort: port });
    expect(interp.records).toEqual(json(records));
    expect(interp.beatOfRecord).toEqual(beatOf);
    expect(interp.finalState).toEqual(json(state));
  });

  it("RTL = native with config any and ip:* (20% stalls), at the fastest clock as in kernel-rtl.test.ts", async () => {
    const at250 = generateKernelHardware(fk.fn!, fk.kernel!, { clockMhz: 250, source: FEED, sourceHash: "test" });
    const fmax = at250.diagnostics.length ? Number(/fastest clock for this kernel is (\d+) MHz/.exec(at250.diagnostics[0].message)![1]) : 250;
    const hw = generateKernelHardware(fk.fn!, fk.kernel!, { clockMhz: fmax, source: FEED, sourceHash: "test" });
    expect(hw.diagnostics).toEqual([]);
    mkdirSync("build/test-kernels", { recursive: true });
    const all = [...frames, ...zeroSampleFrames(sampleMessage("h"))];
    for (const c of [{ dstIp: 0, dstPort: 0 }, { dstIp: parseIpv4("233.54.12.111"), dstPort: 0 }]) {
      const nat = await runKernelNative(FEED, fk.kernel!, all.map((data) => ({ data })), c);
      const r = await runKernelRtl({ k: fk.kernel!, verilog: hw.verilog!, signature: hw.signature, frames: all, cfg: c, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: 0.2, bubbles: 0.2, seed: 4, workDir: "build/test-kernels", buildFlags: FAST_BUILD });
      expect(r.protocolErrors).toBe(0);
      expect(r.hung).toBe(false);
      expect(nat.records.length).toBeGreaterThan(1000);
      expect(r.records).toEqual(nat.records);
    }
  }, 900_000);
});
