/**
 * Benchmark section for the order book (examples/book/book.ts, the pipeline feedBook = feed → book):
 * the clock it is scheduled for (250 MHz, or the fastest the delay model allows: an estimate, not
 * place and route), book_latency_cycles (the book's own RTL run) and feed → book latency (the
 * pipeline's top module) min/p50/p99/max on the shared Nasdaq capture in every engine, Yosys
 * LUT/FF/BRAM counts for the book and for feed+book (generic, iCE40, ECP5), and throughput on a
 * `pcap synth` feed of SIM_BENCH_MESSAGES messages (1,000,000 by default) with the 64 busiest
 * symbols watched: sw_msgs_per_s from `simulate --engine native` (whole command, median of
 * BOOK_BENCH_RUNS runs, default 3), rtl_sim_msgs_per_s from the pipeline's top module alone in
 * Verilator (median of as many runs), and one `simulate --engine verilator` run comparing every
 * kernel boundary with native Node on the whole feed. Area comes from `tsfpga synth --no-pnr`
 * (iCE40 HX8K, ECP5-25F) and `--target generic`. Run alone: `node dist/bench/book.js`;
 * BOOK_BENCH_PARTS=latency,area,sw,rtl,compare chooses parts (all by default).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadavg } from "node:os";
import { compilePipeline } from "../compiler/driver.js";
import { pipelineConfigs } from "../compiler/cli/simulate-pipeline.js";
import { generatePipelineHardware, cfgPortName } from "../compiler/verilog/pipeline-hw.js";
import { jsonToValue } from "../compiler/interp/convert.js";
import { packValue } from "../compiler/ir/values.js";
import { irTypeOf } from "../compiler/frontend/dtypes.js";
import { readCaptureFile } from "../sim/pcap/read.js";
import { frameToBeats } from "../sim/kernel-sim.js";
import { startKernelRtl } from "../sim/kernel-rtl.js";
import { runKernelStream } from "../sim/kernel-run.js";
import { bookInputsFromCapture } from "../test/reference-book/records.js";
import { BOOK, bookConfig } from "./demo-book.js";
import { median, printSections, type Row, type Section } from "./table.js";

const TOP = "feedBook";
/** BOOK_BENCH_PARTS (comma-separated: latency, area, sw, rtl, compare) runs only those parts; all by default. */
const PARTS = (process.env.BOOK_BENCH_PARTS ?? "latency,area,sw,rtl,compare").split(",");
const part = (p: string) => PARTS.includes(p);
const SHARED = "../shared/data/pcap/nasdaq-20160913-moldudp64.pcap";
const fmtN = (n: number) => Math.round(n).toLocaleString("en-US");
type Lat = { min: number; p50: number; p99: number; max: number } | null;
const lat = (l: Lat) => (l ? `${l.min}/${l.p50}/${l.p99}/${l.max}` : "none");

/** The busiest locates of a capture by A F E C X D U messages, busiest first. */
function busiest(pcap: string, n: number): number[] {
  const traffic = new Map<number, number>();
  for (const r of bookInputsFromCapture(pcap)) if ("AFECXDU".includes(String.fromCharCode(r.type))) traffic.set(r.locate, (traffic.get(r.locate) ?? 0) + 1);
  return [...traffic.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n).map(([l]) => l);
}

/** `tsfpga simulate … --json` under /usr/bin/time: the summary, wall seconds and peak RSS (MB). */
function simulate(args: string[]): { s?: Record<string, any>; wall: number; mb: number; err: string } {
  const timeFile = "build/bench-book-hw.time";
  const r = spawnSync("/usr/bin/time", ["-f", "%M %e", "-o", timeFile, process.execPath, "bin/tsfpga.js", "simulate", BOOK, "--top", TOP, ...args, "--json"], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });
  const [kb, wall] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  rmSync(timeFile, { force: true });
  try { return { s: JSON.parse(r.stdout.toString()), wall, mb: kb / 1024, err: "" }; } catch {
    return { wall, mb: kb / 1024, err: `exit ${r.status}: ${r.stderr.toString().trim().split("\n").slice(-2).join(" ").slice(0, 300)}` };
  }
}

