// cocotb testbench generator: writes a self-contained directory holding the cocotb 2.x
// test module (sim/cocotb/tb_axis.py, copied verbatim), its runner script (run.py,
// Icarus by default, Verilator only when >= 5.036), a tb_config.json describing the
// module's ports from its signature, and vectors.txt with input/expected pairs. The
// Python side does the randomised driving and checking; runCocotb() executes run.py
// with the project's .venv interpreter and reports the verdict.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { inputSideband, outputSideband, type Signature } from "./signature.js";
import { hdlLibraryDir, projectRoot } from "./harness/render.js";

export interface CocotbVector {
  input: bigint;
  expected: bigint;
  /** s_axis_tkeep for this transaction (default: all ones) when the design has the port. */
  tkeep?: bigint;
  /** s_axis_tlast for this transaction (default: true) when the design has the port. */
  tlast?: boolean;
}

export interface CocotbOptions {
  seed?: number;
  /** Probability (0..1) that the input side idles for a cycle when it has data (default 0.2). */
  bubbles?: number;
  /** Probability (0..1) that m_axis_tready is low in a cycle (default 0.2). */
  backpressure?: number;
  /** Values for the signature's configuration ports. */
  config?: Record<string, bigint>;
  /** More Verilog sources (e.g. submodules); hdl/ is searched with -y anyway. */
  extraSources?: string[];
  libraryDirs?: string[];
  maxIdleCycles?: number;
  drainCycles?: number;
  resetCycles?: number;
  /** Clock period; default from the signature's clockMhz. */
  clockPeriodPs?: number;
}

export interface CocotbBench {
  dir: string;
  runScript: string;
  testModule: string;
  configFile: string;
  vectorsFile: string;
}

export interface CocotbResult {
  ok: boolean;
  simulator?: string;
  tests?: number;
  failed?: number;
  exitCode: number | null;
  /** Combined stdout/stderr of run.py (cocotb log, including failure messages). */
  output: string;
}

const templateDir = () => join(projectRoot(), "sim/cocotb");

/** Writes the testbench into outDir and returns the paths of what it wrote. */
export async function emitCocotbTestbench(
  sig: Signature,
  verilogPath: string,
  vectors: CocotbVector[],
  outDir: string,
  opts: CocotbOptions = {},
): Promise<CocotbBench> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const inSb = inputSideband(sig);
  const config: Record<string, string> = {};
  for (const [name, v] of Object.entries(opts.config ?? {})) {
    const port = sig.config?.find((c) => c.name === name);
    if (!port) throw new Error(`cocotb: ${sig.module} has no configuration port "${name}"`);
    if (v < 0n || v >= 1n << BigInt(port.width)) throw new Error(`cocotb: config ${name}=${v} does not fit in ${port.width} bits`);
    config[name] = v.toString(16);
  }
  const inMax = 1n << BigInt(sig.input.tdataWidth);
  const outMax = 1n << BigInt(sig.output.tdataWidth);
  const lines = vectors.map((v, i) => {
    if (v.input < 0n || v.input >= inMax) throw new Error(`cocotb: vector ${i} input does not fit in ${sig.input.tdataWidth} bits`);
    if (v.expected < 0n || v.expected >= outMax) throw new Error(`cocotb: vector ${i} expected value does not fit in ${sig.output.tdataWidth} bits`);
    const cols = [v.input.toString(16), v.expected.toString(16)];
    for (const p of inSb) {
      if (p.name === "s_axis_tkeep") cols.push((v.tkeep ?? (1n << BigInt(p.width)) - 1n).toString(16));
      else cols.push(v.tlast === false ? "0" : "1");
    }
    return cols.join(" ");
  });
  const tbConfig = {
    top: sig.module,
    sources: [resolve(verilogPath), ...(opts.extraSources ?? []).map((f) => resolve(f))],
    libraryDirs: (opts.libraryDirs ?? [hdlLibraryDir()]).map((d) => resolve(d)),
    clock: sig.clock,
    reset: sig.reset.name,
    resetActiveHigh: sig.reset.activeHigh,
    resetCycles: opts.resetCycles ?? 4,
    clockPeriodPs: opts.clockPeriodPs ?? Math.round(1e6 / sig.clockMhz),
    seed: opts.seed ?? 1,
    bubbles: opts.bubbles ?? 0.2,
    backpressure: opts.backpressure ?? 0.2,
    maxIdleCycles: opts.maxIdleCycles ?? 10_000,
    drainCycles: opts.drainCycles ?? 32,
    inputSideband: inSb.map((p) => p.name),
    outputSideband: outputSideband(sig).map((p) => p.name),
    config,
  };
  const bench: CocotbBench = {
    dir,
    runScript: join(dir, "run.py"),
    testModule: join(dir, "tb_axis.py"),
    configFile: join(dir, "tb_config.json"),
    vectorsFile: join(dir, "vectors.txt"),
  };
  await copyFile(join(templateDir(), "run.py"), bench.runScript);
  await copyFile(join(templateDir(), "tb_axis.py"), bench.testModule);
  await writeFile(bench.configFile, JSON.stringify(tbConfig, null, 2) + "\n");
  await writeFile(bench.vectorsFile, lines.join("\n") + (lines.length ? "\n" : ""));
  return bench;
}

