// The commands on a pipeline and on a kernel that takes records: `compile` writes one Verilog file
// per module with the top's signature and report; `simulate --json` reports every kernel boundary
// (records, latency, counters) with the configuration given per kernel; a kernel of ItchRecords
// runs from `--records-in` in every engine under stalls; `ir` prints each kernel's IR in order; and
// the user errors (and the commands that take no pipeline: run, testbench, simulate --netlist) are
// one line, exit 1. `synth` on a pipeline is in synth.test.ts.
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerCompile } from "../compiler/cli/compile.js";
import { registerSimulate } from "../compiler/cli/simulate.js";
import { registerIr } from "../compiler/cli/ir.js";
import { registerRun } from "../compiler/cli/run.js";
import { registerTestbench } from "../compiler/cli/testbench.js";
import { parsePackage } from "../compiler/ir/parser.js";
import { runInProcess } from "./helpers/cli-in-process.js";

const FILE = "examples/pipeline/watch.ts";
const SAMPLE = "examples/itch/data/sample.pcap";
const tmp = mkdtempSync(join(tmpdir(), "tsfpga-pipe-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cli = (...args: string[]) => runInProcess([registerCompile, registerSimulate, registerIr, registerRun, registerTestbench], args);

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
  ])("simulate %j is one line, exit 1", async (args, msg) => {
    const r = await cli("simulate", FILE, "--pcap", SAMPLE, "--engine", "interp", ...(args as string[]));
    expect(r.code).toBe(1);
    expect(r.err + r.out).toMatch(msg as RegExp);
    expect(r.err + r.out).not.toMatch(/\n\s+at /);
  });
});

describe("ir on a pipeline", () => {
  it("prints each kernel's IR in pipeline order, each a package the IR parser reads back", async () => {
    const r = await cli("ir", FILE, "--top", "feedWatch");
    expect(r.code).toBe(0);
    const parts = r.out.split(/^\/\/ ---- kernel \d of 2: .*\n/m);
    expect([...r.out.matchAll(/^\/\/ ---- kernel (\d) of 2: (\w+) \(pipeline feedWatch\)$/gm)].map((m) => [m[1], m[2]])).toEqual([["1", "feed"], ["2", "watch"]]);
    expect(parts.slice(1).map((t) => parsePackage(t).name)).toEqual(["feed", "watch"]);
  });

  it("without --top takes the file's only pipeline, though the file also has a kernel and an exported function", async () => {
    const r = await cli("ir", FILE);
    expect(r.code).toBe(0);
    expect([...r.out.matchAll(/^\/\/ ---- kernel (\d) of 2: (\w+) \(pipeline feedWatch\)$/gm)].map((m) => m[2])).toEqual(["feed", "watch"]);
  });
});

describe("commands that take no pipeline", () => {
  it.each([
    [["run", FILE, "--top", "feedWatch", "--args", "[]"], /^tsfpga: run calls an exported function; feedWatch is a pipeline: run it with tsfpga simulate .* --top feedWatch/],
    [["testbench", FILE, "--top", "feedWatch", "--cocotb", "-o", join(tmp, "tb")], /^tsfpga: testbench --cocotb tests an exported function; feedWatch is a pipeline: test it with tsfpga simulate/],
    [["simulate", FILE, "--top", "feedWatch", "--pcap", SAMPLE, "--netlist", "ice40"], /^tsfpga: --netlist runs one kernel's netlist; give --top a kernel, not a pipeline/],
  ])("%j is one line, exit 1", async (args, msg) => {
    const r = await cli(...(args as string[]));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(msg as RegExp);
    expect(r.err.split("\n").length).toBe(2);
  });
});