/** `tsfpga synth --no-pnr` (or `--target generic`) JSON for a top, at `mhz` or the fastest clock the target's delay model allows. */
function synthCounts(top: string, target: string, mhz: number): { j?: Record<string, any>; mhz: number; err: string } {
  const run = (c: number) => spawnSync(process.execPath, ["bin/tsfpga.js", "synth", BOOK, "--top", top, "--target", target, ...(target === "generic" ? [] : ["--no-pnr"]), "--clock-mhz", String(c), "--json", "-q", "-o", "build/bench-book-hw"], { encoding: "utf8", maxBuffer: 1 << 28 });
  let r = run(mhz);
  const fastest = /fastest clock[a-z ]* is (\d+)(?:\.\d+)? MHz/.exec(r.stderr);
  if (r.status !== 0 && fastest && !r.stdout.trim()) { mhz = Number(fastest[1]); r = run(mhz); }
  try { return { j: JSON.parse(r.stdout), mhz, err: "" }; } catch { return { mhz, err: `exit ${r.status}: ${r.stderr.trim().split("\n").slice(-2).join(" ").slice(0, 300)}` }; }
}

const parts = (sec: Record<string, unknown>) => Object.entries(sec).filter(([k, v]) => typeof v === "number" && k !== "total").map(([k, v]) => `${k} ${(v as number).toFixed(1)} s`).join(", ");

