/**
 * `tsfpga simulate <file> --top f --vectors in.jsonl [--engine verilator|interp|native|all]`:
 * runs every input line (a JSON array of arguments) through the chosen engines and compares each
 * with the interpreter, the reference. The RTL engine compiles the design, builds the Verilator
 * harness (cached) and streams the vectors with seeded bubbles and backpressure. Prints a
 * readable summary, or one JSON object with --json; exit status 1 on any mismatch or hang.
 */
import type { Command } from "commander";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonToValue, jsToValue, valueToJs, valueToJson } from "../interp/convert.js";
import { compileInterpreter } from "../interp/interp.js";
import { valueEq, type Value } from "../ir/values.js";
import { packArgs, packResult, unpackResult } from "../verilog/vectors.js";
import { parseSignature } from "../../sim/signature.js";
import { buildHarnessDetailed, runHarness } from "../../sim/verilator.js";
import { guarded, UserError } from "./common.js";
import { parseNetlistFamily } from "../../sim/gate-level.js";
import { release, removeOnExit } from "../../sim/cleanup.js";
import { compileDesign, parseClock, writeDesign } from "./compile.js";

interface Opts { top?: string; vectors?: string; pcap?: string; beats?: string; recordsIn?: string; config?: string; filter: string; records?: string; report?: string; gapCycles?: string; engine: string; backpressure: string; bubbles: string; seed: string; trace?: string; json?: boolean; clockMhz?: string; netlist?: string }

function prob(s: string, name: string): number {
  const p = Number(s);
  if (!(p >= 0 && p < 1)) throw new UserError(`${name} must be a probability in [0, 1) (got '${s}')`);
  return p;
}

function percentile(xs: number[], q: number): number {
  if (!xs.length) return 0;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
}

function intArg(s: string, what: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new UserError(`${what} must be a whole number of cycles (got '${s}')`);
  return n;
}

