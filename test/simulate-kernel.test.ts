// `simulate` on any kernel, at any scale: a kernel whose configuration is not the feed handler's
// ({ bias } of frame_sum) runs from --config, with one clear error per bad field; beats and input
// records come from JSON lines; the Verilator engine streams beats in and records out through
// pipes (records arrive before the input ends) with latency as a bounded histogram; output paths
// are checked before any work and written only on success; a kernel with no records reports no
// latency; temporary folders do not outlive a run; the speed printed is the end-to-end one.
import { afterAll, describe, expect, it } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerSimulate } from "../compiler/cli/simulate.js";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { frameToBeats, nativeKernelStepper } from "../sim/kernel-sim.js";
import { hexDecoder, startKernelRtl } from "../sim/kernel-rtl.js";
import type { DType } from "../compiler/ir/ir.js";
import { irTypeOf } from "../compiler/frontend/dtypes.js";
import { flatWidth } from "../compiler/ir/types.js";
import { unpackValue } from "../compiler/ir/values.js";
import { valueToJson } from "../compiler/interp/convert.js";
import { Histogram, runKernelStream } from "../sim/kernel-run.js";
import { loadNative } from "../sim/native.js";
import { runInProcess } from "./helpers/cli-in-process.js";
import ts from "typescript";

const FILE = "examples/kernels/frame_sum.ts";
const SAMPLE = "examples/itch/data/sample.pcap";
const tmp = mkdtempSync(join(tmpdir(), "tsfpga-simk-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sim = (...args: string[]) => runInProcess([registerSimulate], ["simulate", ...args]);

/** frame_sum's records for frames given as byte arrays, computed here from the bytes. */
function expectedSums(frames: number[][], bias: number): unknown[] {
  return frames.map((f, i) => ({ bytes: f.length, sum: (f.reduce((a, b) => a + b, 0) + bias) & 0xffff, frame: i }));
}

function beatsFile(name: string, frames: number[][], last = true): string {
  const lines: string[] = [];
  for (const f of frames) for (let off = 0; off < f.length; off += 8) {
    const bytes = f.slice(off, off + 8);
    lines.push(JSON.stringify({ bytes, last: last && off + 8 >= f.length }));
  }
  const p = join(tmp, name);
  writeFileSync(p, lines.join("\n") + "\n");
  return p;
}

describe("--config: any kernel's configuration", () => {
  it("runs frame_sum ({ bias: u16 }) on a capture with --config (was: Cfg has no field 'dstIp')", async () => {
    const r = await sim(FILE, "--pcap", SAMPLE, "--engine", "native", "--config", '{"bias":7}', "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.config).toEqual({ bias: 7 });
    expect(s.records).toBe(178); // one record per frame
  });

  it("fields not given are zero; @file reads the JSON from a file", async () => {
    const frames = [[1, 2, 3], [250, 250, 250, 250, 250, 250, 250, 250, 9]];
    const beats = beatsFile("two.jsonl", frames);
    const cfgFile = join(tmp, "cfg.json");
    writeFileSync(cfgFile, '{ "bias": 1000 }');
    const out = join(tmp, "two-out.jsonl");
    for (const [cfg, bias] of [[[], 0], [["--config", `@${cfgFile}`], 1000]] as const) {
      const r = await sim(FILE, "--beats", beats, "--engine", "native", ...cfg, "--records", out);
      expect(r.code, r.err).toBe(0);
      expect(readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l))).toEqual(expectedSums(frames, bias));
    }
  });

  it.each([
    ['{"bais":1}', "--config: SumConfig has no field 'bais' (fields: bias: u16)"],
    ['{"bias":70000}', "--config: field 'bias': 70000 is out of range for u16 (0..65535) (field 'bias' of SumConfig is u16)"],
    ['{"bias":"x"}', "--config: field 'bias': expected an integer (u16), got \"x\" (field 'bias' of SumConfig is u16)"],
    ["[1]", "--config: expected a JSON object with fields of SumConfig { bias: u16 }"],
    ["{bias:1}", "--config: not JSON"],
  ])("--config %s is a one-line error naming the field and its type", async (cfg, msg) => {
    const r = await sim(FILE, "--pcap", SAMPLE, "--engine", "native", "--config", cfg);
    expect(r.code).toBe(1);
    expect(r.err).toContain(msg);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });
});

describe("inputs besides pcap", () => {
  const frames = [[5], [1, 2, 3, 4, 5, 6, 7, 8], [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 255]];

  it("--beats: one beat a line, keep defaults to the bytes given; the interpreter writes the same records", async () => {
    const r = await sim(FILE, "--beats", beatsFile("b.jsonl", frames), "--engine", "native", "--config", '{"bias":2}', "--records", join(tmp, "b-out.jsonl"), "--json");
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect([s.inputKind, s.beats, s.records, s.mismatches]).toEqual(["beats", 1 + 1 + 3, 3, 0]);
    expect(readFileSync(join(tmp, "b-out.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l))).toEqual(expectedSums(frames, 2));
    const interp = await sim(FILE, "--beats", beatsFile("b.jsonl", frames), "--engine", "interp", "--config", '{"bias":2}', "--records", join(tmp, "b-interp.jsonl"));
    expect(interp.code, interp.err).toBe(0);
    expect(readFileSync(join(tmp, "b-interp.jsonl"), "utf8")).toBe(readFileSync(join(tmp, "b-out.jsonl"), "utf8"));
  });

  it("--records-in: each line a value of the kernel's input type (Beat here), checked field by field", async () => {
    const p = join(tmp, "r.jsonl");
    writeFileSync(p, JSON.stringify({ bytes: [1, 2, 3, 0, 0, 0, 0, 0], keep: 7, last: true }) + "\n");
    const r = await sim(FILE, "--records-in", p, "--engine", "native", "--json");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).records).toBe(1);
    writeFileSync(p, JSON.stringify({ bytes: [1, 2, 3], keep: 7, last: true }) + "\n");
    const bad = await sim(FILE, "--records-in", p, "--engine", "native");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^tsfpga: .*r\.jsonl:1.*bytes.*8 elements/);
  });

  it("a bad beat line names the file, the line and the field", async () => {
    const p = join(tmp, "bad.jsonl");
    writeFileSync(p, '{"bytes":[1]}\n{"bytes":[1],"keep":300}\n');
    const r = await sim(FILE, "--beats", p, "--engine", "native");
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`tsfpga: ${p}:2: field 'keep' must be an integer 0..255 (u8), got 300`);
    writeFileSync(p, "{\n");
    expect((await sim(FILE, "--beats", p, "--engine", "native")).err).toContain(`${p}:1: not JSON`);
  });

  it("exactly one input is required", async () => {
    const r = await sim(FILE, "--engine", "native", "--pcap", SAMPLE, "--beats", join(tmp, "b.jsonl"));
    expect(r.code).toBe(1);
    expect(r.err).toContain("give exactly one input: --pcap, --beats or --records-in (got --pcap, --beats)");
  });
});

