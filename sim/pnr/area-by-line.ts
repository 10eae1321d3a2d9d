/**
 * Area by TypeScript line: splits the LUT4s and flip-flops of a synthesized netlist (Yosys JSON,
 * after synth_ecp5 / synth_ice40, or the generic 4-LUT flow of place-route.ts) among the TypeScript lines that produced them. Yosys' LUT cells
 * carry only the techmap library's `src` attribute, but it names every mapped net after the
 * nearest named net of the design with an upper-case suffix (`sel_74529_LUT4_Z_32_D`,
 * `state_q_3_TRELLIS_FF_Q_7`), and the backend names every wire and register after the op that
 * computes it (`<top>.names.json`, compiler/verilog/source-map.ts). So each cell is charged to the
 * emitted name its output net starts with (the longest that matches, as critical-path.ts does),
 * and through the name table to that op's `file.ts:line`. Cells whose output is a control signal
 * (handshake, output skid buffer, state register) go to that role; cells of the port wrapper
 * (outside the design instance) are left out; the rest is "unattributed". LUT4 counts a CCU2C carry
 * cell as 2 LUT4 and a TRELLIS_DPR16X4 as 2, as devices.ts does.
 */
import type { NameEntry } from "../../compiler/verilog/source-map.js";
import type { Family } from "./devices.js";

export interface AreaLine {
  /** `file.ts:line`, or `control: <role>` for the fixed control signals, or `unattributed`. */
  source: string;
  luts: number;
  ffs: number;
}

export interface AreaByLine {
  /** Per TypeScript line (then control roles, then unattributed), largest LUT4 count first. */
  lines: AreaLine[];
  /** Sums over `lines`: the design's own cells (the wrapper's left out). */
  luts: number;
  ffs: number;
  /** Of those, the part charged to TypeScript lines. */
  attributedLuts: number;
  attributedFfs: number;
}

interface Cell { type: string; connections: Record<string, (number | string)[]> }
interface Module { cells: Record<string, Cell>; netnames: Record<string, { bits: (number | string)[]; hide_name?: number }> }

/** Output pin, LUT4-equivalent weight and flip-flop flag of each counted cell type. */
function cellKind(family: Family | "generic", type: string): { pin: string; luts: number; ffs: number } | undefined {
  if (family === "generic") {
    if (type === "$lut") return { pin: "Y", luts: 1, ffs: 0 };
    if (GENERIC_FF.test(type)) return { pin: "Q", luts: 0, ffs: 1 };
    return undefined;
  }
  if (family === "ice40") {
    if (type === "SB_LUT4") return { pin: "O", luts: 1, ffs: 0 };
    if (/^SB_DFF/.test(type)) return { pin: "Q", luts: 0, ffs: 1 };
    return undefined;
  }
  if (type === "LUT4") return { pin: "Z", luts: 1, ffs: 0 };
  if (type === "CCU2C") return { pin: "S0", luts: 2, ffs: 0 };
  if (type === "TRELLIS_DPR16X4") return { pin: "DO", luts: 2, ffs: 0 };
  if (type === "TRELLIS_FF" || /^FD1/.test(type)) return { pin: "Q", luts: 0, ffs: 1 };
  return undefined;
}

/** Yosys' generic single-bit flip-flop cells (`$_DFF_P_`, `$_SDFFE_PP0P_`, `$_DFFSR_PNN_`, …). */
export const GENERIC_FF = /^\$_(S?DFF|ALDFF|DFFSR|SDFFC)/;

const base = (f: string) => f.split("/").pop() ?? f;
/** Signals of the port wrapper (sim/pnr/wrapper.ts). */
const WRAPPER = /^(in_q|out_q|fold\d+_q)(\[\d+\])?$/;
/** IR ops that only rename or regroup bits: no logic of their own. */
const WIRING = new Set(["param", "field", "slice", "record", "array", "concat", "zext", "setfield"]);

/**
 * Charge the cells of `netlistJson`'s top module (`top`, else the module with the most cells) to
 * TypeScript lines. `instance` is the design's instance name inside a wrapper (its nets are
 * `<instance>.<name>`); pass "" for a netlist of the design alone.
 */
