/**
 * Benchmark section for the Verilog backend: `tsfpga compile` time per example (cold process),
 * stages and latency against the clock target for a 64-bit datapath, Verilator throughput for one
 * example (the harness's own rate and the end-to-end rate through `runHarness`, so the harness
 * overhead is visible), and Yosys generic `synth` cell counts per example at 250 MHz.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileTop } from "../compiler/driver.js";
import { generateHardware } from "../compiler/verilog/backend.js";
import { packArgs } from "../compiler/verilog/vectors.js";
import { parseSignature } from "../sim/signature.js";
import { buildHarnessDetailed, runHarness } from "../sim/verilator.js";
import { randomValue, rng } from "./samples.js";
import { runYosysScript } from "../sim/yosys.js";
import { median, type Row, type Section } from "./table.js";

const DIR = "examples/basics";
const YOSYS = execFileSync("yosys", ["-V"], { encoding: "utf8" }).trim().split(" ")[1];

async function yosysCells(vpath: string, top: string): Promise<{ cells: number; ffs: number }> {
  const out = (await runYosysScript({ "design.v": readFileSync(vpath, "utf8") }, `synth -top ${top}`)).stat;
  const cells = Number(/Number of cells:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  const ffs = [...out.matchAll(/\$_S?DFFE?_\w+\s+(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  return { cells, ffs };
}

export async function backendBench(): Promise<Section> {
  const rows: Row[] = [];
  const files = readdirSync(DIR).filter((f) => f.endsWith(".ts")).sort();
  for (const f of files) {
    const top = /^export function (\w+)/m.exec(readFileSync(join(DIR, f), "utf8"))![1];
    const t: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      execFileSync(process.execPath, ["bin/tsfpga.js", "compile", join(DIR, f), "--top", top, "-o", "build/bench-compile"], { stdio: "ignore" });
      t.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    rows.push({ name: `compile_ms ${f} --top ${top}`, value: median(t), unit: "ms", note: "cold process, 250 MHz, median of 3" });
  }
  const notional = compileTop(join(DIR, "prices.ts"), "notional");
  for (const mhz of [50, 100, 150, 200, 250, 300, 350, 400]) {
    const hw = generateHardware(notional.fn!, { clockMhz: mhz, source: "prices.ts", sourceHash: "" });
    rows.push({ name: `stages notional (u32*u32->u64) @${mhz} MHz`, value: hw.schedule?.stages ?? "TSF4001", unit: "stages", note: hw.schedule ? `latency ${hw.schedule.stages} cycles = ${(hw.schedule.stages * 1000 / mhz).toFixed(1)} ns` : "clock not reachable" });
  }
  // Verilator throughput on minPrice8 at 250 MHz, 200k random transactions, no stalls.
  const mp = compileTop(join(DIR, "prices.ts"), "minPrice8");
  const hw = generateHardware(mp.fn!, { clockMhz: 250, source: "prices.ts", sourceHash: "" });
  mkdirSync("build/bench-hw", { recursive: true });
  writeFileSync("build/bench-hw/minPrice8.v", hw.verilog!);
  const b = await buildHarnessDetailed(parseSignature(hw.signature, "minPrice8"), ["build/bench-hw/minPrice8.v"], {});
  const next = rng(5);
  const N = 200_000;
  const inputs = Array.from({ length: N }, () => packArgs(mp.fn!, mp.fn!.sig!.params.map((p) => randomValue(p.type, next))));
  const runs = [] as { harness: number; e2e: number; cps: number }[];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await runHarness(b.exe, inputs, { bubbles: 0, backpressure: 0, seed: i + 1 });
    const e2e = (performance.now() - t0) / 1000;
    runs.push({ harness: r.outputs.length / r.wallSeconds, e2e: N / e2e, cps: r.cyclesPerSecond });
  }
  rows.push({ name: "verilator_tx_per_s minPrice8 (harness only)", value: median(runs.map((r) => r.harness)), unit: "tx/s", note: `${N} transactions, -O3, ${Math.round(median(runs.map((r) => r.cps))).toLocaleString("en-US")} cycles/s, median of 3` });
  rows.push({ name: "verilator_tx_per_s minPrice8 (end to end)", value: median(runs.map((r) => r.e2e)), unit: "tx/s", note: "including writing inputs and parsing outputs in Node: the harness overhead" });
  for (const f of files) {
    const text = readFileSync(join(DIR, f), "utf8");
    for (const m of text.matchAll(/^export function (\w+)/gm)) {
      const c = compileTop(join(DIR, f), m[1]);
      const h = generateHardware(c.fn!, { clockMhz: 250, source: f, sourceHash: "" });
      const v = `build/bench-hw/${m[1]}.v`;
      writeFileSync(v, h.verilog!);
      const y = await yosysCells(v, h.module!);
      rows.push({ name: `yosys_cells ${m[1]}`, value: y.cells, unit: "cells", note: `${y.ffs} flip-flops; Yosys ${YOSYS} generic synth, 250 MHz schedule (${h.schedule!.stages} stages)` });
    }
  }
  return { title: "Verilog backend", rows };
}
