/**
 * Benchmark section for the compiler core: cold-process time of `tsfpga check` and `tsfpga ir`
 * per basics example (median of several runs), and evaluations per second of three example
 * functions in the interpreter and natively in Node, with the interpreter/native ratio measured
 * in the same run.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { compileTop } from "../compiler/driver.js";
import { valueToJs } from "../compiler/interp/convert.js";
import { compileInterpreter } from "../compiler/interp/interp.js";
import { nativeFunction } from "../sim/native.js";
import { sampleArgs } from "./samples.js";
import { median, type Section } from "./table.js";

const RUNS = 5;

function coldMs(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, ["bin/tsfpga.js", ...args], { stdio: "ignore" });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

function perSecond(f: () => void, minMs = 300): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) { for (let i = 0; i < 100; i++) f(); n += 100; t = performance.now(); }
  return (n / (t - t0)) * 1000;
}

export async function coreBench(): Promise<Section> {
  const rows: Section["rows"] = [];
  const dir = "examples/basics";
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".ts")).sort()) {
    const file = path.join(dir, f);
    const top = /^export function (\w+)/m.exec(fs.readFileSync(file, "utf8"))![1];
    rows.push({ name: `check_ms ${f}`, value: coldMs(["check", file]), unit: "ms", note: `cold process, median of ${RUNS}` });
    rows.push({ name: `ir_ms ${f} --top ${top}`, value: coldMs(["ir", file, "--top", top]), unit: "ms", note: `cold process, median of ${RUNS}` });
  }
  for (const [file, name] of [["examples/basics/checksums.ts", "crc32Step"], ["examples/basics/itch_fields.ts", "parseAddOrder"], ["examples/basics/prices.ts", "minPrice8"]]) {
    const r = compileTop(file, name);
    if (!r.fn || !r.pkg) throw new Error(`bench: cannot compile ${name}`);
    const sig = r.fn.sig!;
    const args = sampleArgs(sig.params.map((p) => p.type), 3);
    const run = compileInterpreter(r.pkg, r.fn);
    const nat = await nativeFunction(file, name);
    const jsArgs = sig.params.map((p, i) => valueToJs(args[i], p.type));
    const interps: number[] = [], natives: number[] = [];
    for (let k = 0; k < 3; k++) { interps.push(perSecond(() => run(args))); natives.push(perSecond(() => nat(...jsArgs))); }
    const iv = median(interps), nv = median(natives);
    rows.push({ name: `interp_evals_per_s ${name}`, value: iv, unit: "evals/s", note: `${r.fn.nodes.length} IR nodes, median of 3` });
    rows.push({ name: `native_evals_per_s ${name}`, value: nv, unit: "evals/s", note: `interp/native = ${(iv / nv).toFixed(4)}` });
  }
  return { title: "compiler core", rows };
}
