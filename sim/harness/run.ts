// Runs a built Verilator harness executable on a list of input transactions: writes
// the line-oriented input file (hex tdata plus optional tkeep/tlast fields), passes
// seed, bubble/backpressure probabilities and configuration values on the command
// line, then parses the output records, per-input accept cycles and the JSON summary
// into a HarnessRun. Also offers compareOutputs() to check a run against expectations. The
// temporary folder and the harness process are removed even when the run is interrupted.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { keep, killOnExit, release, removeOnExit } from "../cleanup.js";

/** Written next to the executable (harness.json) so a run knows the line layout. */
export interface HarnessMeta {
  top: string;
  inWidth: number;
  outWidth: number;
  inSideband: { name: string; width: number }[];
  outSideband: { name: string; width: number }[];
  config: { name: string; width: number }[];
  trace: boolean;
}

export interface HarnessOutput {
  /** Output transaction number (0-based). */
  index: number;
  /** Cycle input #index was accepted, or -1 if fewer inputs were accepted. */
  acceptCycle: number;
  /** Cycle of the output handshake; outputCycle - acceptCycle = latency for 1:1 designs. */
  outputCycle: number;
  data: bigint;
  tkeep?: bigint;
  tlast?: boolean;
}

export interface HarnessRun {
  outputs: HarnessOutput[];
  /** Cycle each input was accepted (length = number accepted). */
  acceptCycles: number[];
  cycles: number;
  inputsAccepted: number;
  expectedOutputs: number;
  inputReadyLowCycles: number;
  protocolErrors: number;
  firstProtocolError?: string;
  firstProtocolErrorCycle?: number;
  hung: boolean;
  cycleLimit: boolean;
  exitCode: number;
  wallSeconds: number;
  cyclesPerSecond: number;
  /** Status outputs (signature `status`: a kernel's readable state) at the end of the run. */
  status: Record<string, bigint>;
  /** Harness diagnostics (hang / protocol messages). */
  stderr: string;
  /** Directory holding in.txt, out.txt, accepts.txt when keepFiles was set. */
  filesDir?: string;
}

export interface RunOptions {
  /** Probability (0..1) that the input side idles for a cycle when it has data. */
  bubbles: number;
  /** Probability (0..1) that m_axis_tready is low in a cycle. */
  backpressure: number;
  seed: number;
  /** Hang threshold: cycles without any handshake while work is outstanding (default 10000). */
  maxIdleCycles?: number;
  /** Hard cycle limit (default none). */
  maxCycles?: number;
  /** Number of outputs expected; default inputs.length; -1 = unknown (stop after `drainCycles` idle). */
  expectedOutputs?: number;
  /** Cycles run after the last expected output to catch extra outputs (default 64). */
  drainCycles?: number;
  resetCycles?: number;
  /** VCD output path; needs a harness built with { trace: true }. */
  tracePath?: string;
  /** Values for the signature's configuration ports, held for the whole run. */
  config?: Record<string, bigint>;
  /** Per-transaction sideband values for s_axis_tkeep / s_axis_tlast when the design has them. */
  sideband?: { tkeep?: bigint[]; tlast?: (boolean | number)[] };
  /** Idle input cycles after every beat with tlast (an inter-frame gap; not counted as a stall). */
  gapAfterLast?: number;
  /** Keep the temporary directory with in.txt / out.txt / accepts.txt (path in HarnessRun.filesDir). */
  keepFiles?: boolean;
}

export class HarnessError extends Error {
  constructor(
    message: string,
    readonly output = "",
  ) {
    super(output ? `${message}\n${output.trimEnd()}` : message);
    this.name = "HarnessError";
  }
}

async function readMeta(exe: string): Promise<HarnessMeta> {
  const p = join(dirname(exe), "harness.json");
  if (!existsSync(exe) || !existsSync(p)) throw new HarnessError(`not a built harness: ${exe} (or ${p} missing)`);
  return JSON.parse(await readFile(p, "utf8")) as HarnessMeta;
}

const hex = (v: bigint) => v.toString(16);

