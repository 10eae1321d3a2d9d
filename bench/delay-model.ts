/**
 * Benchmark section for the calibrated delay models: for a sample of the example functions and
 * the frame_sum kernel, on iCE40 HX8K and ECP5-25F, the fmax the schedule predicts with the
 * target's model (compile --target: slowest stage + register margin) against the post-route fmax
 * (tsfpga synth flow, median of the seeds), and the error. Each design is compiled at the target's
 * reference clock (125 MHz iCE40, 200 MHz ECP5), or slower in steps of 10% until the model accepts it.
 * The two targets are routed in parallel. Run alone: `node dist/bench/delay-model.js [--seeds N]
 * [--only name,…]` prints the rows as a Markdown table (the one in docs/delay-model.md); both, and
 * `make bench`, use seeds 1–3 (the post-route fmax is their median). A row also says whether the
 * post-route fmax meets the clock the design was compiled for (the model's promise).
 */
import { compileUnit } from "../compiler/driver.js";
import { withDelayModel } from "../compiler/schedule/delay-model.js";
import { loadDelayModel } from "../sim/pnr/models.js";
import { generateHardware, generateKernelHardware, type BackendResult } from "../compiler/verilog/backend.js";
import { DEVICES, findNextpnr } from "../sim/pnr/devices.js";
import { placeAndRouteSeeds, PnrError } from "../sim/pnr/place-route.js";
import type { Row, Section } from "./table.js";

export const DM_TARGETS: Record<string, number> = { "ice40-hx8k": 125, "ecp5-25f": 200 };

/** The sample: basics of every kind (arithmetic, compares, trees, muxes, multiplies, CRC/hash) and a kernel. */
export const DM_DESIGNS: { file: string; top: string }[] = [
  ...["midPrice", "isCrossedOrLocked", "notional", "minPrice8", "satAddU16"].map((top) => ({ file: "examples/basics/prices.ts", top })),
  ...["popcount32", "priorityEncode16", "hexDigitOf"].map((top) => ({ file: "examples/basics/bitops.ts", top })),
  ...["ipv4HeaderChecksum", "crc32Of12", "fnv1aOf16"].map((top) => ({ file: "examples/basics/checksums.ts", top })),
  ...["be64", "parseAddOrder"].map((top) => ({ file: "examples/basics/itch_fields.ts", top })),
  { file: "examples/kernels/frame_sum.ts", top: "frameSum" },
];

export interface DmRow { design: string; target: string; clockMhz: number; stages: number; predictedMhz: number; achievedMhz: number; errorPct: number; luts: number; path: string; seeds: number[] }

function compileWith(file: string, top: string, target: string): { hw: BackendResult; clockMhz: number } {
  const u = compileUnit(file, top);
  if (!u.fn) throw new Error(`bench: ${file} --top ${top} does not compile`);
  const model = loadDelayModel(target);
  let mhz = DM_TARGETS[target];
  for (let i = 0; i < 24; i++, mhz = Math.round(mhz * 0.9)) {
    const hw = withDelayModel(model, () => (u.kernel ? generateKernelHardware(u.fn!, u.kernel, { clockMhz: mhz, source: file, sourceHash: "" }) : generateHardware(u.fn!, { clockMhz: mhz, source: file, sourceHash: "" })));
    if (!hw.diagnostics.length) return { hw, clockMhz: mhz };
  }
  throw new Error(`bench: ${top} does not compile for ${target} at any clock tried`);
}

export async function measureOne(file: string, top: string, target: string, seeds: number[]): Promise<DmRow> {
  const { hw, clockMhz } = compileWith(file, top, target);
  const rep = hw.report!;
  const r = await placeAndRouteSeeds(hw.verilog!, hw.module!, target, seeds, { freqMhz: clockMhz, names: hw.names!.entries, ports: hw.signature!.ports, clock: hw.signature!.clock });
  const errorPct = Math.round(((rep.predictedFmaxMhz - r.fmaxMhz) / r.fmaxMhz) * 1000) / 10;
  return { design: top, target, clockMhz, stages: rep.stages, predictedMhz: rep.predictedFmaxMhz, achievedMhz: r.fmaxMhz, errorPct, luts: r.luts, path: r.criticalPath.sourceLines.join(" → ") || `${r.criticalPath.from} → ${r.criticalPath.to}`, seeds: r.seeds.map((s) => s.fmaxMhz) };
}

