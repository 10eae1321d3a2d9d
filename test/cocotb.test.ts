// Tests for the cocotb testbench generator (sim/cocotb.ts + sim/cocotb/): generates a
// bench for the add8 fixture and runs it with the project's .venv (cocotb 2.x, Icarus),
// checks that a correct design passes and that a faulty one (add8_faulty with
// cfg_fault = 1: data changes while stalled) fails. Skipped, with a notice, without .venv.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSignatureSync } from "../sim/signature.js";
import { cocotbPython, emitCocotbTestbench, runCocotb } from "../sim/cocotb.js";

const RTL = join(import.meta.dirname, "fixtures/rtl");
const python = cocotbPython();
if (!python) console.warn("NOTICE: .venv missing, cocotb tests skipped (run scripts/setup.sh py)");

function vectors(n: number, seed: number) {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const input = BigInt(s >>> 8) & 0xffffn;
    return { input, expected: (input & 0xffn) + (input >> 8n) };
  });
}

describe.skipIf(!python)("cocotb testbench (Icarus)", () => {
  it("passes on add8 with bubbles and backpressure", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tsfpga-cocotb-"));
    const sig = loadSignatureSync(join(RTL, "add8.signature.json"));
    const bench = await emitCocotbTestbench(sig, join(RTL, "add8.v"), vectors(300, 9), dir, { seed: 5, bubbles: 0.3, backpressure: 0.3 });
    expect(existsSync(bench.runScript) && existsSync(bench.testModule)).toBe(true);
    expect(readFileSync(bench.vectorsFile, "utf8").split("\n")).toHaveLength(301);
    const r = await runCocotb(bench.dir);
    expect(r.output).toMatch(/PASS/);
    expect(r.simulator).toBe("icarus");
    expect(r.ok, r.output.slice(-3000)).toBe(true);
  });

  it("fails on a design whose output changes while stalled", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tsfpga-cocotb-"));
    const sig = loadSignatureSync(join(RTL, "add8_faulty.signature.json"));
    const bench = await emitCocotbTestbench(sig, join(RTL, "add8_faulty.v"), vectors(200, 3), dir, {
      seed: 2, bubbles: 0.2, backpressure: 0.5, config: { cfg_fault: 1n },
    });
    const r = await runCocotb(bench.dir);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/changed while stalled/);
  });

  it("rejects unknown configuration ports", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tsfpga-cocotb-"));
    const sig = loadSignatureSync(join(RTL, "add8.signature.json"));
    await expect(emitCocotbTestbench(sig, join(RTL, "add8.v"), [], dir, { config: { x: 1n } })).rejects.toThrow(/no configuration port/);
  });
});
