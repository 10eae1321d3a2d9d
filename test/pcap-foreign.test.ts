// `pcap stat` on captures from other sources (issue 7 item 20), built in the test with the project's
// own writer: per-type samples with zeroed addresses and ports, an all-NUL session and sequence 0
// (decoded: 1 message and 4 duplicates per file, as the feed kernel counts them; skipped frames
// counted per reason with the same --filter syntax as simulate, `any` included); a MoldUDP64 feed of
// another protocol (a prominent ITCH 5.0 fit warning); pcapng files whose if_tsresol says ns (labelled
// ns, not µs); and the JSON convention for 64-bit values (decimal strings, fixed per field).
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerPcapCommands } from "../compiler/cli/pcap.js";
import { readCaptureFile } from "../sim/pcap/read.js";
import { parseFilter } from "../sim/pcap/addr.js";
import { runInProcess } from "./helpers/cli-in-process.js";
import { buildUdpFrame } from "../sim/pcap/frame.js";
import { foreignFrames, moldPacket, NUL_SESSION, sampleMessage, writePcap, writePcapng, ZERO_ENDPOINTS, zeroSampleFrames } from "./helpers/foreign-captures.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfpga-foreign-"));
const run = (...args: string[]) => runInProcess([registerPcapCommands], args);

describe("the --filter syntax", () => {
  it("any, ip:port, *:port, ip:*; 0 parts are wildcards as in the feed kernel's config", () => {
    expect(parseFilter("any")).toEqual({});
    expect(parseFilter("*:*")).toEqual({});
    expect(parseFilter("0.0.0.0:0")).toEqual({});
    expect(parseFilter("233.54.12.111:26477")).toEqual({ ip: 0xe9360c6f, port: 26477 });
    expect(parseFilter("*:26477")).toEqual({ port: 26477 });
    expect(parseFilter("233.54.12.111:*")).toEqual({ ip: 0xe9360c6f });
    expect(() => parseFilter("1.2.3.4")).toThrow(/bad filter "1\.2\.3\.4" \(expected any, ip:port/);
    expect(() => parseFilter("1.2.3:5")).toThrow(/bad IPv4 address "1\.2\.3"/);
    expect(() => parseFilter("1.2.3.4:70000")).toThrow(/bad UDP port "70000"/);
  });
});

describe("per-type samples: 0.0.0.0:0, NUL session, sequence 0 in every packet", () => {
  const file = writePcap(join(tmp, "zero-A.pcap"), zeroSampleFrames(sampleMessage("A")));

  it("stat decodes 1 message and 4 duplicates, without and with --filter any", async () => {
    for (const extra of [[], ["--filter", "any"], ["--filter", "0.0.0.0:0"]]) {
      const r = await run("pcap", "stat", file, "--json", ...extra);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j).toMatchObject({ moldPackets: 5, skippedFrames: 0, messages: 1, byType: { A: 1 }, warnings: [] });
      expect(j.sessions).toHaveLength(1);
      expect(j.sessions[0]).toMatchObject({ session: "\0".repeat(10), destination: "0.0.0.0:0", firstSeq: "0", lastSeq: "0", duplicateMessages: 4 });
    }
    const text = await run("pcap", "stat", file);
    expect(text.out).toMatch(/session    "\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0" → 0\.0\.0\.0:0: 5 packets .* sequence 0\.\.0, 0 gaps \(0 missing\), 4 duplicates/);
    expect(text.out).toMatch(/messages   1: A 1/);
  });

  it("a filter that excludes the frames says why, per reason", async () => {
    const r = await run("pcap", "stat", file, "--filter", "233.54.12.111:26477");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/moldudp64  0 packets to 233\.54\.12\.111:26477; 5 other frames skipped\n/);
    expect(r.out).toMatch(/skipped    other-destination 5\n/);
    const j = JSON.parse((await run("pcap", "stat", file, "--filter", "*:26477", "--json")).out);
    expect(j).toMatchObject({ filter: "*:26477", skippedByReason: { "other-destination": 5 }, messages: 0 });
  });

  it("payloads that do not parse are counted by decoder reason", async () => {
    const payload = moldPacket(NUL_SESSION, 0n, [sampleMessage("S")]);
    payload[19] = 2; // count 2, one block: truncated-block
    const file2 = writePcap(join(tmp, "zero-bad.pcap"), [0, 1, 2].map(() => buildUdpFrame(ZERO_ENDPOINTS, payload)));
    const auto = await run("pcap", "stat", file2);
    expect(auto.out).toMatch(/moldudp64  0 packets; 3 other frames skipped\nskipped    not-moldudp64 3 \(truncated-block 3\)\n/);
    const any = await run("pcap", "stat", file2, "--filter", "any");
    expect(any.out).toMatch(/moldudp64  0 packets to any destination; 3 other frames skipped; 3 malformed\nskipped    malformed 3 \(truncated-block 3\)\n/);
    const j = JSON.parse((await run("pcap", "stat", file2, "--filter", "any", "--json")).out);
    expect(j).toMatchObject({ skippedFrames: 3, malformedPackets: 3, skippedByReason: { malformed: 3 }, moldRejects: { "truncated-block": 3 } });
  });
});

