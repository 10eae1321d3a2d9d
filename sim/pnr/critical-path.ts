/**
 * Maps a routed critical path back to TypeScript. Synthesis keeps the names the backend emits as
 * prefixes of its own: after flattening, a net of the design is `dut.<name>[bit]`, and Yosys names
 * mapped cells and nets after them with an upper-case suffix (`add_SB_LUT4_O_I3`,
 * `add_CCU2C_S0_16`, `state_q_TRELLIS_FF_Q_3`). Each step's net (or cell) is matched to the longest
 * emitted name it starts with, and the name table (compiler/verilog/source-map.ts) gives the op,
 * stage and TypeScript line. Wrapper signals (sim/pnr/wrapper.ts) are labelled as such.
 */
import type { NameEntry } from "../../compiler/verilog/source-map.js";
import type { PathStep } from "./nextpnr.js";

export interface MappedStep extends PathStep {
  /** The emitted Verilog name the net or cell belongs to, when one matches. */
  signal?: string;
  where: "design" | "wrapper" | "unnamed";
  /** `file.ts:line` of the op that produced the signal. */
  source?: string;
  op?: string;
  stage?: number;
  /** For control and wrapper signals: what they are. */
  role?: string;
}

export interface CriticalPath {
  delayNs: number;
  logicNs: number;
  routingNs: number;
  /** Start and end register of the path (emitted names or wrapper roles). */
  from: string;
  to: string;
  steps: MappedStep[];
  /** Distinct TypeScript lines along the path, in path order. */
  sourceLines: string[];
}

const WRAPPER_ROLES: [RegExp, string][] = [
  [/^in_q$/, "wrapper input register"],
  [/^out_q$/, "wrapper output register"],
  [/^out_w$/, "design output port"],
  [/^fold\d+_q$/, "wrapper output fold"],
  [/^din$/, "wrapper input pin"],
  [/^dout$/, "wrapper output pin"],
];

const base = (f: string) => f.split("/").pop() ?? f;

/** The base identifier of a netlist name: no hierarchy prefix, bit select or `$` suffix. */
function stem(name: string): string {
  return name.replace(/\[\d+\]$/, "").replace(/\$.*$/, "").replace(/\[\d+\]$/, "");
}

export function mapCriticalPath(steps: PathStep[], names: NameEntry[], instance = "dut"): CriticalPath {
  const byLength = [...names].sort((a, b) => b.name.length - a.name.length);
  const exact = new Map(names.map((e) => [e.name, e]));
  const lookup = (s: string): NameEntry | undefined => {
    const hit = exact.get(s);
    if (hit) return hit;
    // `_X…`: a net or cell Yosys named after the signal; `.0.3_RAM`: a block RAM cell of a memory array.
    return byLength.find((e) => s.startsWith(e.name) && /^(_[A-Z]|\.\d)/.test(s.slice(e.name.length)));
  };
  const mapOne = (step: PathStep): MappedStep => {
    const raw = step.net ?? step.cell;
    const prefix = `${instance}.`;
    if (!raw.startsWith(prefix)) {
      const s = stem(raw).replace(/_[A-Z].*$/, "");
      const role = WRAPPER_ROLES.find(([re]) => re.test(s))?.[1];
      return { ...step, where: role ? "wrapper" : "unnamed", ...(role ? { role, signal: s } : {}) };
    }
    const s = stem(raw.slice(prefix.length));
    const e = lookup(s);
    if (!e) return { ...step, where: "unnamed" };
    return {
      ...step, where: "design", signal: e.name, stage: e.stage,
      ...(e.op ? { op: e.op } : {}), ...(e.role ? { role: e.role } : {}),
      ...(e.file && e.line ? { source: `${base(e.file)}:${e.line}` } : {}),
    };
  };
  const mapped = steps.map(mapOne);
  const sum = (pred: (s: MappedStep) => boolean) => mapped.filter(pred).reduce((t, s) => t + s.delayNs, 0);
  const lines: string[] = [];
  for (const s of mapped) if (s.source && !lines.includes(s.source)) lines.push(s.source);
  const label = (s: MappedStep | undefined) => (s ? s.signal ? `${s.signal}${s.source ? ` (${s.source})` : s.role ? ` (${s.role})` : ""}` : s.role ?? stem(s.cell) : "?");
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    delayNs: round(sum(() => true)),
    logicNs: round(sum((s) => s.type !== "routing")),
    routingNs: round(sum((s) => s.type === "routing")),
    from: label(mapped[0] ? mapOneCell(mapped[0]) : undefined),
    to: label(mapped.length ? mapOneCell(mapped[mapped.length - 1]) : undefined),
    steps: mapped,
    sourceLines: lines,
  };

  /** The register at either end is named by its cell, not a net. */
  function mapOneCell(s: MappedStep): MappedStep {
    return mapOne({ type: s.type, delayNs: s.delayNs, cell: s.cell });
  }
}

/** One-line summary: "12.3 ns (4.5 logic, 7.8 routing): a (feed.ts:3) → b (feed.ts:9); TypeScript lines ...". */
export function describePath(p: CriticalPath): string {
  const lines = p.sourceLines.length ? p.sourceLines.join(" → ") : "no TypeScript line (wrapper or control logic only)";
  return `${p.delayNs.toFixed(2)} ns (${p.logicNs.toFixed(2)} logic, ${p.routingNs.toFixed(2)} routing) from ${p.from} to ${p.to}; TypeScript: ${lines}`;
}
