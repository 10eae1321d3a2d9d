/**
 * The Verilator execution of a streaming kernel over captured frames: the generated module is
 * built with the C++ harness (cached by content), every frame is driven as a burst of 64-bit beats
 * with tkeep/tlast and the configuration held on the `cfg` port, and each output record is
 * decoded from m_axis_tdata. Latency of a record is measured from the cycle its producing beat was
 * accepted (the beat that carried the message's last byte) to the cycle the record was valid.
 * `runKernelRtl` runs a whole capture held in memory (tests, small runs); `startKernelRtl` streams
 * beats in and records out through pipes, for runs of any length.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { DType, KernelInfo } from "../compiler/ir/ir.js";
import { packValue, unpackValue } from "../compiler/ir/values.js";
import { flatWidth } from "../compiler/ir/types.js";
import { irTypeOf } from "../compiler/frontend/dtypes.js";
import { jsonToValue, valueToJson } from "../compiler/interp/convert.js";
import { parseSignature } from "./signature.js";
import { buildHarnessDetailed, HarnessError, runHarness, type HarnessMeta } from "./verilator.js";
import { frameToBeats, type BeatJs, type KernelRun } from "./kernel-sim.js";
import { killOnExit } from "./cleanup.js";

export interface RtlKernelResult extends KernelRun {
  latencyCycles: number[];
  inputReadyLowCycles: number;
  cycles: number;
  protocolErrors: number;
  hung: boolean;
  buildSeconds: number;
  cached: boolean;
  /** The kernel's readable state fields (kernel(…, { readable })) as read from their ports at the end, as JSON. */
  readable: Record<string, unknown>;
}

/** Decode the readable state ports (harness status, hex) into JSON per state field. */
export function decodeReadable(k: KernelInfo, status: Record<string, string | bigint>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of k.readable ?? []) {
    const t = k.state.k === "record" ? k.state.fields.find((f) => f.name === field)?.type : undefined;
    const v = status[`state_${field}`];
    if (!t || v === undefined) continue;
    out[field] = valueToJson(unpackValue(typeof v === "bigint" ? v : BigInt(`0x${v}`), irTypeOf(t)), t);
  }
  return out;
}

/**
 * Reset cycles: 4, or more when the kernel's configuration stages need longer to settle (the
 * harness applies `cfg` before reset; docs/backend.md, the configuration contract).
 */
function resetCycles(signature: unknown): number {
  const sig = signature as { kernel?: { configLatencyCycles?: number }; pipeline?: { configLatencyCycles?: number }[] } | undefined;
  return Math.max(4, sig?.kernel?.configLatencyCycles ?? 0, ...(sig?.pipeline ?? []).map((p) => p.configLatencyCycles ?? 0));
}

/** Write the kernel's Verilog to its work folder and build (or reuse) its Verilator harness. */
async function buildKernelHarness(args: { k: KernelInfo; verilog: string; signature: unknown; workDir?: string; tracePath?: string; buildFlags?: string[]; netlist?: "ice40" | "ecp5" }) {
  const dir = args.workDir ?? join("build", "kernels");
  mkdirSync(dir, { recursive: true });
  const sig = parseSignature(args.signature, `${args.k.name}.signature.json`);
  const vpath = join(dir, `${sig.module}.v`);
  writeFileSync(vpath, args.verilog);
  return buildHarnessDetailed(sig, [vpath], { trace: !!args.tracePath, extraFlags: args.buildFlags, netlist: args.netlist });
}

export async function runKernelRtl(args: {
  k: KernelInfo; verilog: string; signature: unknown; frames: Uint8Array[]; cfg: unknown;
  beatOfRecord?: number[]; expectedRecords?: number; backpressure: number; bubbles: number; seed: number; tracePath?: string; workDir?: string;
  /** Idle cycles between frames (after each beat with tlast). */
  gapCycles?: number;
  /** Extra Verilator flags (tests pass -O0 to build faster). */
  buildFlags?: string[];
  /** Run the Yosys netlist for this FPGA family instead of the RTL (sim/gate-level.ts). */
  netlist?: "ice40" | "ecp5";
}): Promise<RtlKernelResult> {
  const { k } = args;
  const build = await buildKernelHarness(args);
  const data: bigint[] = [], tkeep: bigint[] = [], tlast: boolean[] = [];
  for (const f of args.frames) for (const b of frameToBeats(f)) {
    let d = 0n;
    for (let i = 7; i >= 0; i--) d = (d << 8n) | BigInt(b.bytes[i]);
    data.push(d); tkeep.push(BigInt(b.keep)); tlast.push(b.last);
  }
  const config: Record<string, bigint> = {};
  if (k.cfg) config.cfg = packValue(jsonToValue(args.cfg, k.cfg, "config"), irTypeOf(k.cfg));
  const run = await runHarness(build.exe, data, {
    bubbles: args.bubbles, backpressure: args.backpressure, seed: args.seed, config, sideband: { tkeep, tlast },
    expectedOutputs: args.expectedRecords ?? -1, gapAfterLast: args.gapCycles ?? 0, tracePath: args.tracePath, maxIdleCycles: 100_000,
    resetCycles: resetCycles(args.signature),
  });
  const outType = irTypeOf(k.out);
  const records = run.outputs.map((o) => valueToJson(unpackValue(o.data, outType), k.out));
  const latencyCycles = args.beatOfRecord
    ? run.outputs.map((o, i) => (args.beatOfRecord![i] !== undefined ? o.outputCycle - run.acceptCycles[args.beatOfRecord![i]] : NaN)).filter((x) => !Number.isNaN(x))
    : [];
  return {
    records, beatOfRecord: args.beatOfRecord ?? [], finalState: null, beats: data.length, wallSeconds: run.wallSeconds,
    latencyCycles, inputReadyLowCycles: run.inputReadyLowCycles, cycles: run.cycles, protocolErrors: run.protocolErrors, hung: run.hung,
    buildSeconds: build.seconds, cached: build.cached, readable: decodeReadable(k, run.status),
  };
}