describe("pcap renumber: replay without duplicate suppression", () => {
  it("sequence 0 in every packet becomes 0, 1, 2, …: every message is new", async () => {
    const file = writePcap(join(tmp, "zero-R.pcap"), zeroSampleFrames(sampleMessage("R")));
    const outFile = join(tmp, "zero-R-renumbered.pcap");
    const r = await run("pcap", "renumber", file, "-o", outFile);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${outFile}: 5 frames, 5 MoldUDP64 packets renumbered (4 changed), 5 messages\n`);
    const j = JSON.parse((await run("pcap", "stat", outFile, "--json", "--packets")).out);
    expect(j).toMatchObject({ messages: 5, byType: { R: 5 } });
    expect(j.sessions[0]).toMatchObject({ firstSeq: "0", lastSeq: "4", duplicateMessages: 0, gapEvents: 0 });
    expect(j.packetList.map((p: { sequence: string }) => p.sequence)).toEqual(["0", "1", "2", "3", "4"]);
    const before = [...readCaptureFile(file)].map((f) => f.tsNs);
    expect([...readCaptureFile(outFile)].map((f) => f.tsNs)).toEqual(before);
    expect(readdirSync(tmp).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("a corrupt capture: one-line error, no output file left behind", async () => {
    const cut = join(tmp, "cut.pcap");
    writeFileSync(cut, readFileSync(writePcap(join(tmp, "whole.pcap"), zeroSampleFrames(sampleMessage("S"), 3))).subarray(0, 150));
    const outFile = join(tmp, "cut-renumbered.pcap");
    const r = await run("pcap", "renumber", cut, "-o", outFile);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tsfpga pcap: .*cut\.pcap: truncated record data .* at byte offset \d+\n$/);
    expect(existsSync(outFile)).toBe(false);
    expect(readdirSync(tmp).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });
});

describe("a MoldUDP64 feed that carries another protocol", () => {
  const file = writePcap(join(tmp, "foreign.pcap"), foreignFrames());
  it("stat warns on stdout and stderr, with the counts", async () => {
    const r = await run("pcap", "stat", file);
    expect(r.code).toBe(0);
    const warn = "30 of 30 messages (100%) do not fit ITCH 5.0 (18 of a type ITCH 5.0 does not define, 12 with a length other than the spec's for their type): this MoldUDP64 feed may carry another protocol";
    expect(r.out).toContain(`WARNING    ${warn}`);
    expect(r.err).toContain(`tsfpga pcap: warning: ${file}: ${warn}`);
    const j = JSON.parse((await run("pcap", "stat", file, "--json")).out);
    expect(j).toMatchObject({ messages: 30, unknownTypes: 18, lengthMismatches: 12 });
    expect(j.warnings).toHaveLength(1);
  });
  it("a clean ITCH feed has no warning", async () => {
    const r = await run("pcap", "stat", writePcap(join(tmp, "clean.pcap"), zeroSampleFrames(sampleMessage("h"), 1)), "--json");
    expect(JSON.parse(r.out)).toMatchObject({ warnings: [], byType: { h: 1 } });
    expect(r.err).toBe("");
  });
});

describe("pcapng timestamp resolution label", () => {
  const frames = zeroSampleFrames(sampleMessage("S"), 2);
  it.each([[9, "ns", "ns"], [6, "us", "µs"], [0x80 | 20, "2^-20 s", "2^-20 s"], [3, "ms", "ms"]] as const)("if_tsresol %i: %s", async (tsresol, info, label) => {
    const file = writePcapng(join(tmp, `res-${tsresol}.pcapng`), frames, tsresol);
    expect(readCaptureFile(file).info.tsResolution).toBe(info);
    expect(readCaptureFile(file, { stream: true }).info.tsResolution).toBe(info);
    const r = await run("pcap", "stat", file);
    expect(r.out).toContain(`(pcapng, little-endian, ${label} timestamps)`);
  });
});

describe("64-bit values in --json are decimal strings, fixed per field", () => {
  it("pcap stat: sequences, missing messages and timestamps are strings even when small", async () => {
    const file = writePcap(join(tmp, "zero-D.pcap"), zeroSampleFrames(sampleMessage("D"), 2));
    const j = JSON.parse((await run("pcap", "stat", file, "--json", "--packets")).out);
    expect(j.sessions[0].missingMessages).toBe("0");
    expect(j.sessions[0].firstSeq).toBe("0");
    expect(typeof j.firstTsNs).toBe("string");
    expect(j.packetList[0].sequence).toBe("0");
    expect(typeof j.messages).toBe("number");
  });
  it("pcap synth --json: firstSeq and nextSeq are strings", async () => {
    const r = await run("pcap", "synth", "--messages", "50", "--symbols", "2", "-o", join(tmp, "s.pcap"), "--json");
    const j = JSON.parse(r.out);
    expect(j.firstSeq).toBe("1");
    expect(j.nextSeq).toBe("51");
    expect(typeof j.messages).toBe("number");
  });
});
