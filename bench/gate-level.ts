/**
 * Benchmark section for the gate-level check (sim/gate-level.ts, docs/gate-level.md): the example
 * kernel frame_sum and the feed handler (examples/itch/feed.ts) run on the bundled capture
 * examples/itch/data/sample.pcap through native Node, the interpreter and the Yosys netlist after
 * synth_ice40 and after synth_ecp5 (`tsfpga simulate --pcap … --netlist <family> --engine all`).
 * Reports, per design and family, the records compared, the mismatches (0 = the netlist equals
 * the software engines record for record) and the wall time including synthesis and the C++
 * build. The feed handler's netlist builds take tens of minutes, so it runs only with
 * TSFPGA_GATE_FEED=1 (`make bench-gate-level`). Run alone: `node dist/bench/gate-level.js`.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { printSections, type Row, type Section } from "./table.js";

const PCAP = "examples/itch/data/sample.pcap";
const FAMILIES = ["ice40", "ecp5"] as const;

export async function gateLevelBench(): Promise<Section> {
  const rows: Row[] = [];
  const designs = ["examples/kernels/frame_sum.ts", ...(process.env.TSFPGA_GATE_FEED === "1" ? ["examples/itch/feed.ts"] : [])];
  for (const file of designs) {
    const name = file.replace(/^.*\//, "").replace(/\.ts$/, "");
    for (const family of FAMILIES) {
      const t0 = performance.now();
      const r = spawnSync("node", ["bin/tsfpga.js", "simulate", file, "--pcap", PCAP, "--netlist", family, "--engine", "all", "--json"], { encoding: "utf8", maxBuffer: 1 << 28 });
      const seconds = (performance.now() - t0) / 1000;
      let j: { records?: number; mismatches?: number; seconds?: Record<string, number | boolean> } = {};
      try { j = JSON.parse(r.stdout); } catch { /* reported below */ }
      if (j.records === undefined) {
        rows.push({ name: `${name} ${family} netlist`, value: "failed", unit: "", note: (r.stderr || r.stdout).trim().split("\n")[0] ?? `exit ${r.status}` });
        continue;
      }
      rows.push({ name: `${name} ${family} netlist: mismatches`, value: j.mismatches ?? -1, unit: "", note: `${j.records} records vs native and interpreter, ${PCAP}` });
      rows.push({ name: `${name} ${family} netlist: wall time`, value: Math.round(seconds * 10) / 10, unit: "s", note: `Yosys and Verilator build ${j.seconds?.verilatorBuild ?? "?"} s${j.seconds?.verilatorCached ? " (cached)" : ""}` });
    }
  }
  return { title: "Gate-level check (netlist = native = interpreter on sample.pcap)", rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printSections([await gateLevelBench()]);
