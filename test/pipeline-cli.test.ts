// The commands on a pipeline and on a kernel that takes records: `compile` writes one Verilog file
// per module with the top's signature and report; `simulate --json` reports every kernel boundary
// (records, latency, counters) with the configuration given per kernel; a kernel of ItchRecords
// runs from `--records-in` in every engine under stalls; and the user errors are one line, exit 1.
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerCompile } from "../compiler/cli/compile.js";
import { registerSimulate } from "../compiler/cli/simulate.js";
import { runInProcess } from "./helpers/cli-in-process.js";

const FILE = "examples/pipeline/watch.ts";
const SAMPLE = "examples/itch/data/sample.pcap";
const tmp = mkdtempSync(join(tmpdir(), "tsfpga-pipe-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cli = (...args: string[]) => runInProcess([registerCompile, registerSimulate], args);

describe("compile and simulate on a pipeline", () => {
  it("compile writes each kernel's module, the top, its signature and report", async () => {
    const r = await cli("compile", FILE, "--top", "feedWatch", "--clock-mhz", "200", "-o", tmp);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/feedWatch: pipeline of 2 kernel\(s\) at 200 MHz, latency 3 cycle\(s\)/);
    for (const f of ["feed.v", "watch.v", "feedWatch.v"]) expect(existsSync(join(tmp, f))).toBe(true);
    const sig = JSON.parse(readFileSync(join(tmp, "feedWatch.signature.json"), "utf8"));
    expect(sig.pipeline.map((s: { stage: string; configPort: string }) => [s.stage, s.configPort])).toEqual([["feed", "cfg_feed"], ["watch", "cfg_watch"]]);
    expect(sig.output.tdataWidth).toBe(sig.output.fields.reduce((m: number, f: { lsb: number; width: number }) => Math.max(m, f.lsb + f.width), 0));
    const rep = JSON.parse(readFileSync(join(tmp, "feedWatch.report.json"), "utf8"));
    expect(rep.latencyCycles).toBe(3);
    expect(rep.stages.map((s: { stage: string; stages: number }) => [s.stage, s.stages])).toEqual([["feed", 1], ["watch", 2]]);
  });

  it("simulate --json: records at every boundary, the configuration per kernel; --report", async () => {
    const html = join(tmp, "pipe.html");
    const r = await cli("simulate", FILE, "--top", "feedWatch", "--pcap", SAMPLE, "--engine", "interp", "--json", "--config", '{"watch":{"locateLo":1,"locateHi":20}}', "--report", html);
    expect(r.code).toBe(0);
    expect(readFileSync(html, "utf8")).toMatch(/Kernel 2: watch/);
    const s = JSON.parse(r.out);
    expect(s.pipeline).toBe("feedWatch");
    expect(s.config.watch).toEqual({ locateLo: 1, locateHi: 20 });
    expect(s.config.feed).toEqual({ dstIp: 0xe9360c6f, dstPort: 26477 });
    expect(s.stages.map((x: { name: string }) => x.name)).toEqual(["feed", "watch"]);
    expect(s.stages[0].records).toBe(s.stats.records);
    expect(s.records).toBe(s.stages[1].records);
    expect(s.stages[1].stats.seen).toBe(s.stages[0].records);
    expect(s.stages[1].stats.ignored + s.records).toBe(s.stages[0].records);
    expect(s.mismatches).toBe(0);
    expect(s.latencyCycles).toBeNull();
  });

  it("a kernel of ItchRecords from --records-in: native, interpreter and Verilator agree under stalls", async () => {
    const recs = join(tmp, "feed.jsonl");
    const f = await cli("simulate", "examples/itch/feed.ts", "--pcap", SAMPLE, "--engine", "native", "--records", recs);
    expect(f.code).toBe(0);
    const r = await cli("simulate", FILE, "--top", "watch", "--records-in", recs, "--engine", "all", "--json", "--backpressure", "0.4", "--bubbles", "0.3", "--config", '{"locateLo":0,"locateHi":65535}');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.mismatches).toBe(0);
    expect(s.records).toBeGreaterThan(2000);
    expect(s.latencyCycles.min).toBeGreaterThanOrEqual(2);
  }, 600_000);
});

describe("pipeline user errors", () => {
  it.each([
    [["--top", "feedWatch", "--config", '{"book":{}}'], /--config: the pipeline has no stage 'book' \(stages: feed, watch\)/],
    [["--top", "feedWatch", "--config", '{"watch":{"locateLo":70000}}'], /--config: stage 'watch': field 'locateLo': 70000 is out of range for u16/],
    [["--top", "watch"], /kernel watch takes ItchRecord records, not beats; use --records-in/],
    [[], /--top must name one/],
  ])("simulate %j is one line, exit 1", async (args, msg) => {
    const r = await cli("simulate", FILE, "--pcap", SAMPLE, "--engine", "interp", ...(args as string[]));
    expect(r.code).toBe(1);
    expect(r.err + r.out).toMatch(msg as RegExp);
    expect(r.err + r.out).not.toMatch(/\n\s+at /);
  });
});
