// Output files are written under a temporary name and renamed into place: a compile leaves only
// complete files and no temporaries, and a temporary that a killed run left behind (its signal
// handlers could not run during synchronous work) is removed by the next run that writes the same
// output, while one that belongs to a live process is left alone.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInProcess } from "./helpers/cli-in-process.js";
import { registerCompile } from "../compiler/cli/compile.js";
import { registerPcapCommands } from "../compiler/cli/pcap.js";
import { temporaryNameFor } from "../sim/cleanup.js";

describe("output files", () => {
  it("compile writes complete files and leaves no temporary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsfpga-out-"));
    const r = await runInProcess([registerCompile], ["compile", "examples/basics/prices.ts", "--top", "midPrice", "-o", dir]);
    expect(r.code, r.err).toBe(0);
    const files = readdirSync(dir);
    expect(files).toContain("midPrice.v");
    expect(files.filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("a temporary left by a dead process is removed by the next run; a live one is kept", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsfpga-out-"));
    const out = join(dir, "day.pcap");
    const dead = join(dir, ".day.pcap.tmp-999999999");
    const live = join(dir, `.day.pcap.tmp-${process.ppid}`);
    writeFileSync(dead, "partial");
    writeFileSync(live, "in progress");
    expect(temporaryNameFor(out)).toBe(join(dir, `.day.pcap.tmp-${process.pid}`));
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it("pcap synth removes a stale temporary of the same output and leaves none of its own", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsfpga-out-"));
    const stale = join(dir, ".s.pcap.tmp-999999999");
    writeFileSync(stale, "truncated");
    const r = await runInProcess([registerPcapCommands], ["pcap", "synth", "--messages", "300", "--seed", "1", "-o", join(dir, "s.pcap")]);
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(dir)).toEqual(["s.pcap"]);
  });
});
