// Checks against the real data in ../shared (skipped with a notice when it is absent) and against
// Wireshark's MoldUDP64 dissector (skipped with a notice when tshark is missing): the independent
// decoder and `stat` reproduce data/pcap/ANSWERS.md exactly, from-itch reproduces
// data/itch/ANSWERS.md, and tshark sees the same (session, sequence, count) for every packet of the
// real capture and of from-itch and synth output.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCaptureFile, parseIpv4, parseEndpoint, ItchFileError } from "../sim/pcap/index.js";
import { statCapture } from "../sim/itch/stat.js";
import { convertItchToPcap, synthToPcap, type FromItchOptions } from "../sim/itch/to-pcap.js";
import { decodePcapFile, decodeItchFrames } from "./itch-decoder.js";

const PCAP = "../shared/data/pcap/nasdaq-20160913-moldudp64.pcap";
const ITCH = "../shared/data/itch/ex20101224.TEST_ITCH_50";
const DST = "233.54.12.111:26477";
const haveShared = existsSync(PCAP) && existsSync(ITCH);
const haveTshark = spawnSync("tshark", ["-v"]).status === 0;
if (!haveShared) console.warn("NOTICE: ../shared data not found — tests on the real capture and ITCH file skipped");
if (!haveTshark) console.warn("NOTICE: tshark not found — Wireshark cross-checks skipped");

const tmp = mkdtempSync(join(tmpdir(), "tsfpga-pcap-"));
const feed = (extra: Partial<FromItchOptions> = {}): FromItchOptions => ({
  session: "RITCH00001", startSeq: 1n, frame: { srcIp: parseIpv4("10.1.1.1"), dstIp: parseIpv4("233.54.12.111"), srcPort: 26477, dstPort: 26477 }, ...extra,
});