/** Where the package's .venv Python is (made by `scripts/setup.sh py`), whether or not it exists. */
export const cocotbPythonPath = (): string => join(projectRoot(), ".venv/bin/python");

/** The project's .venv Python (created by `scripts/setup.sh py`), if present. */
export function cocotbPython(): string | undefined {
  const py = cocotbPythonPath();
  return existsSync(py) ? py : undefined;
}

/** Raised when the package's Python environment is missing and cannot be made. */
export class PythonEnvError extends Error {}

/**
 * The package's .venv Python wherever tsfpga is installed (not the caller's folder): made by
 * running the package's `scripts/setup.sh py` when it is missing. `say` reports that step.
 */
export function ensureCocotbPython(say: (line: string) => void = () => {}): string {
  const have = cocotbPython();
  if (have) return have;
  const script = join(projectRoot(), "scripts", "setup.sh");
  say(`no Python environment for cocotb in ${projectRoot()} yet; making it with ${script} py`);
  const r = spawnSync("bash", [script, "py"], { cwd: projectRoot(), encoding: "utf8" });
  const py = cocotbPython();
  if (py) return py;
  const why = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").filter(Boolean).pop() ?? `exit status ${r.status}`;
  throw new PythonEnvError(`cannot make the Python environment for cocotb (${script} py: ${why})`);
}

/** Runs run.py in a generated testbench directory. */
export async function runCocotb(
  dir: string,
  opts: { python?: string; simulator?: "icarus" | "verilator" } = {},
): Promise<CocotbResult> {
  const python = opts.python ?? cocotbPython();
  if (!python) throw new Error("cocotb: no Python venv found; create it with: scripts/setup.sh py");
  const env = { ...process.env, ...(opts.simulator ? { TSFPGA_COCOTB_SIM: opts.simulator } : {}) };
  return new Promise((res, rej) => {
    const p = spawn(python, [join(dir, "run.py")], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    p.stdout.on("data", (b: Buffer) => (output += b.toString()));
    p.stderr.on("data", (b: Buffer) => (output += b.toString()));
    p.on("error", rej);
    p.on("close", (code) => {
      const last = output.trim().split("\n").reverse().find((l) => l.startsWith('{"simulator"'));
      const summary = last ? (JSON.parse(last) as { simulator: string; tests: number; failed: number; ok: boolean }) : undefined;
      res({
        ok: code === 0 && !!summary?.ok,
        simulator: summary?.simulator,
        tests: summary?.tests,
        failed: summary?.failed,
        exitCode: code,
        output,
      });
    });
  });
}
