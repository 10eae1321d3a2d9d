/**
 * Benchmark section for place and route (sim/pnr/): post-route fmax (median of 3 seeds), LUT4/FF,
 * latency in cycles and ns at the achieved clock, and predicted/achieved fmax, on iCE40 HX8K and
 * ECP5-25F, for the example kernels; the feed handler (examples/itch/feed.ts) too when
 * TSFPGA_PNR_FEED=1 (about 45 minutes on ECP5: `make bench-pnr`). Each design is compiled at
 * 250 MHz, or at the fastest clock the delay model allows when 250 MHz is refused (TSF4001, TSF4003).
 * Run alone: `node dist/bench/synth.js` prints only this section.
 */
import { compileUnit } from "../compiler/driver.js";
import { generateHardware, generateKernelHardware, type BackendResult } from "../compiler/verilog/backend.js";
import { findNextpnr, DEVICES } from "../sim/pnr/devices.js";
import { placeAndRouteSeeds, PnrError } from "../sim/pnr/place-route.js";
import { printSections, type Row, type Section } from "./table.js";

const TARGETS = ["ice40-hx8k", "ecp5-25f"];
const SEEDS = [1, 2, 3];

function compileAt(file: string, clockMhz: number): { hw: BackendResult; clockMhz: number } {
  const u = compileUnit(file, undefined);
  if (!u.fn) throw new Error(`bench: ${file} does not compile`);
  const gen = (mhz: number) => (u.kernel ? generateKernelHardware(u.fn!, u.kernel, { clockMhz: mhz, source: file, sourceHash: "" }) : generateHardware(u.fn!, { clockMhz: mhz, source: file, sourceHash: "" }));
  const hw = gen(clockMhz);
  if (!hw.diagnostics.length) return { hw, clockMhz };
  // TSF4001 / TSF4003 name the fastest clock the delay model allows.
  const fastest = Math.floor(Number(/fastest clock[a-z ]* is (\d+(?:\.\d+)?) MHz/.exec(hw.diagnostics[0].message)?.[1]));
  if (!fastest) throw new Error(`bench: ${file} at ${clockMhz} MHz: ${hw.diagnostics[0].message}`);
  return { hw: gen(fastest), clockMhz: fastest };
}

export async function synthBench(): Promise<Section> {
  const rows: Row[] = [];
  const designs = ["examples/kernels/frame_sum.ts", ...(process.env.TSFPGA_PNR_FEED === "1" ? ["examples/itch/feed.ts"] : [])];
  for (const file of designs) {
    const { hw, clockMhz } = compileAt(file, 250);
    const top = hw.report!.top;
    const rep = hw.report!;
    const predicted = 1000 / (Math.max(...rep.perStage.map((s) => s.estimatedDelayNs)) + 1000 / rep.clockMhz - rep.budgetNs);
    for (const target of TARGETS) {
      const name = `${top} ${target}`;
      if (!findNextpnr(DEVICES[target].family)) { rows.push({ name, value: "skipped", unit: "", note: `no nextpnr for ${DEVICES[target].family}: make setup` }); continue; }
      try {
        const t0 = performance.now();
        const r = await placeAndRouteSeeds(hw.verilog!, hw.module!, target, SEEDS, { freqMhz: clockMhz, names: hw.names!.entries, ports: hw.signature!.ports, clock: hw.signature!.clock, progress: (l) => process.stderr.write(`bench: ${name}: ${l}\n`) });
        const secs = (performance.now() - t0) / 1000;
        const cycles = hw.report!.latencyCycles;
        rows.push({ name: `fmax ${name}`, value: r.fmaxMhz, unit: "MHz", note: `median of seeds ${r.seeds.map((s) => s.fmaxMhz.toFixed(1)).join(", ")}; compiled for ${clockMhz} MHz (${hw.report!.stages} stage(s)), predicted ${predicted.toFixed(0)} MHz, predicted/achieved ${(predicted / r.fmaxMhz).toFixed(2)}` });
        rows.push({ name: `area ${name}`, value: `${r.luts.toLocaleString("en-US")} LUT4 / ${r.ffs.toLocaleString("en-US")} FF`, unit: "", note: `design only; with the port wrapper ${r.total.luts.toLocaleString("en-US")} / ${r.total.ffs.toLocaleString("en-US")}; ${r.brams} BRAM, ${r.dsps} DSP` });
        rows.push({ name: `latency ${name}`, value: cycles * 1000 / r.fmaxMhz, unit: "ns", note: `${cycles} cycle(s) at ${r.fmaxMhz.toFixed(1)} MHz` });
        rows.push({ name: `critical path ${name}`, value: r.criticalPath.delayNs, unit: "ns", note: `${r.criticalPath.logicNs.toFixed(2)} logic, ${r.criticalPath.routingNs.toFixed(2)} routing; TypeScript ${r.criticalPath.sourceLines.join(" → ") || "none"}; ${secs.toFixed(0)} s` });
      } catch (e) {
        if (!(e instanceof PnrError)) throw e;
        rows.push({ name: `fmax ${name}`, value: e.kind === "nofit" ? "does not fit" : "failed", unit: "", note: e.message });
      }
    }
  }
  return { title: "place and route (tsfpga synth flow; 3 seeds, median)", rows };
}

if (process.argv[1] && /bench[\\/]synth\.[jt]s$/.test(process.argv[1])) printSections([await synthBench()]);