describe("output paths and temporary files", () => {
  it("an unwritable --records or --report path is a one-line error before any work, naming the path", async () => {
    const dir = join(tmp, "a-folder");
    mkdirSync(dir, { recursive: true });
    for (const [opt, path, why] of [["--records", dir, "it is a folder, not a file"], ["--report", join(tmp, "no/such/r.html"), "does not exist"]] as const) {
      const t0 = performance.now();
      const r = await sim(FILE, "--pcap", SAMPLE, "--engine", "native", opt, path);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`^tsfpga: cannot write ${opt} ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*${why}`));
      expect(r.out).toBe(""); // nothing ran
      expect(performance.now() - t0).toBeLessThan(5000);
    }
  });

  it("a failed run leaves no output file and no temporary file", async () => {
    const out = join(tmp, "fail-out.jsonl");
    const p = join(tmp, "late-bad.jsonl");
    writeFileSync(p, '{"bytes":[1],"last":true}\n{"bytes":[1],"last":"no"}\n');
    const r = await sim(FILE, "--beats", p, "--engine", "native", "--records", out);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("an interrupted run (SIGINT) removes its temporary output", async () => {
    const script = join(tmp, "interrupt.mjs");
    const out = join(tmp, "int-out.txt");
    // The clean-up module itself, transpiled to plain JavaScript for a child Node process.
    const cleanup = join(tmp, "cleanup.mjs");
    writeFileSync(cleanup, ts.transpileModule(readFileSync("sim/cleanup.ts", "utf8"), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText);
    writeFileSync(script, `import { AtomicOutput } from ${JSON.stringify(cleanup)};\nconst o = new AtomicOutput(${JSON.stringify(out)});\no.write("partial");\nprocess.stdout.write("ready\\n");\nsetInterval(() => {}, 1000);\n`);
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((res, rej) => { child.stdout.once("data", () => res()); child.once("close", (c) => rej(new Error(`child exited ${c}`))); });
    expect(readdirSync(tmp).some((n) => n.startsWith(".int-out.txt.tmp-"))).toBe(true);
    const code = await new Promise<number | null>((res) => { child.on("close", (c) => res(c)); child.kill("SIGINT"); });
    expect(code).toBe(130);
    expect(readdirSync(tmp).filter((n) => n.includes("int-out"))).toEqual([]);
  });

  it("pcap synth killed part-way leaves no capture under the output's name (built CLI)", async () => {
    const out = join(tmp, "killed.pcap");
    const child = spawn(process.execPath, ["bin/tsfpga.js", "pcap", "synth", "--messages", "50000000", "-o", out], { stdio: "ignore" });
    const t0 = performance.now();
    // Wait until the writer has produced data (its temporary file grows), then kill it.
    const tmpName = () => readdirSync(tmp).find((n) => n.startsWith(".killed.pcap.tmp-"));
    while (performance.now() - t0 < 60_000) {
      const n = tmpName();
      if (n && statSync(join(tmp, n)).size > 4 << 20) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(tmpName()).toBeDefined();
    expect(existsSync(out)).toBe(false);
    await new Promise<void>((res) => { child.on("close", () => res()); child.kill("SIGKILL"); });
    expect(existsSync(out)).toBe(false);
    rmSync(join(tmp, tmpName()!), { force: true });
  }, 90_000);

  it("Ctrl-C during a Verilator run (built CLI) stops the harness and leaves no output or temporary file", async () => {
    const p = join(tmp, "many.jsonl");
    const line = JSON.stringify({ bytes: [1, 2, 3, 4, 5, 6, 7, 8], last: true }) + "\n";
    writeFileSync(p, line.repeat(400_000));
    const out = join(tmp, "int-records.jsonl");
    const child = spawn(process.execPath, ["bin/tsfpga.js", "simulate", FILE, "--beats", p, "--engine", "verilator", "--clock-mhz", "100", "--records", out], { stdio: "ignore" });
    const harness = () => { try { return execFileSync("pgrep", ["-P", String(child.pid)], { encoding: "utf8" }).trim(); } catch { return ""; } };
    const t0 = performance.now();
    let tb = "";
    while (!(tb = harness()) && performance.now() - t0 < 240_000) await new Promise((r) => setTimeout(r, 200));
    expect(tb).not.toBe(""); // the harness is running
    await new Promise((r) => setTimeout(r, 500));
    const code = await new Promise<number | null>((res) => { child.on("close", (c) => res(c)); child.kill("SIGINT"); });
    expect(code).toBe(130);
    // The harness was sent SIGKILL before the exit; give the kernel a moment to reap it.
    for (let i = 0; i < 50 && existsSync(`/proc/${tb}`); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(`/proc/${tb}`)).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((n) => n.includes(".tmp-"))).toEqual([]);
  }, 300_000);

  it("a native run leaves no temporary folder behind", async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith("tsfpga-native-")).length;
    const sigint = process.listenerCount("SIGINT");
    const copy = join(tmp, "fs_copy.ts");
    writeFileSync(copy, readFileSync(FILE, "utf8"));
    await loadNative(copy);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith("tsfpga-native-")).length).toBe(before);
    // Nothing left to clean up: no signal handler stays to defer Ctrl-C during later synchronous work.
    expect(process.listenerCount("SIGINT")).toBe(sigint);
  });
});

