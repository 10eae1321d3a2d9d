/**
 * What the demanded-bits pass changes, per design: stage count at 250 MHz and the longest
 * combinational path (both with the generic delay model) and Yosys LUT4 counts (synth_ecp5 and synth_ice40 on the design in the `tsfpga synth` port
 * wrapper, the wrapper's own LUTs subtracted), compiled with the default pipeline and with the same
 * pipeline minus demanded-bits. A design whose Verilog is the same both ways is synthesized once.
 * Not part of `make bench` (the feed handler's synthesis takes minutes):
 * `node dist/bench/demanded-bits.js [--feed] [--only name,name]` prints a Markdown table
 * (the one in docs/demanded-bits.md).
 */
import { compileUnit } from "../compiler/driver.js";
import { generateHardware, generateKernelHardware, type BackendResult } from "../compiler/verilog/backend.js";
import { countCells, DEVICES, parseStat } from "../sim/pnr/devices.js";
import { buildWrapper } from "../sim/pnr/wrapper.js";
import { runYosysScript } from "../sim/yosys.js";
import { readFileSync, readdirSync } from "node:fs";

const TARGETS = ["ecp5-25f", "ice40-hx8k"];

function compileWith(file: string, top: string | undefined, skip: string[], clockMhz = 250): BackendResult {
  const u = compileUnit(file, top, { skip });
  if (!u.fn) throw new Error(`${file} ${top ?? ""} does not compile`);
  const o = { clockMhz, source: file, sourceHash: "" };
  return u.kernel ? generateKernelHardware(u.fn, u.kernel, o) : generateHardware(u.fn, o);
}

/** The longest combinational path the generic model charges: the slowest stage at 10 MHz (ns). */
function pathNs(file: string, top: string | undefined, skip: string[]): string {
  const hw = compileWith(file, top, skip, 10);
  return hw.report ? String(Math.max(...hw.report.perStage.map((s) => s.estimatedDelayNs))) : "?";
}

/** The design's LUT4 count, with its DSP count when it uses any ("890 + 32 DSP"). */
async function luts(hw: BackendResult, target: string): Promise<string> {
  const wrapper = buildWrapper(hw.verilog!, hw.module!, { ports: hw.signature!.ports, clock: hw.signature!.clock });
  const d = DEVICES[target];
  const y = await runYosysScript({ [`${hw.module}.v`]: hw.verilog!, "pnr_wrapper.v": wrapper.verilog }, `${d.synth} -top ${wrapper.top}`);
  if (!y.ok) throw new Error(`yosys ${d.synth} failed on ${hw.module}`);
  const c = countCells(d.family, parseStat(y.stat));
  return `${c.luts - wrapper.luts}${c.dsps ? ` + ${c.dsps} DSP` : ""}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : undefined;
  const designs: { file: string; top?: string; name: string }[] = [];
  for (const f of readdirSync("examples/basics").filter((x) => x.endsWith(".ts")).sort()) {
    const file = `examples/basics/${f}`;
    for (const m of readFileSync(file, "utf8").matchAll(/^export function (\w+)/gm)) designs.push({ file, top: m[1], name: m[1] });
  }
  designs.push({ file: "examples/kernels/frame_sum.ts", name: "frameSum (kernel)" });
  if (args.includes("--feed")) designs.push({ file: "examples/itch/feed.ts", name: "feed handler (kernel)" });
  console.log("| design | stages at 250 MHz | longest path, generic model (ns) | ECP5-25F LUT4 | iCE40 HX8K LUT4 |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const d of designs) {
    if (only && !only.includes(d.top ?? d.name)) continue;
    const before = compileWith(d.file, d.top, ["demanded-bits"]);
    const after = compileWith(d.file, d.top, []);
    const st = (h: BackendResult) => (h.diagnostics.length ? h.diagnostics[0].code : String(h.schedule!.stages));
    const path = `${pathNs(d.file, d.top, ["demanded-bits"])} → ${pathNs(d.file, d.top, [])}`;
    if (before.diagnostics.length || after.diagnostics.length) { console.log(`| ${d.name} | ${st(before)} → ${st(after)} | ${path} | | |`); continue; }
    const same = before.verilog === after.verilog;
    const cells: string[] = [];
    for (const t of TARGETS) {
      const a = await luts(before, t);
      cells.push(same ? `${a} (same Verilog)` : `${a} → ${await luts(after, t)}`);
    }
    console.log(`| ${d.name} | ${st(before)} → ${st(after)} | ${path} | ${cells.join(" | ")} |`);
  }
}

main().catch((e) => { console.error(e instanceof Error ? e.message : String(e)); process.exit(1); });
