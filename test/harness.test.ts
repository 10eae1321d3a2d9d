// Tests for the Verilator harness (sim/verilator.ts + sim/harness/): correctness of the
// add8 fixture under random traffic, detection of injected faults (unstable data,
// dropped transactions, hang), build caching, wide tdata with tkeep/tlast sideband,
// VCD tracing and readable build errors. Builds are cached on disk across runs.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSignatureSync } from "../sim/signature.js";
import { buildHarness, buildHarnessDetailed, compareOutputs, harnessCacheKey, runHarness, VerilatorError } from "../sim/verilator.js";

const RTL = join(import.meta.dirname, "fixtures/rtl");
const sigOf = (top: string) => loadSignatureSync(join(RTL, `${top}.signature.json`));

/** Seeded xorshift64 producing `bits`-wide bigints. */
function randomVectors(n: number, bits: number, seed: bigint): bigint[] {
  let s = seed | 1n;
  const M = (1n << 64n) - 1n;
  const next = () => {
    s ^= (s << 13n) & M;
    s ^= s >> 7n;
    s ^= (s << 17n) & M;
    return s;
  };
  return Array.from({ length: n }, () => {
    let v = 0n;
    for (let b = 0; b < bits; b += 64) v = (v << 64n) | next();
    return v & ((1n << BigInt(bits)) - 1n);
  });
}

const add8Ref = (v: bigint) => (v & 0xffn) + ((v >> 8n) & 0xffn);

describe("harness on add8", () => {
  const inputs = randomVectors(10_000, 16, 12345n);
  const expected = inputs.map(add8Ref);

  it.each([
    [0, 0],
    [0.3, 0.3],
  ])("10k vectors, bubbles %d backpressure %d: all correct and in order", async (bubbles, backpressure) => {
    const exe = await buildHarness(sigOf("add8"), [join(RTL, "add8.v")]);
    const run = await runHarness(exe, inputs, { bubbles, backpressure, seed: 7 });
    const check = compareOutputs(run, expected);
    expect(check.summary).toBe("10000 outputs match");
    expect(run.outputs.map((o) => o.index)).toEqual(inputs.map((_, i) => i));
    expect(run.acceptCycles).toHaveLength(10_000);
    expect(run.exitCode).toBe(0);
    for (const o of run.outputs) expect(o.outputCycle - o.acceptCycle).toBeGreaterThanOrEqual(2);
    if (bubbles === 0 && backpressure === 0) {
      expect(run.inputReadyLowCycles).toBe(0);
      expect(run.outputs.every((o) => o.outputCycle - o.acceptCycle === 2)).toBe(true);
      expect(run.cycles).toBeLessThan(10_000 + 2 + 64 + 2);
    } else {
      expect(run.inputReadyLowCycles).toBeGreaterThan(0);
    }
  });

  it("is deterministic for a given seed", async () => {
    const exe = await buildHarness(sigOf("add8"), [join(RTL, "add8.v")]);
    const opts = { bubbles: 0.2, backpressure: 0.5, seed: 99 };
    const a = await runHarness(exe, inputs.slice(0, 500), opts);
    const b = await runHarness(exe, inputs.slice(0, 500), opts);
    expect(a.cycles).toBe(b.cycles);
    expect(a.outputs).toEqual(b.outputs);
  });
});

describe("fault detection (add8_faulty, cfg_fault config port)", () => {
  const inputs = randomVectors(2_000, 16, 777n);
  const expected = inputs.map(add8Ref);
  const build = () => buildHarness(sigOf("add8_faulty"), [join(RTL, "add8_faulty.v")]);
  const opts = { bubbles: 0.3, backpressure: 0.3, seed: 3, maxIdleCycles: 500 };

  it("fault 0 (none) passes", async () => {
    const run = await runHarness(await build(), inputs, { ...opts, config: { cfg_fault: 0n } });
    expect(compareOutputs(run, expected).ok).toBe(true);
  });

  it("fault 1 (data changes while stalled) is a protocol error", async () => {
    const run = await runHarness(await build(), inputs, { ...opts, config: { cfg_fault: 1n } });
    expect(run.protocolErrors).toBeGreaterThan(0);
    expect(run.firstProtocolError).toMatch(/changed while stalled/);
    expect(run.exitCode).toBe(2);
    expect(compareOutputs(run, expected).ok).toBe(false);
  });

  it("fault 2 (drops under backpressure) is caught as loss", async () => {
    const run = await runHarness(await build(), inputs, { ...opts, config: { cfg_fault: 2n } });
    const check = compareOutputs(run, expected);
    expect(check.ok).toBe(false);
    expect(run.outputs.length).toBeLessThan(inputs.length);
    expect(run.hung).toBe(true);
  });

  it("fault 3 (never outputs) is detected as a hang", async () => {
    const run = await runHarness(await build(), inputs.slice(0, 50), { ...opts, config: { cfg_fault: 3n } });
    expect(run.hung).toBe(true);
    expect(run.exitCode).toBe(3);
    expect(run.outputs).toHaveLength(0);
    expect(run.stderr).toMatch(/hang/);
    expect(run.cycles).toBeLessThan(1000);
  });

  it("rejects unknown config ports", async () => {
    await expect(runHarness(await build(), inputs, { ...opts, config: { nope: 1n } })).rejects.toThrow(/no configuration port/);
  });
});