function inputText(meta: HarnessMeta, inputs: bigint[], sb: RunOptions["sideband"]): string {
  const cols: ((i: number) => string)[] = [];
  for (const p of meta.inSideband) {
    if (p.name === "s_axis_tkeep" && sb?.tkeep) {
      const k = sb.tkeep;
      if (k.length !== inputs.length) throw new HarnessError(`sideband.tkeep has ${k.length} entries for ${inputs.length} inputs`);
      cols.push((i) => hex(k[i]!));
    } else if (p.name === "s_axis_tlast" && sb?.tlast) {
      const l = sb.tlast;
      if (l.length !== inputs.length) throw new HarnessError(`sideband.tlast has ${l.length} entries for ${inputs.length} inputs`);
      cols.push((i) => (l[i] ? "1" : "0"));
    } else if (p.name === "s_axis_tkeep") {
      cols.push(() => hex((1n << BigInt(p.width)) - 1n));
    } else {
      cols.push(() => "1");
    }
  }
  if (sb?.tkeep && !meta.inSideband.some((p) => p.name === "s_axis_tkeep"))
    throw new HarnessError(`sideband.tkeep given but ${meta.top} has no s_axis_tkeep port`);
  if (sb?.tlast && !meta.inSideband.some((p) => p.name === "s_axis_tlast"))
    throw new HarnessError(`sideband.tlast given but ${meta.top} has no s_axis_tlast port`);
  const lines = new Array<string>(inputs.length);
  const max = 1n << BigInt(meta.inWidth);
  for (let i = 0; i < inputs.length; i++) {
    const v = inputs[i]!;
    if (v < 0n || v >= max) throw new HarnessError(`input ${i} (${v}) does not fit in ${meta.inWidth} unsigned bits`);
    lines[i] = cols.length ? [hex(v), ...cols.map((c) => c(i))].join(" ") : hex(v);
  }
  return lines.join("\n") + "\n";
}

function parseOutputs(text: string, meta: HarnessMeta): HarnessOutput[] {
  const outs: HarnessOutput[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    const f = line.split(" ");
    const o: HarnessOutput = { index: +f[0]!, acceptCycle: +f[1]!, outputCycle: +f[2]!, data: BigInt("0x" + f[3]!) };
    let k = 4;
    for (const p of meta.outSideband) {
      if (p.name === "m_axis_tkeep") o.tkeep = BigInt("0x" + f[k++]!);
      else o.tlast = f[k++] === "1";
    }
    outs.push(o);
  }
  return outs;
}

