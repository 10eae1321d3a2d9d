// Shared helpers for the backend tests: enumerate the exported functions of examples/basics,
// compile one at a clock into build/test-hw/<mhz>/, lint it, and co-simulate it in Verilator
// against the interpreter with seeded random arguments. Also the size switch of the long sweeps:
// `make test` checks each design at one clock of 100/250/400 MHz (rotating, so every clock is
// covered on a third of the designs); `make test-full` (TSFPGA_TEST_FULL=1) runs every clock.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileTop } from "../compiler/driver.js";
import { compileInterpreter } from "../compiler/interp/interp.js";
import type { Fn, Package } from "../compiler/ir/ir.js";
import { generateHardware, type BackendResult } from "../compiler/verilog/backend.js";
import { packArgs, packResult, randomArgs, rng } from "../compiler/verilog/vectors.js";
import { parseSignature } from "../sim/signature.js";
import { buildHarnessDetailed, compareOutputs, runHarness } from "../sim/verilator.js";

export const ROOT = join(import.meta.dirname, "..");
export const EXAMPLES = join(ROOT, "examples/basics");
/** Fast C++ builds: the tests need many designs, not fast simulation. */
export const FAST_BUILD = ["-O0", "--MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0"];

/** TSFPGA_TEST_FULL=1 (`make test-full`): every sweep at full size instead of make test's sample. */
export const FULL = process.env.TSFPGA_TEST_FULL === "1";
/** The clock targets the backend tests compile for. */
export const CLOCKS = [100, 250, 400] as const;

/**
 * The clocks at which design number `index` of exampleFunctions() is checked: all three with FULL,
 * else one, rotating with the index (`offset` shifts the rotation, so that two tests using offsets
 * 0 and 1 check each design at two different clocks between them).
 */
export function sampledClocks(index: number, offset = 0): number[] {
  return FULL ? [...CLOCKS] : [CLOCKS[(index + offset) % CLOCKS.length]!];
}

/** Every exported function of examples/basics, with its position in that list (for sampledClocks). */
export function exampleFunctions(): { file: string; top: string; index: number }[] {
  const out: { file: string; top: string; index: number }[] = [];
  for (const f of readdirSync(EXAMPLES).filter((n) => n.endsWith(".ts")).sort()) {
    const text = readFileSync(join(EXAMPLES, f), "utf8");
    for (const m of text.matchAll(/^export function (\w+)/gm)) out.push({ file: `examples/basics/${f}`, top: m[1], index: out.length });
  }
  return out;
}

export interface HwDesign {
  file: string;
  top: string;
  mhz: number;
  pkg: Package;
  fn: Fn;
  hw: Required<Omit<BackendResult, "diagnostics">>;
  vpath: string;
}

const lowered = new Map<string, { pkg: Package; fn: Fn }>();

export function compileHw(file: string, top: string, mhz: number): HwDesign {
  const key = `${file}#${top}`;
  let l = lowered.get(key);
  if (!l) {
    const r = compileTop(join(ROOT, file), top);
    if (r.diagnostics.length || !r.pkg || !r.fn) throw new Error(`${key}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
    l = { pkg: r.pkg, fn: r.fn };
    lowered.set(key, l);
  }
  const sourceHash = createHash("sha256").update(readFileSync(join(ROOT, file))).digest("hex");
  const hw = generateHardware(l.fn, { clockMhz: mhz, source: file, sourceHash });
  if (hw.diagnostics.length) throw new Error(`${key} at ${mhz} MHz: ${hw.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  const dir = join(ROOT, "build/test-hw", String(mhz));
  mkdirSync(dir, { recursive: true });
  const vpath = join(dir, `${top}.v`);
  writeFileSync(vpath, hw.verilog!);
  return { file, top, mhz, ...l, hw: hw as HwDesign["hw"], vpath };
}

export function run(cmd: string, args: string[], cwd?: string): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  return { code: r.status ?? -1, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

export function lint(vpath: string): string {
  const r = run("verilator", ["--lint-only", "-Wall", vpath]);
  return r.code === 0 && !/%Warning|%Error/.test(r.out) ? "" : r.out;
}

/**
 * The tool checks every emitted design must pass, as one call: Verilator lint with -Wall, Icarus
 * (-g2005), and Yosys generic synth with no latches and `check -assert`. Each field is the tool's
 * complaint, empty when it accepts the design.
 */
export function toolChecks(vpath: string, module: string): { lint: string; icarus: string; yosys: string } {
  const ic = run("iverilog", ["-g2005", "-o", "/dev/null", vpath]);
  const y = run("yosys", ["-q", "-p", `read_verilog ${vpath}; synth -top ${module}; select -assert-none t:$dlatch t:$_DLATCH_*; check -assert`]);
  return { lint: lint(vpath), icarus: ic.code === 0 ? "" : ic.out || `exit ${ic.code}`, yosys: y.code === 0 ? y.out : y.out || `exit ${y.code}` };
}

export interface CosimResult { transactions: number; summary: string; ok: boolean; latencies: number[]; cyclesPerSecond: number }

/** Build (cached) and run the design on `count` random vectors; compare with the interpreter. */
export async function cosim(d: HwDesign, count: number, pressure: number, seed: number): Promise<CosimResult> {
  const sig = parseSignature(d.hw.signature, d.top);
  const b = await buildHarnessDetailed(sig, [d.vpath], { extraFlags: FAST_BUILD, jobs: 1 });
  const interp = compileInterpreter(d.pkg, d.fn);
  const next = rng(seed);
  const inputs: bigint[] = [];
  const expected: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const args = randomArgs(d.fn, next);
    inputs.push(packArgs(d.fn, args));
    expected.push(packResult(d.fn, interp(args)));
  }
  const r = await runHarness(b.exe, inputs, { bubbles: pressure, backpressure: pressure, seed });
  const c = compareOutputs(r, expected);
  return { transactions: r.outputs.length, summary: c.summary, ok: c.ok, latencies: r.outputs.map((o) => o.outputCycle - o.acceptCycle), cyclesPerSecond: r.cyclesPerSecond };
}