/** What a streamed RTL run reports at its end (records go to `onRecord` as they come). */
export interface RtlStreamSummary {
  records: number;
  beats: number;
  cycles: number;
  inputReadyLowCycles: number;
  protocolErrors: number;
  firstProtocolError?: string;
  hung: boolean;
  /** Harness time from start to end, by its own clock (includes waiting for input from the pipe). */
  wallSeconds: number;
  /** CPU time of the harness process: the simulation's own cost. */
  cpuSeconds: number;
  /** The readable state fields at the end of the run, as JSON (see RtlKernelResult). */
  readable: Record<string, unknown>;
  /** Node time spent decoding the harness's output lines into records. */
  decodeSeconds: number;
}

export interface RtlStream {
  buildSeconds: number;
  cached: boolean;
  /**
   * Feed one frame's beats; `marks[i]` says beat i produces a record (from the reference engine),
   * so each record's latency is measured from its own beat. Await it: it waits while the pipe is full.
   */
  push(beats: unknown[], marks: boolean[]): Promise<void> | undefined;
  /** End the input, telling the harness how many records to wait for; resolves when it exits. */
  finish(expectedRecords: number): Promise<RtlStreamSummary>;
  /** Stop the harness (on error or interrupt). */
  kill(): void;
}

/**
 * A decoder from the harness's fixed-width tdata hex straight to a record's JSON (the same value
 * valueToJson(unpackValue(...)) gives, fields packed from bit 0 in declaration order), reading each
 * field from its own hex digits: no BigInt for fields of 32 bits or fewer.
 */
