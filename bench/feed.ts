/**
 * Benchmark section for the feed handler (examples/itch/feed.ts): whether a 250 MHz schedule is
 * reachable (the state loop must fit one cycle), parse latency in cycles on the shared Nasdaq
 * capture at the fastest reachable clock, line rate on back-to-back 1,500-byte frames, RTL and
 * software throughput on a synthetic feed, and Yosys area (generic and iCE40).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { readCaptureFile } from "../sim/pcap/read.js";
import { runKernelInterp, runKernelNative } from "../sim/kernel-sim.js";
import { runKernelRtl } from "../sim/kernel-rtl.js";
import { median, type Row, type Section } from "./table.js";
import { runYosysScript } from "../sim/yosys.js";

const FILE = "examples/itch/feed.ts";
const CFG = { dstIp: 0xe9360c6f, dstPort: 26477 };
const SHARED = "../shared/data/pcap/nasdaq-20160913-moldudp64.pcap";

function frames(path: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of readCaptureFile(path)) out.push(f.data.slice());
  return out;
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export async function feedBench(): Promise<Section> {
  const rows: Row[] = [];
  const k = compileKernel(FILE, undefined);
  if (!k.fn || !k.kernel) throw new Error("bench: feed kernel does not compile");
  const at250 = generateKernelHardware(k.fn, k.kernel, { clockMhz: 250, source: FILE, sourceHash: "" });
  const fmax = at250.diagnostics.length ? Number(/fastest clock for this kernel is (\d+) MHz/.exec(at250.diagnostics[0].message)?.[1]) : 250;
  rows.push({ name: "feed @250 MHz", value: at250.diagnostics.length ? `${at250.diagnostics[0].code}` : "ok", unit: "", note: at250.diagnostics.length ? `state loop too long; fastest clock by the delay model: ${fmax} MHz` : "" });
  const hw = generateKernelHardware(k.fn, k.kernel, { clockMhz: fmax, source: FILE, sourceHash: "" });
  rows.push({ name: "clock_target_mhz (feed)", value: fmax, unit: "MHz", note: `${hw.schedule!.stages} stage(s); estimated by the delay model, not place-and-route` });
  const work = "build/bench-feed";
  mkdirSync(work, { recursive: true });
  if (existsSync(SHARED)) {
    const fs = frames(SHARED);
    const nat = await runKernelNative(FILE, k.kernel, fs.map((data) => ({ data })), CFG);
    const r = await runKernelRtl({ k: k.kernel, verilog: hw.verilog!, signature: hw.signature, frames: fs, cfg: CFG, beatOfRecord: nat.beatOfRecord, expectedRecords: nat.records.length, backpressure: 0, bubbles: 0, seed: 1, workDir: work });
    const same = JSON.stringify(r.records) === JSON.stringify(nat.records);
    const l = r.latencyCycles;
    rows.push({ name: "parse_latency_cycles (shared capture)", value: `${pct(l, 0)}/${pct(l, 50)}/${pct(l, 99)}/${pct(l, 100)}`, unit: "cycles min/p50/p99/max", note: `at ${fmax} MHz = ${(pct(l, 50) * 1000 / fmax).toFixed(1)} ns p50; ${r.records.length} records, ${same ? "equal to native" : "MISMATCH"}` });
  } else rows.push({ name: "parse_latency_cycles", value: "n/a", unit: "", note: "../shared absent" });
  // Line rate: back-to-back 1,500-byte frames from the ITCH sample (or a synthetic feed).
  const mtuPcap = `${work}/mtu1500.pcap`;
  execFileSync(process.execPath, ["bin/tsfpga.js", "pcap", "synth", "--messages", "200000", "--symbols", "200", "--seed", "3", "--mtu", "1500", "-o", mtuPcap], { stdio: "ignore" });
  const mtu = frames(mtuPcap);
  const natM = await runKernelNative(FILE, k.kernel, mtu.map((data) => ({ data })), CFG);
  const rM = await runKernelRtl({ k: k.kernel, verilog: hw.verilog!, signature: hw.signature, frames: mtu, cfg: CFG, beatOfRecord: natM.beatOfRecord, expectedRecords: natM.records.length, backpressure: 0, bubbles: 0, seed: 1, workDir: work });
  rows.push({ name: "line_rate inputReadyLowCycles", value: rM.inputReadyLowCycles, unit: "cycles", note: `${mtu.length} back-to-back frames (max ${Math.max(...mtu.map((f) => f.length))} bytes), no idle cycles between frames, ${rM.beats} beats` });
  rows.push({ name: "rtl_sim_msgs_per_s", value: rM.records.length / rM.wallSeconds, unit: "msgs/s", note: `${rM.records.length} messages, Verilator 5.006 -O3, harness time only (${(rM.beats / rM.wallSeconds).toFixed(0)} beats/s); records ${JSON.stringify(rM.records) === JSON.stringify(natM.records) ? "equal" : "DIFFER"}` });
  const sw: number[] = [];
  for (let i = 0; i < 3; i++) {
    const n = await runKernelNative(FILE, k.kernel, mtu.map((data) => ({ data })), CFG);
    sw.push(n.records.length / n.wallSeconds);
  }
  rows.push({ name: "sw_msgs_per_s (native Node)", value: median(sw), unit: "msgs/s", note: "same 200,000-message feed, median of 3" });
  const sample = frames("examples/itch/data/sample.pcap");
  const it = runKernelInterp(k.pkg!, k.fn, k.kernel, sample.map((data) => ({ data })), CFG);
  rows.push({ name: "sw_msgs_per_s (interpreter)", value: it.records.length / it.wallSeconds, unit: "msgs/s", note: `bundled sample, ${it.records.length} messages, ${k.fn.nodes.length} IR nodes per step` });
  // Area.
  const v = `${work}/feed.v`;
  writeFileSync(v, hw.verilog!);
  for (const [name, script] of [["generic synth", "synth -top feed"], ["synth_ice40", "synth_ice40 -top feed"]] as const) {
    const t0 = performance.now();
    const out = (await runYosysScript({ "feed.v": readFileSync(v, "utf8") }, script)).stat;
    const cells = /Number of cells:\s+(\d+)/.exec(out)?.[1];
    const lut = [...out.matchAll(/SB_LUT4\s+(\d+)/g)].map((m) => m[1])[0];
    const ffs = [...out.matchAll(/\$?_?S?B?_?DFF\w*\s+(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
    rows.push({ name: `yosys ${name} (feed)`, value: lut ? `${lut} LUT4` : `${cells} cells`, unit: "", note: `${ffs} flip-flops; Yosys ${execFileSync("yosys", ["-V"], { encoding: "utf8" }).trim().split(" ")[1]}, ${((performance.now() - t0) / 1000).toFixed(0)} s` });
  }
  return { title: `feed handler (ITCH 5.0 over MoldUDP64, 64-bit beats)`, rows };
}
