// CLI tests for the backend commands, run in-process: `compile` writes the Verilog, signature
// and report; an impossible clock is TSF4001 with exit 1; `simulate` compares engines and
// reports JSON; `testbench --cocotb` writes a bench.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerCompile } from "../compiler/cli/compile.js";
import { registerSimulate } from "../compiler/cli/simulate.js";
import { registerTestbench } from "../compiler/cli/testbench.js";
import { parseSignature } from "../sim/signature.js";
import { runInProcess } from "./helpers/cli-in-process.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfpga-hw-cli-"));

function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runInProcess([registerCompile, registerSimulate, registerTestbench], args);
}

describe("tsfpga compile", () => {
  it("writes Verilog, a valid signature and a report", async () => {
    const r = await run("compile", "examples/basics/prices.ts", "--top", "notional", "--clock-mhz", "400", "-o", tmp);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/notional: 3 stage\(s\) at 400 MHz/);
    const sig = parseSignature(JSON.parse(readFileSync(join(tmp, "notional.signature.json"), "utf8")));
    expect(sig.latencyCycles).toBe(3);
    expect(sig.input).toEqual({ tdataWidth: 64, fields: [{ path: "price", lsb: 0, width: 32, signed: false }, { path: "shares", lsb: 32, width: 32, signed: false }] });
    const rep = JSON.parse(readFileSync(join(tmp, "notional.report.json"), "utf8"));
    expect(rep.perStage).toHaveLength(3);
    expect(rep.perStage[0].sourceLines).toContain("prices.ts:40");
    expect(readFileSync(join(tmp, "notional.v"), "utf8")).toMatch(/\/\/ ===== Stage 3 =====/);
  });
  it("fails with TSF4001 for an impossible clock", async () => {
    const r = await run("compile", "examples/basics/prices.ts", "--top", "notional", "--clock-mhz", "2000", "-o", tmp);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/prices\.ts:40:\d+ - error TSF4001: 'mul'/);
  });
  it("fails with TSF4006 and the fastest clock when no op fits the period", async () => {
    const r = await run("compile", "examples/basics/prices.ts", "--top", "notional", "--clock-mhz", "5000", "-o", tmp);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error TSF4006: at 5000 MHz the period is 0\.2 ns, no more than the 0\.45 ns every register stage needs, so no operation fits in a cycle/);
    expect(r.err).toMatch(/suggestion: the fastest clock for this design is [\d.]+ MHz/);
    expect(r.err).not.toMatch(/-0\.25|usable ns/);
  });
});

describe("tsfpga simulate", () => {
  const vec = join(tmp, "v.jsonl");
  writeFileSync(vec, ["[1, 2]", "[4294967295, 4294967295]", "[100000, 3]"].join("\n") + "\n");
  it("interp + native agree (--engine interp/native)", async () => {
    const r = await run("simulate", "examples/basics/prices.ts", "--top", "notional", "--vectors", vec, "--engine", "native", "--json");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ transactions: 3, mismatches: 0 });
  });
  it("runs the RTL in Verilator with stalls", async () => {
    const r = await run("simulate", "examples/basics/prices.ts", "--top", "notional", "--vectors", vec, "--engine", "all", "--backpressure", "0.3", "--bubbles", "0.3", "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ transactions: 3, mismatches: 0, firstMismatch: null, clockMhz: 250 });
    expect(j.latencyCycles.min).toBeGreaterThanOrEqual(2);
  });
  it("rejects bad vectors", async () => {
    writeFileSync(join(tmp, "bad.jsonl"), "[1]\n");
    const r = await run("simulate", "examples/basics/prices.ts", "--top", "notional", "--vectors", join(tmp, "bad.jsonl"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/expected an array of 2 argument/);
  });
});

describe("tsfpga testbench", () => {
  it("writes a cocotb bench", async () => {
    const dir = join(tmp, "tb");
    const r = await run("testbench", "examples/basics/prices.ts", "--top", "midPrice", "--cocotb", "-o", dir, "--count", "50");
    expect(r.code, r.err).toBe(0);
    for (const f of ["midPrice.v", "run.py", "tb_axis.py", "tb_config.json", "vectors.txt"]) expect(existsSync(join(dir, f))).toBe(true);
    expect(readFileSync(join(dir, "vectors.txt"), "utf8").trim().split("\n")).toHaveLength(50);
  });
});