export function areaByLine(netlistJson: string, names: readonly NameEntry[], family: Family | "generic", o: { top?: string; instance?: string } = {}): AreaByLine {
  const mods = (JSON.parse(netlistJson) as { modules: Record<string, Module> }).modules;
  const top = o.top && mods[o.top] ? mods[o.top] : Object.values(mods).sort((a, b) => Object.keys(b.cells).length - Object.keys(a.cells).length)[0];
  const prefix = o.instance ? `${o.instance}.` : "";
  const bitNames = new Map<number | string, string[]>();
  for (const [n, v] of Object.entries(top.netnames)) for (const b of v.bits) {
    const l = bitNames.get(b);
    if (l) l.push(n); else bitNames.set(b, [n]);
  }
  const byLength = [...names].sort((a, b) => b.name.length - a.name.length);
  const exact = new Map(names.map((e) => [e.name, e]));
  const lookup = (s: string): NameEntry | undefined =>
    exact.get(s) ?? byLength.find((e) => s.startsWith(e.name) && /^_[A-Z]/.test(s.slice(e.name.length)));
  const stem = (n: string) => n.replace(/\[\d+\]$/, "");
  /**
   * Where a cell goes: a line, a control role, "unattributed", or undefined for the wrapper. A net
   * has several names when wires alias it (`s = state_q`, `field_7 = s[31:0]`): a flip-flop goes to
   * the register among them, a LUT to the op that computes (not one that only renames bits).
   */
  const placeOf = (c: Cell, pin: string, ff: boolean): string | undefined => {
    const bit = c.connections[pin]?.[0];
    const ns = bit === undefined ? [] : bitNames.get(bit) ?? [];
    let inDesign = !prefix, best: NameEntry | undefined, bestScore = -1;
    // A register of the wrapper (its input chain drives the design's inputs, so its nets also carry
    // the design's port names) is the wrapper's.
    if (prefix && ns.some((n) => !n.startsWith(prefix) && WRAPPER.test(n))) return undefined;
    for (const n of ns) {
      if (prefix && !n.startsWith(prefix)) continue;
      inDesign = true;
      const e = lookup(stem(n.slice(prefix.length)));
      if (!e || !((e.file && e.line) || e.role)) continue;
      const isReg = e.kind === "reg" || (e.kind === "control" && /regist|flop|buffer|valid/.test(e.role ?? ""));
      const score = ff ? (isReg ? 2 : 1) : e.kind === "control" ? 0 : WIRING.has(e.op ?? "") ? 1 : 2;
      if (score > bestScore) { best = e; bestScore = score; }
    }
    if (best?.file && best.line) return `${base(best.file)}:${best.line}`;
    if (best?.role) return `control: ${best.role}`;
    return inDesign ? "unattributed" : undefined;
  };
  const acc = new Map<string, AreaLine>();
  for (const c of Object.values(top.cells)) {
    const k = cellKind(family, c.type);
    if (!k) continue;
    const place = placeOf(c, k.pin, k.ffs > 0);
    if (!place) continue;
    const a = acc.get(place) ?? acc.set(place, { source: place, luts: 0, ffs: 0 }).get(place)!;
    a.luts += k.luts;
    a.ffs += k.ffs;
  }
  const rank = (s: string) => (s === "unattributed" ? 2 : s.startsWith("control: ") ? 1 : 0);
  const lines = [...acc.values()].sort((a, b) => rank(a.source) - rank(b.source) || b.luts - a.luts || b.ffs - a.ffs || a.source.localeCompare(b.source));
  const sum = (f: (l: AreaLine) => number, pred: (l: AreaLine) => boolean = () => true) => lines.filter(pred).reduce((t, l) => t + f(l), 0);
  const isLine = (l: AreaLine) => rank(l.source) === 0;
  return {
    lines, luts: sum((l) => l.luts), ffs: sum((l) => l.ffs),
    attributedLuts: sum((l) => l.luts, isLine), attributedFfs: sum((l) => l.ffs, isLine),
  };
}
