// `simulate --pcap` on captures from other sources (issue 7 items 6 and 20), with the feed kernel
// in native Node: the --filter syntax of `pcap stat` (`any`, `*:port`, `ip:*`) reaches the kernel's
// config; skipped frames are explained per reason in the human output; `byType` holds every
// delivered ITCH 5.0 type in the spec's letter case (`h` included); a MoldUDP64 feed of another
// protocol raises the same ITCH 5.0 fit warning as `pcap stat`; a renumbered capture replays every
// message. Captures are built in the test with the project's own pcap writer.
import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerSimulate } from "../compiler/cli/simulate.js";
import { registerPcapCommands } from "../compiler/cli/pcap.js";
import { runInProcess } from "./helpers/cli-in-process.js";
import { foreignFrames, sampleMessage, writePcap, zeroSampleFrames } from "./helpers/foreign-captures.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfpga-sim-foreign-"));
const FEED = "examples/itch/feed.ts";
const sim = (...args: string[]) => runInProcess([registerSimulate, registerPcapCommands], ["simulate", FEED, "--engine", "native", ...args]);

describe("simulate --pcap on per-type samples (0.0.0.0:0, NUL session, sequence 0)", () => {
  const sample = writePcap(join(tmp, "sample-A.pcap"), zeroSampleFrames(sampleMessage("A")));

  it("the default filter: the human output says which reason excluded the frames, and how to accept them", async () => {
    const r = await sim("--pcap", sample);
    expect(r.out).toMatch(/records    0/);
    expect(r.out).toContain("packets    0, skipped frames 5 (notOurs 5 (destination not the filter 233.54.12.111:26477; --filter any accepts every destination))");
  });

  it("--filter any: 1 record, 4 duplicates, byType A; u64 fields are decimal strings, u32 counters numbers", async () => {
    const r = await sim("--pcap", sample, "--filter", "any", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ records: 1, duplicates: 4, skipped: 0, byType: { A: 1 }, warnings: [] });
    expect(j.missingMessages).toBe("0");
    expect(j.sequence).toEqual({ first: "0", last: "0" });
    expect(j.stats.missingMessages).toBe("0");
    expect(j.stats.firstSequence).toBe("0");
    expect(j.stats.frames).toBe(5);
    const text = await sim("--pcap", sample, "--filter", "any");
    expect(text.out).toMatch(/records    1  A 1\n/);
    expect(text.out).toMatch(/sequence   0\.\.0, gaps 0 \(0 missing\), duplicates 4\n/);
  });

  it("an ip:* filter that excludes the frames", async () => {
    expect(JSON.parse((await sim("--pcap", sample, "--filter", "10.0.0.1:*", "--json")).out)).toMatchObject({ records: 0, skippedByReason: { notOurs: 5 } });
  });

  it("a bad filter is one line, exit 1", async () => {
    const r = await sim("--pcap", sample, "--filter", "1.2.3.4");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--filter 1\.2\.3\.4: bad filter "1\.2\.3\.4" \(expected any, ip:port, \*:port or ip:\*/);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  it("after pcap renumber, every packet's message is delivered", async () => {
    const out = join(tmp, "sample-A-renumbered.pcap");
    expect((await runInProcess([registerPcapCommands], ["pcap", "renumber", sample, "-o", out])).code).toBe(0);
    const j = JSON.parse((await sim("--pcap", out, "--filter", "any", "--json")).out);
    expect(j).toMatchObject({ records: 5, duplicates: 0, byType: { A: 5 }, sequence: { first: "0", last: "4" } });
  });
});

describe("simulate --pcap --json: byType", () => {
  it("Operational Halt ('h') is in byType, in the spec's letter case, beside the upper-case types", async () => {
    const frames = [...zeroSampleFrames(sampleMessage("h"), 1), ...zeroSampleFrames(sampleMessage("H"), 1)];
    // Two packets with sequence 0 would be a duplicate: renumber by hand (0 and 1).
    frames[1]![42 + 17] = 1;
    const file = writePcap(join(tmp, "h-and-H.pcap"), frames);
    const j = JSON.parse((await sim("--pcap", file, "--filter", "any", "--json")).out);
    expect(j.byType).toEqual({ h: 1, H: 1 });
    expect(j.stats.opHalt).toBe(1);
    expect(j.records).toBe(2);
  });
});

describe("a MoldUDP64 feed of another protocol", () => {
  it("simulate warns as pcap stat does, on stderr and in the output", async () => {
    const file = writePcap(join(tmp, "foreign.pcap"), foreignFrames());
    const warn = "30 of 30 messages (100%) do not fit ITCH 5.0 (18 of a type ITCH 5.0 does not define, 12 with a length other than the spec's for their type)";
    const r = await sim("--pcap", file);
    expect(r.out).toContain(`WARNING    ${warn}`);
    expect(r.err).toContain(`tsfpga: warning: ${file}: ${warn}`);
    const j = JSON.parse((await sim("--pcap", file, "--json")).out);
    expect(j.warnings).toHaveLength(1);
    expect(j.warnings[0]).toContain(warn);
  });
});