describe("streaming", () => {
  it("hexDecoder reads records straight from the harness's hex as valueToJson(unpackValue()) does", () => {
    const feed = compileKernel("examples/itch/feed.ts", undefined).kernel!;
    const int = (w: number, signed: boolean) => ({ k: "int", w, signed, big: w > 32 }) as DType;
    const mixed: DType = { k: "record", name: "Mixed", fields: [
      { name: "a", type: int(5, true) }, { name: "b", type: int(64, false) }, { name: "c", type: { k: "bool" } },
      { name: "d", type: int(40, true) }, { name: "e", type: { k: "array", n: 3, elem: int(7, false) } }, { name: "f", type: int(32, true) }, { name: "g", type: int(49, false) },
    ] } as DType;
    let seed = 12345n;
    const rnd = (w: number) => { let v = 0n; for (let i = 0; i < w; i += 31) { seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n); v = (v << 31n) | (seed >> 33n); } return v & ((1n << BigInt(w)) - 1n); };
    for (const d of [feed.out, mixed]) {
      const t = irTypeOf(d), w = flatWidth(t), dec = hexDecoder(d);
      for (let i = 0; i < 300; i++) {
        const x = i === 0 ? 0n : i === 1 ? (1n << BigInt(w)) - 1n : rnd(w);
        expect(dec(x.toString(16).padStart(Math.ceil(w / 4), "0"))).toEqual(valueToJson(unpackValue(x, t), d));
      }
    }
  });

  it("Histogram percentiles equal those of a sorted array; empty is null", () => {
    const xs = Array.from({ length: 1001 }, (_, i) => (i * 7919) % 37);
    const h = new Histogram();
    for (const x of xs) h.add(x);
    const s = [...xs].sort((a, b) => a - b);
    for (const p of [0, 1, 50, 99, 100]) expect(h.pct(p)).toBe(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]);
    expect(new Histogram().summary()).toBeNull();
  });

  it("Verilator: records come out of the pipe before the input ends, equal to native, latency per record", async () => {
    const k = compileKernel(FILE, undefined);
    const hw = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 100, source: FILE, sourceHash: "test" });
    const got: unknown[] = [];
    const lat: (number | null)[] = [];
    const stream = await startKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, cfg: { bias: 5 }, backpressure: 0.3, bubbles: 0.3, seed: 9, workDir: "build/test-kernels", onRecord: (r, l) => { got.push(r); lat.push(l); } });
    const ref = await nativeKernelStepper(FILE, k.kernel!, { bias: 5 });
    const expected: unknown[] = [];
    const frame = (n: number) => Uint8Array.from({ length: 9 + (n % 30) }, (_, i) => (n * 31 + i) & 255);
    // Feed 5,000 frames (more records than the harness's 64 KiB output buffer holds), then wait
    // with the input still open until records have arrived.
    for (let n = 0; n < 5000; n++) {
      const bs = frameToBeats(frame(n));
      const marks = bs.map((b) => { const o = ref.step(b); if (o !== undefined) expected.push(o); return o !== undefined; });
      await stream.push(bs, marks);
    }
    const t0 = performance.now();
    while (got.length === 0 && performance.now() - t0 < 20000) await new Promise((r) => setTimeout(r, 50));
    expect(got.length).toBeGreaterThan(0); // streamed: output before the end of input
    const s = await stream.finish(expected.length);
    expect(s.hung).toBe(false);
    expect(s.protocolErrors).toBe(0);
    expect(got).toEqual(expected);
    expect(lat.every((l) => l !== null && l >= hw.schedule!.stages)).toBe(true);
  }, 240_000);

  it("runKernelStream compares engines as it goes and counts a difference", async () => {
    const k = compileKernel(FILE, undefined);
    const a = await nativeKernelStepper(FILE, k.kernel!, { bias: 1 });
    const b = await nativeKernelStepper(FILE, k.kernel!, { bias: 2 });
    const frames = [frameToBeats(Uint8Array.of(1, 2)), frameToBeats(Uint8Array.of(3))];
    const seen: string[] = [];
    const r = await runKernelStream({ frames, steppers: [{ name: "native", stepper: a }, { name: "other", stepper: b }], sink: (j) => seen.push(j) });
    expect(r.records).toBe(2);
    expect(r.mismatches).toBe(2);
    expect(r.firstMismatch).toMatchObject({ index: 0, engines: ["native", "other"] });
    expect(seen).toEqual([JSON.stringify({ bytes: 2, sum: 4, frame: 0 }), JSON.stringify({ bytes: 1, sum: 4, frame: 1 })]);
  });
});