export async function bookBench(): Promise<Section> {
  const rows: Row[] = [];
  // Each row also goes to stderr as it is measured (the whole section takes tens of minutes).
  const push = rows.push.bind(rows);
  rows.push = (...r: Row[]) => { for (const x of r) process.stderr.write(`bench: book: ${x.name}: ${x.value} ${x.unit} (${x.note ?? ""})\n`); return push(...r); };
  mkdirSync("build/bench-book-hw", { recursive: true });
  const p = compilePipeline(BOOK, TOP);
  if (!p.stages || !p.name) throw new Error(`bench: ${BOOK} --top ${TOP} does not compile: ${p.diagnostics.map((d) => d.message).join("; ")}`);
  const stages = p.stages;
  const source = { source: BOOK, sourceHash: createHash("sha256").update(readFileSync(BOOK)).digest("hex") };
  let clock = 250;
  let hw = generatePipelineHardware(p.name, stages, { clockMhz: clock, ...source });
  if (hw.diagnostics.length) {
    const fastest = Math.floor(Number(/fastest clock[a-z ]* is (\d+(?:\.\d+)?) MHz/.exec(hw.diagnostics[0].message)?.[1]));
    if (!fastest) throw new Error(`bench: ${TOP} at 250 MHz: ${hw.diagnostics[0].message}`);
    rows.push({ name: `${TOP} @250 MHz`, value: hw.diagnostics[0].code, unit: "", note: hw.diagnostics[0].message.slice(0, 160) });
    clock = fastest;
    hw = generatePipelineHardware(p.name, stages, { clockMhz: clock, ...source });
  }
  const sched = hw.stages!.map((h, i) => `${stages[i].name} ${h.schedule!.stages}`).join(", ");
  rows.push({ name: `clock_target_mhz (${TOP})`, value: clock, unit: "MHz", note: `schedule by the delay model, an estimate, not a place-and-route clock; stages per kernel: ${sched}` });

  // Latency on the shared capture (real, many orders from before it began), every engine.
  if (!part("latency")) { /* skipped */ } else if (existsSync(SHARED)) {
    const watch = busiest(SHARED, 64);
    const r = simulate(["--pcap", SHARED, "--engine", "all", "--clock-mhz", String(clock), "--config", bookConfig(watch)]);
    if (!r.s) rows.push({ name: "book_latency_cycles (shared capture)", value: "FAILED", unit: "", note: r.err });
    else {
      const book = r.s.stages[1], ns = (c: number) => `${((c * 1000) / clock).toFixed(1)} ns`;
      const note = `${fmtN(r.s.stages[0].records)} messages, ${fmtN(book.records)} updates, watching the 64 busiest of its locates; native, interpreter, Verilator: ${r.s.mismatches} mismatches`;
      rows.push({ name: "book_latency_cycles (shared capture)", value: lat(book.latencyCycles), unit: "cycles min/p50/p99/max", note: `book's own RTL run; p99 ${ns(book.latencyCycles?.p99 ?? NaN)} at ${clock} MHz (estimate); ${book.latencyCyclesNoStalls} with no stalls; ${note}` });
      rows.push({ name: "feed→book latency_cycles (shared capture)", value: lat(r.s.latencyCycles), unit: "cycles min/p50/p99/max", note: `pipeline top, last byte of a message in to its update out; p99 ${ns(r.s.latencyCycles?.p99 ?? NaN)} at ${clock} MHz (estimate); feed alone ${lat(r.s.stages[0].latencyCycles)}` });
    }
  } else rows.push({ name: "book_latency_cycles", value: "n/a", unit: "", note: `${SHARED} absent` });

  // Area: `tsfpga synth --no-pnr` (iCE40 HX8K, ECP5-25F: the port wrapper counted apart) and `--target generic`, for the book alone and for feed+book.
  const yosysVersion = execFileSync("yosys", ["-V"], { encoding: "utf8" }).trim().split(" ")[1];
  if (part("area")) for (const what of ["book", TOP]) {
    for (const target of ["generic", "ice40-hx8k", "ecp5-25f"]) {
      const y = synthCounts(what, target, clock);
      const name = `yosys ${target} (${what === TOP ? "feed+book" : "book"})`;
      if (!y.j) { rows.push({ name, value: "FAILED", unit: "", note: y.err }); continue; }
      const j = y.j;
      const clk = `scheduled for ${y.mhz} MHz with the ${j.compiled?.delayModel ?? "target"} delay model`;
      if (target === "generic") {
        const mem = (j.memories ?? { count: 0, bits: 0 }) as { count: number; bits: number };
        rows.push({ name, value: `${fmtN(j.luts)} LUT4 / ${fmtN(j.ffs)} FF / ${mem.count} memories`, unit: "", note: `Yosys ${yosysVersion} generic 4-LUT synthesis, memories kept as memories (${fmtN(mem.bits)} bits); ${clk}; ${Number(j.seconds?.yosys ?? 0).toFixed(0)} s` });
      } else {
        rows.push({ name, value: `${fmtN(j.luts)} LUT4 / ${fmtN(j.ffs)} FF / ${j.brams} BRAM`, unit: "", note: `Yosys ${yosysVersion}, design only (with the port wrapper ${fmtN(j.total?.luts)} / ${fmtN(j.total?.ffs)}); ${j.fits ? "fits" : "does NOT fit"} (capacity ${fmtN(j.capacity?.luts)} LUT4, ${j.capacity?.brams} BRAM); ${clk}; no place and route; ${Number(j.seconds?.yosys ?? 0).toFixed(0)} s` });
      }
    }
  }

  // Throughput on a synthetic feed, with the 64 busiest symbols watched.
  const messages = Number(process.env.SIM_BENCH_MESSAGES ?? 1_000_000);
  const runs = Number(process.env.BOOK_BENCH_RUNS ?? 3);
  const pcap = `build/bench-sim-${messages}.pcap`;
  if (!existsSync(pcap)) execFileSync(process.execPath, ["bin/tsfpga.js", "pcap", "synth", "--messages", String(messages), "--seed", "7", "-o", pcap], { stdio: "ignore" });
  const watch = busiest(pcap, 64);
  const watchText = `the 64 busiest of its locates (${[...watch].sort((a, b) => a - b).slice(0, 3).join(", ")}, …)`;
  const cfg = bookConfig(watch);
  const sw: number[] = [], swEngine: number[] = [];
  let swNote = "";
  for (let i = 0; part("sw") && i < runs; i++) {
    const r = simulate(["--pcap", pcap, "--engine", "native", "--config", cfg]);
    if (!r.s) { rows.push({ name: "sw_msgs_per_s (native Node)", value: "FAILED", unit: "", note: r.err }); break; }
    sw.push(r.s.stages[0].records / r.wall);
    swEngine.push(r.s.stages[0].records / r.s.seconds.native);
    swNote = `${fmtN(r.s.stages[0].records)} messages, ${fmtN(r.s.records)} updates, book stats ${JSON.stringify(r.s.stages[1].stats)}; last run ${r.wall.toFixed(0)} s wall (${parts(r.s.seconds)}), peak RSS ${r.mb.toFixed(0)} MB`;
  }
  if (sw.length && sw.length === runs) rows.push({ name: "sw_msgs_per_s (native Node, simulate end to end)", value: median(sw), unit: "msgs/s", note: `median of ${sw.map(fmtN).join(", ")}; ${swNote}` });
  if (swEngine.length && swEngine.length === runs) rows.push({ name: "sw_msgs_per_s (native Node, engine only)", value: median(swEngine), unit: "msgs/s", note: `the same runs' time in the native engine's steps alone (not compile, not reading the capture): median of ${swEngine.map(fmtN).join(", ")}` });

  // The pipeline's top module alone in Verilator (no software engine beside it): the harness's own time and Node's feeding of it.
  const cfgPorts: Record<string, bigint> = {};
  const cfgs = pipelineConfigs(stages, cfg, "233.54.12.111:26477");
  stages.forEach((s, i) => { if (s.kernel.cfg) cfgPorts[cfgPortName(s.name)] = packValue(jsonToValue(cfgs[i], s.kernel.cfg, "config"), irTypeOf(s.kernel.cfg)); });
  const rtl: number[] = [], harness: number[] = [];
  let rtlNote = "";
  for (let i = 0; part("rtl") && i < runs; i++) {
    let cb: (rec: unknown, l: number | null) => void = () => {};
    const stream = await startKernelRtl({ k: { ...stages[0].kernel, name: p.name, out: stages[stages.length - 1].kernel.out, cfg: undefined }, verilog: hw.verilog!, signature: hw.signature, cfg: undefined, cfgPorts, gapCycles: 3, backpressure: 0, bubbles: 0, seed: 1, workDir: "build/bench-book-hw", onRecord: (r, l) => cb(r, l) });
    try {
      const groups = (function* () { for (const f of readCaptureFile(pcap, { stream: true })) yield frameToBeats(f.data) as unknown[]; })();
      const run = await runKernelStream({ frames: groups, steppers: [], rtls: [{ label: p.name, stream, attach: (f) => { cb = f; }, from: -1, to: 1 }], stages: stages.map((s) => s.name) });
      const s = run.rtls[0].summary;
      rtl.push(messages / run.wallSeconds);
      harness.push(messages / s.cpuSeconds);
      rtlNote = `build ${stream.buildSeconds.toFixed(1)} s${stream.cached ? " (cached)" : ""}; last run ${run.wallSeconds.toFixed(1)} s: harness CPU ${s.cpuSeconds.toFixed(1)} s, decode ${s.decodeSeconds.toFixed(1)} s, pipe wait ${run.pipeWaitSeconds.toFixed(1)} s; ${fmtN(run.records)} updates, ${fmtN(s.cycles)} cycles${s.protocolErrors || s.hung ? `; PROTOCOL ERRORS ${s.protocolErrors}, hung ${s.hung}` : ""}`;
    } finally { stream.kill(); }
  }
  if (rtl.length) rows.push({ name: "rtl_sim_msgs_per_s (Verilator, harness CPU time)", value: median(harness), unit: "msgs/s", note: `feed+book top module alone, Verilator 5.006 -O3, median of ${harness.map(fmtN).join(", ")}` });
  if (rtl.length) rows.push({ name: "rtl_sim_msgs_per_s (Verilator, fed from Node end to end)", value: median(rtl), unit: "msgs/s", note: `median of ${rtl.map(fmtN).join(", ")}; ${rtlNote}` });

  // One run comparing Verilator with native Node at every kernel boundary on the whole feed.
  const c = part("compare") ? simulate(["--pcap", pcap, "--engine", "verilator", "--clock-mhz", String(clock), "--config", cfg]) : undefined;
  if (!c) { /* skipped */ } else if (!c.s) rows.push({ name: "simulate --engine verilator (whole feed)", value: "FAILED", unit: "", note: c.err });
  else rows.push({ name: "simulate --engine verilator (whole feed)", value: c.s.mismatches === 0 ? "0 mismatches" : `${c.s.mismatches} MISMATCHES`, unit: "", note: `${fmtN(c.s.stages[0].records)} messages, ${fmtN(c.s.records)} updates, every kernel boundary against native Node; ${(c.s.stages[0].records / c.wall).toFixed(0)} msgs/s end to end, ${c.wall.toFixed(0)} s wall (${parts(c.s.seconds)}), peak RSS ${c.mb.toFixed(0)} MB; latency book ${lat(c.s.stages[1].latencyCycles)}, feed→book ${lat(c.s.latencyCycles)} cycles at ${clock} MHz (estimate)` });
  return { title: `order book (examples/book/book.ts, feed → book; ${fmtN(messages)}-message synthetic feed: ${watchText}; load average ${loadavg()[0]!.toFixed(1)} at the end)`, rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printSections([await bookBench()]);