export async function delayModelRows(seeds: number[], progress?: (l: string) => void, only?: string[]): Promise<(DmRow | { design: string; target: string; error: string })[]> {
  const per = await Promise.all(Object.keys(DM_TARGETS).map(async (target) => {
    const rows: (DmRow | { design: string; target: string; error: string })[] = [];
    for (const d of DM_DESIGNS.filter((x) => !only || only.includes(x.top))) {
      if (!findNextpnr(DEVICES[target].family)) { rows.push({ design: d.top, target, error: "no nextpnr (make setup)" }); continue; }
      try {
        const r = await measureOne(d.file, d.top, target, seeds);
        progress?.(`${d.top} ${target}: predicted ${r.predictedMhz} MHz, achieved ${r.achievedMhz} MHz (${r.errorPct}%)`);
        rows.push(r);
      } catch (e) {
        if (!(e instanceof PnrError)) throw e;
        rows.push({ design: d.top, target, error: e.message });
      }
    }
    return rows;
  }));
  return per.flat();
}

export function markdownTable(rows: Awaited<ReturnType<typeof delayModelRows>>): string {
  const lines = ["| design | target | compiled for | stages | predicted fmax | post-route fmax (median; seeds 1, 2, 3) | error | compiled clock met |", "| --- | --- | --- | --- | --- | --- | --- | --- |"];
  for (const r of rows) {
    if ("error" in r) lines.push(`| ${r.design} | ${r.target} | | | | ${r.error} | | |`);
    else lines.push(`| ${r.design} | ${r.target} | ${r.clockMhz} MHz | ${r.stages} | ${r.predictedMhz.toFixed(1)} MHz | ${r.achievedMhz.toFixed(1)} MHz (${r.seeds.map((x) => x.toFixed(1)).join(", ")}) | ${r.errorPct > 0 ? "+" : ""}${r.errorPct.toFixed(1)}%${Math.abs(r.errorPct) > 15 ? " **(> 15%)**" : ""} | ${r.achievedMhz >= r.clockMhz ? "yes" : "**no**"} |`);
  }
  return lines.join("\n") + "\n";
}

export async function delayModelBench(seeds = [1, 2, 3]): Promise<Section> {
  const rows: Row[] = [];
  for (const r of await delayModelRows(seeds, (l) => process.stderr.write(`bench: delay model: ${l}\n`))) {
    if ("error" in r) rows.push({ name: `${r.design} ${r.target}`, value: "failed", unit: "", note: r.error });
    else rows.push({ name: `${r.design} ${r.target}`, value: r.errorPct, unit: "% error", note: `predicted ${r.predictedMhz.toFixed(1)} MHz, post-route ${r.achievedMhz.toFixed(1)} MHz (compiled for ${r.clockMhz} MHz: ${r.achievedMhz >= r.clockMhz ? "met" : "MISSED"}) (seeds ${r.seeds.join(", ")}); compiled for ${r.clockMhz} MHz, ${r.stages} stage(s); critical path ${r.path}` });
  }
  return { title: "delay model: predicted vs post-route fmax (compile --target model; nextpnr)", rows };
}

if (process.argv[1] && /bench[\\/]delay-model\.[jt]s$/.test(process.argv[1])) {
  const i = process.argv.indexOf("--seeds");
  const n = i > 0 ? Number(process.argv[i + 1]) : 3;
  const j = process.argv.indexOf("--only");
  const only = j > 0 ? process.argv[j + 1].split(",") : undefined;
  const rows = await delayModelRows(Array.from({ length: n }, (_, k) => k + 1), (l) => process.stderr.write(`${l}\n`), only);
  process.stdout.write(markdownTable(rows));
}
