/**
 * Gate-level check: synthesizes a generated module with Yosys for an FPGA family (`synth_ice40` or
 * `synth_ecp5`, the same scripts as `tsfpga synth` but without the port wrapper), writes the mapped
 * netlist with `write_verilog -noattr`, and returns the files and Verilator options that build the
 * project's C++ harness (sim/verilator.ts) on that netlist plus the vendor cell models that ship
 * with Yosys (`<datdir>/ice40/cells_sim.v`, `<datdir>/ecp5/cells_sim.v`). The netlist keeps the
 * module name and ports, so every RTL test bench runs on it unchanged. Lint warnings are waived
 * only for this build (the netlist and the cell models are not the project's Verilog). Netlists are
 * cached by content (Verilog text, family, Yosys version and script) under build/.cache/gate-level.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { projectRoot } from "./harness/render.js";
import { runYosysScript, systemYosysAvailable, type YosysEngine } from "./yosys.js";
import type { BuildOptions } from "./verilator.js";

export const NETLIST_FAMILIES = ["ice40", "ecp5"] as const;
export type NetlistFamily = (typeof NETLIST_FAMILIES)[number];

/** A gate-level build that cannot be made: unknown family, no Yosys or cell models, synthesis failed. */
export class GateLevelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GateLevelError";
  }
}

/** Cells whose Yosys model is a black box (cells_bb.v): a netlist holding them cannot be simulated. */
const BLACK_BOX_CELLS = ["MULT18X18D", "ALU54B"];

/** Verilator options for the netlist build: the vendor models are not lint-clean, and they use
 * `specify` timing blocks, which the cycle-based harness ignores. */
const NETLIST_WAIVERS = ["-Wno-lint", "-Wno-style", "-Wno-MULTIDRIVEN", "-Wno-TIMESCALEMOD"];

export function parseNetlistFamily(s: string): NetlistFamily {
  const f = s.toLowerCase();
  if ((NETLIST_FAMILIES as readonly string[]).includes(f)) return f as NetlistFamily;
  // A device name from `tsfpga synth` (ice40-hx8k, ecp5-25f) selects its family.
  const fam = NETLIST_FAMILIES.find((x) => f.startsWith(`${x}-`));
  if (fam) return fam;
  throw new GateLevelError(`--netlist must be ice40 or ecp5 (or a device such as ice40-hx8k, ecp5-25f); got '${s}'`);
}

function findYosysShare(): string[] {
  const dirs: string[] = [];
  for (const d of (process.env.PATH ?? "").split(":")) {
    if (d && existsSync(join(d, "yosys"))) dirs.push(resolve(d, "../share/yosys"));
  }
  dirs.push("/usr/share/yosys", "/usr/local/share/yosys", join(projectRoot(), "node_modules/@yowasp/yosys/gen/share"));
  return dirs;
}

/** The folder holding `cells_sim.v` for the family ($TSFPGA_YOSYS_DATDIR/<family> first). */
export function cellModelDir(family: NetlistFamily): string {
  const roots = [process.env.TSFPGA_YOSYS_DATDIR, ...findYosysShare()].filter((d): d is string => !!d);
  for (const r of roots) if (existsSync(join(r, family, "cells_sim.v"))) return join(r, family);
  throw new GateLevelError(
    `no Yosys cell models for ${family} (looked for ${family}/cells_sim.v in ${roots.join(", ")}); install Debian's yosys (scripts/setup.sh hdl) or set TSFPGA_YOSYS_DATDIR`,
  );
}

export interface Netlist {
  family: NetlistFamily;
  module: string;
  /** The netlist file (write_verilog -noattr), in the cache. */
  path: string;
  /** The Yosys synthesis command used. */
  script: string;
  engine: YosysEngine;
  /** Cell type → count in the netlist. */
  cells: Record<string, number>;
  cached: boolean;
  seconds: number;
}

function yosysVersion(engine: YosysEngine): string {
  if (engine === "wasm") return "wasm";
  const r = spawnSync("yosys", ["-V"], { encoding: "utf8" });
  return (r.stdout ?? "").trim();
}