describe("simulate --engine all on a kernel (one Verilator build)", () => {
  it("no records: latency is null and the summary says there were none; speed is end to end with its parts", async () => {
    const frames = [[1, 2, 3], [4, 5, 6, 7, 8, 9, 10, 11, 12]];
    const p = beatsFile("nolast.jsonl", frames, false);
    const r = await sim(FILE, "--beats", p, "--engine", "all", "--clock-mhz", "100", "--json");
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.records).toBe(0);
    expect(s.latencyCycles).toBeNull();
    expect(s.latencyByType).toBeNull();
    expect(Object.keys(s.seconds)).toEqual(expect.arrayContaining(["total", "compile", "verilatorBuild", "harness", "decode", "native", "interp"]));
    expect(s.recordsPerSecond).toBe(0);
    const h = await sim(FILE, "--beats", p, "--engine", "all", "--clock-mhz", "100");
    expect(h.out).toContain("latency    none: the kernel output no records");
    expect(h.out).toMatch(/speed {6}0 records\/s end to end \([\d.]+ s: compile [\d.]+ s, verilator build [\d.]+ s \(cached\), harness [\d.]+ s, decode [\d.]+ s, native [\d.]+ s, interp [\d.]+ s\)/);
  }, 300_000);

  it("with records: every engine agrees, latency from the histogram, records written", async () => {
    const out = join(tmp, "all-out.jsonl");
    const r = await sim(FILE, "--pcap", SAMPLE, "--engine", "all", "--clock-mhz", "100", "--config", '{"bias":3}', "--records", out, "--backpressure", "0.2", "--json");
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect([s.records, s.mismatches]).toEqual([178, 0]);
    expect(s.latencyCycles.min).toBeGreaterThan(0);
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(178);
  }, 300_000);
});
