/**
 * Benchmark section for `tsfpga simulate --pcap` at scale: a `pcap synth` feed of 10 million
 * messages (SIM_BENCH_MESSAGES to change it) run through the feed handler natively and in Verilator,
 * each in its own process under /usr/bin/time, reporting peak RSS (memory must stay flat whatever
 * the capture's length) and end-to-end messages per second (the command's wall time), with the
 * parts the command reports beside them. Run alone: `node dist/bench/simulate.js`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printSections, type Row, type Section } from "./table.js";

const FILE = "examples/itch/feed.ts";

export async function simulateBench(): Promise<Section> {
  const messages = Number(process.env.SIM_BENCH_MESSAGES ?? 10_000_000);
  const clock = process.env.SIM_BENCH_CLOCK_MHZ ?? "200";
  mkdirSync("build", { recursive: true });
  const pcap = `build/bench-sim-${messages}.pcap`;
  if (!existsSync(pcap)) execFileSync(process.execPath, ["bin/tsfpga.js", "pcap", "synth", "--messages", String(messages), "--seed", "7", "-o", pcap], { stdio: "ignore" });
  const rows: Row[] = [];
  for (const engine of ["native", "verilator"]) {
    const timeFile = `build/bench-sim-${engine}.time`;
    const r = spawnSync("/usr/bin/time", ["-f", "%M %e", "-o", timeFile, process.execPath, "bin/tsfpga.js", "simulate", FILE, "--pcap", pcap, "--engine", engine, "--clock-mhz", clock, "--json"], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 26 });
    const [kb, wall] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
    rmSync(timeFile, { force: true });
    let s: { records: number; mismatches: number; seconds: Record<string, number | boolean>; latencyCycles: unknown };
    try { s = JSON.parse(r.stdout.toString()); } catch {
      rows.push({ name: `simulate ${engine}`, value: "FAILED", unit: "", note: `exit ${r.status}: ${r.stderr.toString().trim().split("\n").slice(-2).join(" ").slice(0, 200)}; peak RSS ${(kb / 1024).toFixed(0)} MB after ${wall} s` });
      continue;
    }
    rows.push({ name: `simulate_peak_rss (${engine})`, value: kb / 1024, unit: "MB", note: `${messages.toLocaleString("en-US")} messages, ${s.records.toLocaleString("en-US")} records, ${s.mismatches} mismatches` });
    const parts = Object.entries(s.seconds).filter(([k, v]) => typeof v === "number" && k !== "total").map(([k, v]) => `${k} ${(v as number).toFixed(1)} s`).join(", ");
    rows.push({ name: `simulate_msgs_per_s end to end (${engine})`, value: s.records / wall, unit: "msgs/s", note: `${wall.toFixed(0)} s wall; ${parts}${engine === "verilator" ? `; latency ${JSON.stringify(s.latencyCycles)} cycles at ${clock} MHz` : ""}` });
  }
  return { title: `simulate at scale (feed handler, ${messages.toLocaleString("en-US")}-message synthetic feed)`, rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printSections([await simulateBench()]);