export function hexDecoder(d: DType): (hex: string) => unknown {
  const build = (t: DType, off: number): ((h: string) => unknown) => {
    switch (t.k) {
      case "bool": return (h) => (Number.parseInt(h[h.length - 1 - (off >> 2)], 16) >> (off & 3)) & 1 ? true : false;
      case "int": {
        const w = t.w, lo = off >> 2, hi = (off + w - 1) >> 2, sh = off & 3;
        if (w + sh <= 52) {
          const div = 2 ** sh, mod = 2 ** w, half = 2 ** (w - 1);
          return (h) => {
            const L = h.length;
            let v = Math.floor(Number.parseInt(h.slice(L - 1 - hi, L - lo), 16) / div) % mod;
            if (t.signed && v >= half) v -= mod;
            return t.big ? String(v) : v;
          };
        }
        const mask = (1n << BigInt(w)) - 1n, bsh = BigInt(sh), half = 1n << BigInt(w - 1), mod = 1n << BigInt(w);
        return (h) => {
          const L = h.length;
          let v = (BigInt("0x" + h.slice(L - 1 - hi, L - lo)) >> bsh) & mask;
          if (t.signed && v >= half) v -= mod;
          return t.big ? v.toString() : Number(v);
        };
      }
      case "array": {
        const ew = flatWidth(irTypeOf(t.elem));
        const parts = Array.from({ length: t.n }, (_, i) => build(t.elem, off + i * ew));
        return (h) => parts.map((f) => f(h));
      }
      case "record": {
        let o = off;
        const parts = t.fields.map((f) => { const p = [f.name, build(f.type, o)] as const; o += flatWidth(irTypeOf(f.type)); return p; });
        return (h) => { const r: Record<string, unknown> = {}; for (const [n, f] of parts) r[n] = f(h); return r; };
      }
      case "mem": throw new Error("internal: a memory (Mem) is not part of an output record");
    }
  };
  return build(d, 0);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Start a Verilator run that streams: beats go to the harness's standard input as they are pushed,
 * and each output record is decoded from its standard output and handed to `onRecord` with its
 * latency in cycles (null when no marked beat was waiting for it). Nothing is held per record.
 */
export async function startKernelRtl(args: {
  k: KernelInfo; verilog: string; signature: unknown; cfg: unknown;
  backpressure: number; bubbles: number; seed: number; tracePath?: string; workDir?: string; gapCycles?: number; buildFlags?: string[]; netlist?: "ice40" | "ecp5";
  /** Configuration ports by name, packed (a pipeline's cfg_<stage> ports); replaces `cfg`. */
  cfgPorts?: Record<string, bigint>;
  onRecord: (rec: unknown, latency: number | null) => void;
}): Promise<RtlStream> {
  const { k } = args;
  const build = await buildKernelHarness(args);
  const meta = JSON.parse(readFileSync(join(dirname(build.exe), "harness.json"), "utf8")) as HarnessMeta;
  const hasKeep = meta.inSideband.some((p) => p.name === "s_axis_tkeep"), hasLast = meta.inSideband.some((p) => p.name === "s_axis_tlast");
  const argv = ["--in", "-", "--out", "-", "--marks", "--expect", "-1", "--seed", String(args.seed >>> 0), "--bubbles", String(args.bubbles), "--backpressure", String(args.backpressure), "--max-idle", "100000"];
  if (args.gapCycles) argv.push("--gap-after-last", String(args.gapCycles));
  if (args.tracePath) argv.push("--trace", args.tracePath);
  argv.push("--reset-cycles", String(resetCycles(args.signature)));
  if (args.cfgPorts) for (const [name, v] of Object.entries(args.cfgPorts)) argv.push("--cfg", `${name}=${v.toString(16)}`);
  else if (k.cfg) {
    const v = packValue(jsonToValue(args.cfg, k.cfg, "config"), irTypeOf(k.cfg));
    argv.push("--cfg", `cfg=${v.toString(16)}`);
  }
  const child = spawn(build.exe, argv, { stdio: ["pipe", "pipe", "pipe"] });
  child.on("close", killOnExit(child));
  const decodeHex = hexDecoder(k.out);
  // A beat is written as tdata, tkeep, tlast; an input record as its packed value (s_axis_tdata only).
  const inType = irTypeOf(k.input);
  const recordHex = (v: unknown) => packValue(jsonToValue(v, k.input, "input record"), inType).toString(16);
  let summaryLine = "", rest = "", stderr = "", records = 0, beats = 0, decode = 0;
  child.stdout.setEncoding("latin1");
  child.stdout.on("data", (chunk: string) => {
    const t0 = performance.now();
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.startsWith("{")) { summaryLine = line; continue; }
      const f = line.split(" ");
      const ac = Number(f[1]), cyc = Number(f[2]);
      records++;
      args.onRecord(decodeHex(f[3]), ac >= 0 ? cyc - ac : null);
    }
    rest = text.slice(start);
    decode += performance.now() - t0;
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s: string) => { if (stderr.length < 65536) stderr += s; });
  let stdinError: Error | undefined;
  child.stdin.on("error", (e) => { stdinError = e; });
  const exited = new Promise<{ code: number | null; signal: string | null }>((res, rej) => {
    child.on("error", rej);
    child.on("close", (code, signal) => res({ code, signal }));
  });
  return {
    buildSeconds: build.seconds,
    cached: build.cached,
    push(bs, marks) {
      let text = "";
      for (let i = 0; i < bs.length; i++) {
        if (!hasKeep && !hasLast) { text += recordHex(bs[i]) + (marks[i] ? " 1\n" : " 0\n"); continue; }
        const b = bs[i] as BeatJs;
        let h = "";
        for (let j = 7; j >= 0; j--) h += HEX[b.bytes[j]];
        text += h;
        if (hasKeep) text += " " + b.keep.toString(16);
        if (hasLast) text += b.last ? " 1" : " 0";
        text += marks[i] ? " 1\n" : " 0\n";
      }
      beats += bs.length;
      if (stdinError || child.stdin.write(text)) return undefined;
      return new Promise<void>((res) => {
        const done = () => { child.stdin.off("drain", done); child.off("close", done); res(); };
        child.stdin.on("drain", done);
        child.on("close", done);
      });
    },
    async finish(expected) {
      if (!stdinError) child.stdin.end(`!expect ${expected}\n`);
      const r = await exited;
      if (r.code === null || r.code === 1 || r.code > 4)
        throw new HarnessError(`harness ${build.exe} failed (${r.signal ? `signal ${r.signal}` : `exit ${r.code}`})`, stderr);
      let s: Record<string, unknown>;
      try { s = JSON.parse(summaryLine) as Record<string, unknown>; } catch { throw new HarnessError(`harness ${build.exe} printed no summary`, stderr); }
      return {
        records, beats, cycles: s.cycles as number, inputReadyLowCycles: s.inputReadyLowCycles as number, protocolErrors: s.protocolErrors as number,
        ...(s.firstProtocolError != null ? { firstProtocolError: s.firstProtocolError as string } : {}),
        hung: s.hung as boolean, wallSeconds: s.wallSeconds as number, cpuSeconds: s.cpuSeconds as number, decodeSeconds: decode / 1000,
        readable: decodeReadable(k, (s.status ?? {}) as Record<string, string>),
      };
    },
    kill() { if (child.exitCode === null) child.kill("SIGKILL"); },
  };
}
