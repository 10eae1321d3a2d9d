/**
 * `make demo`: the main job on the bundled examples. At this stage it checks every basics example,
 * lowers and optimises each exported function, and evaluates it on sample arguments natively in
 * Node and in the interpreter, printing a table that shows both engines agree; then runs the feed
 * handler on the bundled capture in every engine, and the feed → book pipeline on it (demo-book.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { checkFiles, compileTop } from "../compiler/driver.js";
import { renderDiagnostics } from "../compiler/diagnostics/diagnostic.js";
import { jsToJson, valueToJs, valueToJson } from "../compiler/interp/convert.js";
import { interpret } from "../compiler/interp/interp.js";
import { nativeFunction } from "../sim/native.js";
import { sampleArgs } from "./samples.js";
import { demoBook } from "./demo-book.js";

const dir = "examples/basics";
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => path.join(dir, f)).sort();
const rows: string[][] = [["file", "function", "IR nodes", "args", "native", "interp", ""]];
let failures = 0;
for (const file of files) {
  const { diagnostics } = checkFiles([file]);
  if (diagnostics.length) { process.stderr.write(renderDiagnostics(diagnostics)); failures++; continue; }
  const src = fs.readFileSync(file, "utf8");
  const names = [...src.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
  for (const name of names) {
    const r = compileTop(file, name);
    if (!r.fn || !r.pkg) { process.stderr.write(renderDiagnostics(r.diagnostics)); failures++; continue; }
    const sig = r.fn.sig!;
    const args = sampleArgs(sig.params.map((p) => p.type), 7);
    const interp = JSON.stringify(valueToJson(interpret(r.pkg, r.fn, args), sig.ret));
    const f = await nativeFunction(file, name);
    const native = JSON.stringify(jsToJson(f(...sig.params.map((p, i) => valueToJs(args[i], p.type)))));
    const ok = interp === native;
    if (!ok) failures++;
    const shown = JSON.stringify(sig.params.map((p, i) => jsToJson(valueToJs(args[i], p.type))));
    const clip = (s: string) => (s.length > 34 ? `${s.slice(0, 31)}...` : s);
    rows.push([path.basename(file), name, String(r.fn.nodes.length), clip(shown), clip(native), clip(interp), ok ? "ok" : "DIFFER"]);
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const [i, r] of rows.entries()) {
  process.stdout.write(r.map((x, c) => x.padEnd(widths[c])).join("  ") + "\n");
  if (i === 0) process.stdout.write(widths.map((w) => "-".repeat(w)).join("  ") + "\n");
}
process.stdout.write(`\n${rows.length - 1} functions from ${files.length} files: ${failures === 0 ? "native and interpreter agree on every one" : `${failures} problem(s)`}\n`);
// ---- the feed handler on the bundled capture ------------------------------------------------
const FEED = "examples/itch/feed.ts";
const CAPTURE = "examples/itch/data/sample.pcap";
process.stdout.write(`\n== ${FEED}: the MoldUDP64/ITCH 5.0 feed handler, on ${CAPTURE}\n`);
const tsfpga = (args: string[]) => spawnSync(process.execPath, ["bin/tsfpga.js", ...args], { encoding: "utf8" });
let clock = 250;
const first = tsfpga(["compile", FEED, "--clock-mhz", String(clock), "-o", "build/demo"]);
if (first.status !== 0) {
  const m = /fastest clock for this kernel is (\d+) MHz/.exec(first.stderr);
  process.stdout.write(`compile at 250 MHz: ${(/error (TSF\d+)/.exec(first.stderr) ?? ["", "error"])[1]}: ${m ? `the state update does not fit one 4 ns cycle; fastest clock ${m[1]} MHz` : first.stderr.trim()}\n`);
  if (!m) failures++;
  clock = m ? Number(m[1]) : clock;
}
const compiled = tsfpga(["compile", FEED, "--clock-mhz", String(clock), "-o", "build/demo"]);
process.stdout.write(compiled.stdout.split("\n").filter((l) => !l.startsWith("  stage")).join("\n"));
if (compiled.status !== 0) { process.stderr.write(compiled.stderr); failures++; }
else {
  const sim = tsfpga(["simulate", FEED, "--pcap", CAPTURE, "--engine", "all", "--clock-mhz", String(clock)]);
  process.stdout.write(sim.stdout);
  if (sim.status !== 0) { process.stderr.write(sim.stderr); failures++; }
}
// ---- the order book after the feed handler, on the same capture -----------------------------
if (compiled.status === 0) failures += demoBook(CAPTURE, clock, "build/demo");
process.stdout.write(failures === 0 ? "\ndemo: ok\n" : `\ndemo: ${failures} problem(s)\n`);
process.exitCode = failures ? 1 : 0;