describe("build cache", () => {
  it("rebuilds only when something changes", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "tsfpga-cache-"));
    const first = await buildHarnessDetailed(sigOf("add8"), [join(RTL, "add8.v")], { cacheDir });
    const second = await buildHarnessDetailed(sigOf("add8"), [join(RTL, "add8.v")], { cacheDir });
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.exe).toBe(first.exe);
    expect(second.seconds).toBeLessThan(1);
    const sig = { ...sigOf("add8"), latencyCycles: 5 };
    expect(await harnessCacheKey(sig, [join(RTL, "add8.v")], { cacheDir })).not.toBe(first.hash);
    expect(await harnessCacheKey(sigOf("add8"), [join(RTL, "add8.v")], { cacheDir, trace: true })).not.toBe(first.hash);
    expect(await harnessCacheKey(sigOf("add8"), [join(RTL, "add8.v")], { cacheDir })).toBe(first.hash);
    console.log(`add8 build ${first.seconds.toFixed(2)} s, cache hit ${(second.seconds * 1000).toFixed(1)} ms`);
  }, 180_000);

  it("reports build errors with the compiler output", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "tsfpga-cache-"));
    const bad = join(cacheDir, "add8.v");
    await writeFile(bad, "module add8(input wire clk); assign nope = ; endmodule\n");
    const err = await buildHarness(sigOf("add8"), [bad], { cacheDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerilatorError);
    expect((err as Error).message).toMatch(/build of add8 failed[\s\S]*%Error/);
  });
});

describe("wide tdata and sideband (wide200: 200-bit tdata, 25-bit tkeep, tlast)", () => {
  it("passes data, tkeep and tlast through", async () => {
    const n = 3_000;
    const inputs = randomVectors(n, 200, 42n);
    const tkeep = randomVectors(n, 25, 43n);
    const tlast = randomVectors(n, 1, 44n).map((v) => v === 1n);
    const M = (1n << 200n) - 1n;
    const mask = BigInt("0x" + "a5".repeat(25));
    const ref = (v: bigint) => (((v << 3n) | (v >> 197n)) & M) ^ mask;
    const exe = await buildHarness(sigOf("wide200"), [join(RTL, "wide200.v")]);
    const run = await runHarness(exe, inputs, { bubbles: 0.25, backpressure: 0.4, seed: 11, sideband: { tkeep, tlast } });
    expect(compareOutputs(run, inputs.map(ref)).summary).toBe(`${n} outputs match`);
    expect(run.outputs.map((o) => o.tkeep)).toEqual(tkeep);
    expect(run.outputs.map((o) => o.tlast)).toEqual(tlast);
  });
});

describe("tracing", () => {
  it("writes a VCD from the trace build variant", async () => {
    const exe = await buildHarness(sigOf("add8"), [join(RTL, "add8.v")], { trace: true });
    const dir = await mkdtemp(join(tmpdir(), "tsfpga-vcd-"));
    const vcd = join(dir, "add8.vcd");
    const run = await runHarness(exe, randomVectors(20, 16, 5n), { bubbles: 0.5, backpressure: 0.5, seed: 1, tracePath: vcd });
    expect(run.outputs).toHaveLength(20);
    expect(existsSync(vcd)).toBe(true);
    expect(readFileSync(vcd, "utf8")).toMatch(/m_axis_tdata/);
  });

  it("refuses a trace path on a non-trace build", async () => {
    const exe = await buildHarness(sigOf("add8"), [join(RTL, "add8.v")]);
    await expect(runHarness(exe, [1n], { bubbles: 0, backpressure: 0, seed: 1, tracePath: "/tmp/x.vcd" })).rejects.toThrow(/trace/);
  });
});