/** Runs the harness once; protocol errors / hangs are reported in the result, not thrown. */
export async function runHarness(exe: string, inputs: bigint[], opts: RunOptions): Promise<HarnessRun> {
  const meta = await readMeta(exe);
  if (opts.tracePath && !meta.trace) throw new HarnessError("tracePath needs a harness built with { trace: true }");
  const dir = await mkdtemp(join(tmpdir(), "tsfpga-run-"));
  removeOnExit(dir);
  try {
    const inPath = join(dir, "in.txt");
    const outPath = join(dir, "out.txt");
    const accPath = join(dir, "accepts.txt");
    await writeFile(inPath, inputText(meta, inputs, opts.sideband));
    const args = [
      "--in", inPath, "--out", outPath, "--accepts", accPath,
      "--seed", String(opts.seed >>> 0),
      "--bubbles", String(opts.bubbles), "--backpressure", String(opts.backpressure),
    ];
    if (opts.maxIdleCycles !== undefined) args.push("--max-idle", String(opts.maxIdleCycles));
    if (opts.maxCycles !== undefined) args.push("--max-cycles", String(opts.maxCycles));
    if (opts.expectedOutputs !== undefined) args.push("--expect", String(opts.expectedOutputs));
    if (opts.drainCycles !== undefined) args.push("--drain", String(opts.drainCycles));
    if (opts.resetCycles !== undefined) args.push("--reset-cycles", String(opts.resetCycles));
    if (opts.gapAfterLast) args.push("--gap-after-last", String(opts.gapAfterLast));
    if (opts.tracePath) args.push("--trace", opts.tracePath);
    for (const [name, v] of Object.entries(opts.config ?? {})) {
      const port = meta.config.find((c) => c.name === name);
      if (!port) throw new HarnessError(`config: ${meta.top} has no configuration port "${name}"`);
      if (v < 0n || v >= 1n << BigInt(port.width)) throw new HarnessError(`config ${name}=${v} does not fit in ${port.width} bits`);
      args.push("--cfg", `${name}=${hex(v)}`);
    }
    const r = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((res, rej) => {
      const p = spawn(exe, args, { stdio: ["ignore", "pipe", "pipe"] });
      const forget = killOnExit(p);
      p.on("close", forget);
      let stdout = "";
      let stderr = "";
      p.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
      p.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      p.on("error", rej);
      p.on("close", (code, signal) => res({ code, signal, stdout, stderr }));
    });
    if (r.code === null || r.code === 1 || r.code > 4)
      throw new HarnessError(`harness ${exe} failed (${r.signal ? `signal ${r.signal}` : `exit ${r.code}`})`, r.stderr);
    const line = r.stdout.trim().split("\n").pop() ?? "";
    let s: Record<string, unknown>;
    try {
      s = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new HarnessError(`harness ${exe} printed no summary`, r.stdout + r.stderr);
    }
    const acceptCycles = (await readFile(accPath, "utf8")).split("\n").filter(Boolean).map(Number);
    return {
      outputs: parseOutputs(await readFile(outPath, "utf8"), meta),
      acceptCycles,
      cycles: s.cycles as number,
      inputsAccepted: s.accepted as number,
      expectedOutputs: s.expected as number,
      inputReadyLowCycles: s.inputReadyLowCycles as number,
      protocolErrors: s.protocolErrors as number,
      ...(s.firstProtocolError != null
        ? { firstProtocolError: s.firstProtocolError as string, firstProtocolErrorCycle: s.firstProtocolErrorCycle as number }
        : {}),
      hung: s.hung as boolean,
      cycleLimit: s.cycleLimit as boolean,
      exitCode: r.code,
      wallSeconds: s.wallSeconds as number,
      cyclesPerSecond: s.cyclesPerSecond as number,
      status: Object.fromEntries(Object.entries((s.status ?? {}) as Record<string, string>).map(([k, v]) => [k, BigInt(`0x${v}`)])),
      stderr: r.stderr,
      ...(opts.keepFiles ? { filesDir: dir } : {}),
    };
  } finally {
    if (!opts.keepFiles) release(dir);
    else keep(dir);
  }
}

export interface OutputCheck {
  ok: boolean;
  /** Expected outputs that never appeared. */
  missing: number;
  /** Outputs beyond the expected count (duplicates or spurious). */
  extra: number;
  mismatches: number;
  firstMismatch?: { index: number; expected: bigint; actual: bigint };
  /** Human-readable one-line verdict. */
  summary: string;
}

/** Compares a run's outputs, in order, against expected tdata values; includes protocol/hang status. */
export function compareOutputs(run: HarnessRun, expected: bigint[]): OutputCheck {
  const n = Math.min(run.outputs.length, expected.length);
  let mismatches = 0;
  let firstMismatch: OutputCheck["firstMismatch"];
  for (let i = 0; i < n; i++) {
    const a = run.outputs[i]!.data;
    if (a !== expected[i]) {
      if (mismatches++ === 0) firstMismatch = { index: i, expected: expected[i]!, actual: a };
    }
  }
  const missing = Math.max(0, expected.length - run.outputs.length);
  const extra = Math.max(0, run.outputs.length - expected.length);
  const ok = !mismatches && !missing && !extra && !run.protocolErrors && !run.hung && !run.cycleLimit;
  const parts = [
    mismatches ? `${mismatches} mismatches (first at output ${firstMismatch!.index}: expected 0x${hex(firstMismatch!.expected)}, got 0x${hex(firstMismatch!.actual)})` : "",
    missing ? `${missing} outputs missing` : "",
    extra ? `${extra} extra outputs` : "",
    run.protocolErrors ? `${run.protocolErrors} protocol errors (first at cycle ${run.firstProtocolErrorCycle}: ${run.firstProtocolError})` : "",
    run.hung ? "design hung" : "",
    run.cycleLimit ? "cycle limit reached" : "",
  ].filter(Boolean);
  return { ok, missing, extra, mismatches, firstMismatch, summary: ok ? `${expected.length} outputs match` : parts.join("; ") };
}