/** Cell instances of a write_verilog netlist, by type. */
export function netlistCells(text: string): Record<string, number> {
  const cells: Record<string, number> = {};
  for (const m of text.matchAll(/^\s{2}(\\?[A-Za-z_$][\w$]*)\s+(?:#\s*\(|[\\A-Za-z_$])/gm)) {
    const t = m[1]!;
    if (["wire", "reg", "input", "output", "inout", "assign", "always", "initial", "module", "endmodule", "parameter", "localparam"].includes(t)) continue;
    cells[t] = (cells[t] ?? 0) + 1;
  }
  return cells;
}

function cacheRoot(): string {
  return process.env.TSFPGA_CACHE_DIR ? join(process.env.TSFPGA_CACHE_DIR, "gate-level") : join(projectRoot(), "build/.cache/gate-level");
}

/**
 * Synthesizes `verilog` (module `module`) for the family and writes the netlist into the cache.
 * `splitnets` splits the internal vector nets into single bits (ports stay as they are): on a
 * vector, a carry chain from bit i to bit i+1 looks to Verilator like a combinational loop
 * (UNOPTFLAT), and frame_sum's iCE40 netlist then computed wrong sums.
 * On ECP5, when `synth_ecp5` maps a multiply to a DSP block (MULT18X18D, a black box in Yosys's
 * models), synthesis is repeated with `-nodsp` so the netlist can be simulated; `script` says so.
 */
export async function synthesizeNetlist(verilog: string, module: string, family: NetlistFamily, engine?: YosysEngine): Promise<Netlist> {
  const t0 = performance.now();
  const use: YosysEngine = engine ?? (systemYosysAvailable() ? "system" : "wasm");
  const version = yosysVersion(use);
  const key = (script: string) =>
    createHash("sha256").update(`${version}\0${script}\0${verilog}`).digest("hex").slice(0, 24);
  const scripts = [`synth_${family} -top ${module}`, ...(family === "ecp5" ? [`synth_ecp5 -nodsp -top ${module}`] : [])];
  for (const script of scripts) {
    const full = `${script}; splitnets; write_verilog -noattr netlist.v`;
    const dir = join(cacheRoot(), key(full));
    const path = join(dir, `${module}.${family}.v`);
    let text: string;
    let cached = true;
    if (existsSync(path)) text = readFileSync(path, "utf8");
    else {
      cached = false;
      const r = await runYosysScript({ "design.v": verilog }, full, use, ["netlist.v"]);
      const out = r.files["netlist.v"];
      if (!r.ok || out === undefined) {
        const err = r.log.split("\n").find((l) => /ERROR/.test(l)) ?? r.log.trim().split("\n").slice(-1)[0] ?? "";
        throw new GateLevelError(`Yosys ${script} of ${module} failed: ${err.trim() || "no netlist written"}`);
      }
      text = out;
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${path}.tmp-${process.pid}`, text);
      renameSync(`${path}.tmp-${process.pid}`, path);
    }
    const cells = netlistCells(text);
    if (BLACK_BOX_CELLS.some((c) => cells[c])) continue; // try the next script (-nodsp)
    return { family, module, path, script, engine: use, cells, cached, seconds: (performance.now() - t0) / 1000 };
  }
  throw new GateLevelError(`the ${family} netlist of ${module} holds cells with no simulation model (${BLACK_BOX_CELLS.join(", ")})`);
}

export interface GateLevelBuild {
  netlist: Netlist;
  /** Verilog files for buildHarness: the netlist, then the cell models. */
  files: string[];
  /** Options for buildHarness: no hdl/ library, the cell-model include folder, lint waivers. */
  options: BuildOptions;
}

/**
 * What buildHarness needs to run the harness on the synthesized netlist of the design in
 * `verilogPath` instead of on its RTL: pass `files` in place of the RTL file and merge `options`.
 */
export async function gateLevelSources(verilogPath: string, module: string, family: NetlistFamily, base: BuildOptions = {}): Promise<GateLevelBuild> {
  const models = cellModelDir(family);
  // Verilator's own -O0 (which tests pass for faster builds) turns off module inlining: every cell
  // would become a C++ class, and a netlist's build takes many times longer. C++ -O0 is kept.
  const flags = (base.extraFlags ?? []).filter((f) => f !== "-O0");
  const netlist = await synthesizeNetlist(readFileSync(verilogPath, "utf8"), module, family);
  return {
    netlist,
    files: [netlist.path, join(models, "cells_sim.v")],
    options: { ...base, libraryDirs: [], extraFlags: [...flags, `-I${models}`, ...(family === "ice40" ? ["-DNO_ICE40_DEFAULT_ASSIGNMENTS"] : []), ...NETLIST_WAIVERS] },
  };
}