export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("run input vectors through the RTL (Verilator), the interpreter and/or native Node and compare")
    .argument("<file>", "dialect source file")
    .option("--top <name>", "the exported function, kernel or pipeline (default: the only one)")
    .option("--vectors <file>", "JSON lines, each an array of arguments (functions)")
    .option("--pcap <capture>", "drive a streaming kernel with the frames of a pcap/pcapng capture")
    .option("--beats <file.jsonl>", "drive a streaming kernel with beats, one JSON object a line: {\"bytes\":[8 bytes],\"keep\":255,\"last\":true}")
    .option("--records-in <file.jsonl>", "drive a kernel with input records, one JSON value of its input type a line")
    .option("--config <json|@file>", "the kernel's configuration record as JSON (fields not given are zero; --filter fills dstIp/dstPort); for a pipeline, one record per kernel by name: {\"watch\":{...}}")
    .option("--filter <ip:port>", "kernel run-time destination filter (with --pcap): ip:port, *:port, ip:* or any, as for pcap stat", "233.54.12.111:26477")
    .option("--records <out.jsonl>", "write every output record (kernels)")
    .option("--gap-cycles <n>", "idle cycles between frames in the RTL run (with --pcap; default 3, as on a 10 GbE wire)")
    .option("--report <file.html>", "write an HTML report: schedule, latency histogram, counters (with --pcap)")
    .option("--engine <e>", "verilator | interp | native | all", "verilator")
    .option("--backpressure <p>", "probability m_axis_tready is low in a cycle", "0")
    .option("--bubbles <p>", "probability the input idles in a cycle", "0")
    .option("--seed <n>", "random seed for stalls", "1")
    .option("--trace <file.vcd>", "write a VCD waveform (verilator)")
    .option("--json", "print one JSON object")
    .option("--clock-mhz <n>", "target clock for the RTL", "250")
    .option("--netlist <family>", "gate-level check: the verilator engine runs the Yosys netlist after synth_ice40 or synth_ecp5 (ice40 | ecp5), with Yosys's cell models")
    .action((file: string, o: Opts) => guarded(async () => {
      const t0 = performance.now();
      if (!["verilator", "interp", "native", "all"].includes(o.engine)) throw new UserError(`--engine must be verilator, interp, native or all (got '${o.engine}')`);
      const clockMhz = parseClock(o.clockMhz);
      const bp = prob(o.backpressure, "--backpressure");
      const bub = prob(o.bubbles, "--bubbles");
      const netlist = o.netlist === undefined ? undefined : parseNetlistFamily(o.netlist);
      if (netlist && !["verilator", "all"].includes(o.engine)) throw new UserError(`--netlist runs the verilator engine: use --engine verilator or all (got '${o.engine}')`);
      if (o.pcap || o.beats || o.recordsIn) {
        if (o.vectors) throw new UserError("--vectors is for functions; a kernel takes --pcap, --beats or --records-in");
        const { simulatePcap } = await import("./simulate-pcap.js"); // loads TypeScript: only when a command needs it
        const { isPipelineTop } = await import("../driver.js");
        const run = isPipelineTop(file, o.top) ? (await import("./simulate-pipeline.js")).simulatePipeline : simulatePcap;
        return run(file, { top: o.top, pcap: o.pcap, beats: o.beats, recordsIn: o.recordsIn, config: o.config, engine: o.engine, filter: o.filter, json: o.json, records: o.records, report: o.report, gapCycles: o.gapCycles === undefined ? undefined : intArg(o.gapCycles, "--gap-cycles"), clockMhz, backpressure: bp, bubbles: bub, seed: Number(o.seed), trace: o.trace, netlist });
      }
      if (!o.vectors) throw new UserError("give --vectors <file.jsonl> (functions) or --pcap <capture> (streaming kernels)");
      let text: string;
      try { text = readFileSync(o.vectors, "utf8"); } catch (e) { throw new UserError(`cannot read ${o.vectors}: ${(e as Error).message}`); }
      if (!text.trim()) throw new UserError(`${o.vectors}: no vectors (the file is empty): nothing would be checked`);
      const c = await compileDesign(file, o.top, clockMhz);
      if (!c) return 1;
      const sig = c.fn.sig!;
      const raws = text.split("\n").map((l, i) => [l.trim(), i + 1] as const).filter(([l]) => l);
      const args: Value[][] = raws.map(([l, ln]) => {
        let raw: unknown;
        try { raw = JSON.parse(l); } catch { throw new UserError(`${o.vectors}:${ln}: not valid JSON`); }
        if (!Array.isArray(raw) || raw.length !== sig.params.length) throw new UserError(`${o.vectors}:${ln}: expected an array of ${sig.params.length} argument(s)`);
        return sig.params.map((p, i) => jsonToValue(raw[i], p.type, `${o.vectors}:${ln} argument ${i + 1} (${p.name})`));
      });
      const interp = compileInterpreter(c.pkg, c.fn);
      const expected = args.map((a) => interp(a));
      const engines: { name: string; got: Value[] }[] = [];
      let latencies: number[] = [];
      let cycles = 0;
      let hung = false;
      let protocol = "";
      const tty = !o.json && process.stderr.isTTY;
      if (o.engine === "native" || o.engine === "all") {
        const { nativeFunction } = await import("../../sim/native.js");
        const f = await nativeFunction(file, c.fn.name);
        engines.push({ name: "native", got: args.map((a) => jsToValue(f(...sig.params.map((p, i) => valueToJs(a[i], p.type))), sig.ret, "native result")) });
      }
      if (o.engine === "verilator" || o.engine === "all") {
        const dir = mkdtempSync(join(tmpdir(), "tsfpga-sim-"));
        removeOnExit(dir);
        let b: Awaited<ReturnType<typeof buildHarnessDetailed>>;
        try {
          const paths = writeDesign(c, dir);
          if (tty) process.stderr.write(`building ${c.fn.name}${netlist ? ` (${netlist} netlist)` : ""} in Verilator…\r`);
          b = await buildHarnessDetailed(parseSignature(c.signature, paths.signature), [paths.verilog], { trace: !!o.trace, netlist });
        } finally {
          release(dir); // the harness is built from a copy in its cache folder
        }
        if (tty) process.stderr.write(`simulating ${args.length} transactions…     \r`);
        const r = await runHarness(b.exe, args.map((a) => packArgs(c.fn, a)), { bubbles: bub, backpressure: bp, seed: Number(o.seed) >>> 0, tracePath: o.trace });
        if (tty) process.stderr.write(" ".repeat(40) + "\r");
        latencies = r.outputs.map((x) => x.outputCycle - x.acceptCycle);
        cycles = r.cycles;
        hung = r.hung || r.cycleLimit || r.outputs.length !== args.length;
        if (r.protocolErrors) protocol = `${r.protocolErrors} protocol errors (first: ${r.firstProtocolError})`;
        engines.push({ name: "verilator", got: r.outputs.map((x) => unpackResult(c.fn, x.data)) });
      }
      if (o.engine === "interp") engines.push({ name: "interp", got: expected });
      let mismatches = 0;
      let first: { index: number; input: unknown; expected: unknown; got: unknown; engine: string } | undefined;
      for (const e of engines) for (let i = 0; i < Math.min(e.got.length, expected.length); i++) {
        if (valueEq(e.got[i], expected[i]) && packResult(c.fn, e.got[i]) === packResult(c.fn, expected[i])) continue;
        if (!mismatches++) first = { index: i, input: JSON.parse(raws[i][0]), expected: valueToJson(expected[i], sig.ret), got: valueToJson(e.got[i], sig.ret), engine: e.name };
      }
      const summary = {
        transactions: args.length, mismatches, firstMismatch: first ?? null,
        latencyCycles: { min: percentile(latencies, 0), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: percentile(latencies, 1) },
        cycles, wallSeconds: Math.round((performance.now() - t0)) / 1000, clockMhz, engines: engines.map((e) => e.name), netlist: netlist ?? null, hung, protocolErrors: protocol || null,
      };
      if (o.json) process.stdout.write(JSON.stringify(summary) + "\n");
      else {
        process.stdout.write(`${c.fn.name}: ${args.length} transactions through ${summary.engines.join(", ")}${netlist ? ` (${netlist} netlist)` : ""}: ${mismatches ? `${mismatches} MISMATCHES` : "all match the interpreter"}\n`);
        if (cycles) process.stdout.write(`  ${cycles} cycles at ${clockMhz} MHz; latency min ${summary.latencyCycles.min} p50 ${summary.latencyCycles.p50} p99 ${summary.latencyCycles.p99} max ${summary.latencyCycles.max}\n`);
        if (first) process.stdout.write(`  first mismatch (${first.engine}) at #${first.index}: input ${JSON.stringify(first.input)} expected ${JSON.stringify(first.expected)} got ${JSON.stringify(first.got)}\n`);
        if (hung) process.stdout.write("  the design hung or lost transactions\n");
        if (protocol) process.stdout.write(`  ${protocol}\n`);
      }
      return mismatches || hung || protocol ? 1 : 0;
    }));
}