function tsharkPackets(file: string): string[] {
  const r = spawnSync("tshark", ["-r", file, "-d", "udp.port==26477,moldudp64", "-Y", "moldudp64", "-T", "fields", "-e", "moldudp64.session", "-e", "moldudp64.sequence", "-e", "moldudp64.count"], { encoding: "utf8", maxBuffer: 1 << 28 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split("\n").filter(Boolean);
}

function ourPackets(file: string): string[] {
  const st = statCapture(readCaptureFile(file), { filter: parseEndpoint(DST), packets: true });
  return st.packetList!.map((p) => `${p.session}\t${p.sequence}\t${p.count}`);
}

describe.skipIf(!haveShared)("real capture: nasdaq-20160913-moldudp64.pcap", () => {
  it("independent decoder matches ANSWERS.md exactly", () => {
    const { summary, messages } = decodePcapFile(PCAP, DST);
    expect(summary).toMatchObject({
      frames: 2047, packets: 2036, messages: 2232, skippedFrames: 11, malformedPackets: 0, shortMessages: 0,
      gapEvents: 0, missingMessages: 0, duplicates: 0, sessions: ["000007525B"],
      sequence: { first: 484_311_999n, last: 484_314_230n },
    });
    expect(summary.byType).toEqual({ D: 1389, A: 635, U: 109, X: 86, E: 12, P: 1 });
    expect(new Set(messages.map((m) => m.locate)).size).toBe(622);
    expect(messages.every((m, i) => m.seq === 484_311_999n + BigInt(i))).toBe(true);
    const a = messages[0]!;
    expect(a).toMatchObject({ type: "A", orderReferenceNumber: 436_925_880n, buySell: "B", shares: 700, stock: "XIV     ", price: 324_400 });
  });

  it("reader, frame parser and stat agree with the decoder and ANSWERS.md", () => {
    const cap = readCaptureFile(PCAP);
    expect(cap.info).toMatchObject({ format: "pcap", littleEndian: true, tsResolution: "us", linktype: 1, snaplen: 65535 });
    const frames = [...cap];
    expect(Math.max(...frames.map((f) => f.data.length))).toBe(236);
    const st = statCapture(cap, { filter: parseEndpoint(DST), packets: true });
    expect(st).toMatchObject({ frames: 2047, moldPackets: 2036, skippedFrames: 11, messages: 2232, lengthMismatches: 0, unknownTypes: 0, warnings: [], skippedByReason: { "other-destination": 11 } });
    expect(st.udpFlows).toEqual({ "224.0.0.102:1985": 11, [DST]: 2036 });
    expect(st.sessions).toEqual([{ session: "000007525B", destination: DST, packets: 2036, heartbeats: 0, endOfSession: 0, messages: 2232, firstSeq: 484_311_999n, lastSeq: 484_314_230n, gapEvents: 0, missingMessages: 0n, duplicateMessages: 0 }]);
    const hist: Record<number, number> = {};
    for (const p of st.packetList!) hist[p.count] = (hist[p.count] ?? 0) + 1;
    expect(hist).toEqual({ 1: 1875, 2: 141, 3: 12, 4: 5, 5: 1, 6: 1, 8: 1 });
    expect(statCapture(cap).byType).toEqual(st.byType);
    const streamed = statCapture(readCaptureFile(PCAP, { stream: true, chunkSize: 1000 }), { filter: parseEndpoint(DST), packets: true });
    expect({ ...streamed, file: "" }).toEqual({ ...st, file: "" });
    expect(decodeItchFrames(frames, DST).summary).toEqual(decodePcapFile(PCAP, DST).summary);
  });

  it.skipIf(!haveTshark)("tshark sees the same session/sequence/count per packet", () => {
    expect(ourPackets(PCAP)).toEqual(tsharkPackets(PCAP));
  });
});

describe.skipIf(!haveShared)("from-itch on ex20101224.TEST_ITCH_50", () => {
  it("without --zero-lengths: a clear error that names the offset and the option", () => {
    const err = (() => { try { convertItchToPcap(ITCH, join(tmp, "no.pcap"), feed()); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ItchFileError);
    expect((err as ItchFileError).offset).toBe(0);
    expect(String((err as Error).message)).toMatch(/TEST_ITCH_50: zero length prefix .* at byte offset 0; .*--zero-lengths/);
    expect(existsSync(join(tmp, "no.pcap"))).toBe(false);
  });

  it("with --zero-lengths: exactly the ANSWERS.md counts, re-decoded independently", () => {
    const out = join(tmp, "ritch.pcap");
    const r = convertItchToPcap(ITCH, out, feed({ zeroLengths: true }));
    const answers = { S: 6, R: 3, H: 3, A: 4997, F: 3, E: 198, X: 45, D: 1745, U: 12, P: 5000 };
    expect(r.byType).toEqual(answers);
    expect(r.messages).toBe(12_012);
    const { summary, messages } = decodePcapFile(out, DST);
    expect(summary).toMatchObject({ messages: 12_012, gapEvents: 0, duplicates: 0, sequence: { first: 1n, last: 12_012n } });
    expect(summary.byType).toEqual(answers);
    const adds = messages.filter((m) => m.type === "A" || m.type === "F");
    expect(adds.filter((m) => m.buySell === "B").length).toBe(2432);
    expect(adds.filter((m) => m.buySell === "S").length).toBe(2568);
    const per = (list: typeof messages) => Object.fromEntries(["ALC", "BOB", "CHAR"].map((s) => [s, list.filter((m) => String(m.stock).trim() === s).length]));
    expect(per(adds)).toEqual({ ALC: 950, BOB: 2482, CHAR: 1568 });
    expect(per(messages.filter((m) => m.type === "P"))).toEqual({ ALC: 1885, BOB: 1658, CHAR: 1457 });
    expect(messages.filter((m) => m.type === "S").map((m) => m.eventCode)).toEqual(["O", "S", "Q", "M", "E", "C"]);
  });

  it.skipIf(!haveTshark)("tshark agrees per packet (MTU packing, fixed count + VLAN, drops/dups)", () => {
    const variants: Array<Partial<FromItchOptions>> = [{}, { msgsPerPacket: 3, frame: { ...feed().frame, vlan: 1002 } }, { drop: 0.1, dup: 0.1, seed: 9, mtu: 400 }];
    variants.forEach((v, i) => {
      const out = join(tmp, `ritch-${i}.pcap`);
      convertItchToPcap(ITCH, out, feed({ zeroLengths: true, ...v }));
      const ours = ourPackets(out);
      expect(ours.length).toBeGreaterThan(100);
      expect(ours).toEqual(tsharkPackets(out));
    });
  });
});

describe.skipIf(!haveTshark)("synth output under tshark", () => {
  it("same session/sequence/count per packet", () => {
    const out = join(tmp, "synth.pcap");
    synthToPcap({ messages: 30_000, symbols: 50, seed: 11 }, out, feed({ session: "SYN0000001", startSeq: 1000n, frame: { ...feed().frame, vlan: 7 } }));
    const ours = ourPackets(out);
    expect(ours.length).toBeGreaterThan(500);
    expect(ours).toEqual(tsharkPackets(out));
    expect(readFileSync(out).length).toBeGreaterThan(0);
  });
});
