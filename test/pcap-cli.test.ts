// The `pcap` command group as a user sees it: commands are run in-process on a fresh commander
// program (stdout/stderr captured, exit code from process.exitCode), plus one real subprocess to
// prove user errors are one line with exit code 1 and no stack trace.
import { afterEach, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerPcapCommands } from "../compiler/cli/pcap.js";
import { decodePcapFile } from "./itch-decoder.js";
import { runInProcess } from "./helpers/cli-in-process.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfpga-cli-"));
const ITCH = "../shared/data/itch/ex20101224.TEST_ITCH_50";
const haveShared = existsSync(ITCH);
if (!haveShared) console.warn("NOTICE: ../shared data not found — from-itch CLI test on the shared file skipped");

function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runInProcess([registerPcapCommands], args);
}

afterEach(() => {
  process.exitCode = 0;
});

describe("pcap synth + stat", () => {
  it("synth writes a feed that stat and the decoder describe identically", async () => {
    const out = join(tmp, "s.pcap");
    const r = await run("pcap", "synth", "--messages", "5000", "--symbols", "10", "--seed", "3", "-o", out, "--vlan", "100", "--session", "SYN", "--start-seq", "77", "--json");
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out);
    expect(res.messages).toBe(5000);
    const st = await run("pcap", "stat", out, "--json");
    const j = JSON.parse(st.out);
    const dec = decodePcapFile(out, "233.54.12.111:26477").summary;
    expect(j.messages).toBe(5000);
    expect(j.sessions[0]).toMatchObject({ session: "SYN       ", firstSeq: "77", lastSeq: "5076", gapEvents: 0 });
    expect(j.byType).toEqual(dec.byType);
    const text = await run("pcap", "stat", out, "--filter", "233.54.12.111:26477");
    expect(text.out).toMatch(/messages   5,000: A /);
    expect(text.out).toMatch(/sequence 77\.\.5076, 0 gaps \(0 missing\), 0 duplicates/);
  });

  it("--drop/--dup show up in stat as gaps and duplicates", async () => {
    const out = join(tmp, "d.pcap");
    const r = await run("pcap", "synth", "--messages", "20000", "--symbols", "10", "-o", out, "--drop", "0.05", "--dup", "0.05", "--msgs-per-packet", "4", "--end-of-session", "--json");
    const res = JSON.parse(r.out);
    const j = JSON.parse((await run("pcap", "stat", out, "--json")).out);
    expect(j.sessions[0].duplicateMessages).toBe(res.duplicatedMessages);
    expect(j.sessions[0].endOfSession).toBe(1);
    expect(Number(j.sessions[0].missingMessages)).toBeLessThanOrEqual(res.droppedMessages);
    expect(j.sessions[0].gapEvents).toBeGreaterThan(0);
  });
});

describe("user errors: one line, exit 1", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["missing capture", ["pcap", "stat", "/nonexistent/x.pcap"], /^tsfpga pcap: \/nonexistent\/x\.pcap: cannot read file \(ENOENT\) at byte offset 0\n$/],
    ["bad filter", ["pcap", "stat", "test/fixtures/pcap/tiny-le-us.pcap", "--filter", "1.2.3.4"], /^tsfpga pcap: bad filter "1\.2\.3\.4" \(expected any, ip:port, \*:port or ip:\*/],
    ["bad mtu", ["pcap", "synth", "--messages", "1000", "-o", join(tmp, "x.pcap"), "--mtu", "abc"], /^tsfpga pcap: --mtu: expected an integer in 120\.\.65535, got "abc"\n$/],
    ["bad drop", ["pcap", "synth", "--messages", "1000", "-o", join(tmp, "x.pcap"), "--drop", "2"], /--drop: expected a probability/],
    ["bad session", ["pcap", "synth", "--messages", "1000", "-o", join(tmp, "x.pcap"), "--session", "ELEVENCHARS"], /bad MoldUDP64 session "ELEVENCHARS"/],
    ["too few messages", ["pcap", "synth", "--messages", "5", "-o", join(tmp, "x.pcap")], /--messages must be at least 206 for 100 symbols/],
    ["unwritable output", ["pcap", "synth", "--messages", "1000", "-o", "/nonexistent/dir/x.pcap"], /^tsfpga pcap: cannot write the output pcap \/nonexistent\/dir\/x\.pcap: the folder \/nonexistent\/dir does not exist\n$/],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, async () => {
      const r = await run(...args);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(pattern);
      expect(r.err.split("\n").filter(Boolean)).toHaveLength(1);
    });
  }

  it("corrupt capture names the byte offset", async () => {
    const bad = join(tmp, "bad.pcap");
    writeFileSync(bad, Buffer.concat([Buffer.from("d4c3b2a1020004000000000000000000ffff000001000000", "hex"), Buffer.alloc(5)]));
    const r = await run("pcap", "stat", bad);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`tsfpga pcap: ${bad}: truncated record header (5 of 16 bytes) at byte offset 24\n`);
  });

  it.skipIf(!haveShared)("from-itch on an all-zero-length file without the flag explains --zero-lengths", async () => {
    const r = await run("pcap", "from-itch", ITCH, "-o", join(tmp, "z.pcap"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/TEST_ITCH_50: zero length prefix .* at byte offset 0; .*--zero-lengths/);
    const ok = await run("pcap", "from-itch", ITCH, "-o", join(tmp, "z.pcap"), "--zero-lengths");
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/12,012 messages in \d+ MoldUDP64 packets/);
  });

  it("as a real process: no stack trace, exit code 1", () => {
    const r = spawnSync("npx", ["vite-node", "test/fixtures/pcap/pcap-cli.ts", "--", "pcap", "stat", "test/fixtures/pcap/pcap-cli.ts"], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("tsfpga pcap: test/fixtures/pcap/pcap-cli.ts: not a pcap or pcapng file (magic 0x2f2f2053) at byte offset 0");
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
