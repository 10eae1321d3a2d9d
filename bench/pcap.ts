/**
 * Benchmark section for the host-side market-data tools: `pcap synth` writing a 1-million-message
 * synthetic feed and `pcap stat` reading it back (software decode of Ethernet/IPv4/UDP/MoldUDP64
 * and ITCH message framing), as messages per second, medians of three cold-process runs.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { median, type Section } from "./table.js";

const MESSAGES = 1_000_000;

function timed(args: string[]): number {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, ["bin/tsfpga.js", ...args], { stdio: "ignore" });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function pcapBench(): Promise<Section> {
  fs.mkdirSync("build", { recursive: true });
  const out = "build/bench-synth-1m.pcap";
  const synth: number[] = [], stat: number[] = [];
  for (let i = 0; i < 3; i++) {
    synth.push(timed(["pcap", "synth", "--messages", String(MESSAGES), "--symbols", "500", "--seed", "1", "-o", out]));
    stat.push(timed(["pcap", "stat", out, "--json"]));
  }
  const bytes = fs.statSync(out).size;
  return {
    title: "market-data host tools (software)",
    rows: [
      { name: "pcap_synth_msgs_per_s", value: MESSAGES / median(synth), unit: "msgs/s", note: `${MESSAGES} messages, ${(bytes / 1e6).toFixed(0)} MB, cold process, median of 3` },
      { name: "pcap_stat_msgs_per_s", value: MESSAGES / median(stat), unit: "msgs/s", note: "full decode to per-type counts and sequence tracking, cold process, median of 3" },
    ],
  };
}
