/**
 * One nextpnr run: places and routes a Yosys JSON netlist for a device with one seed and a target
 * clock, and reads back its JSON report (`--report`): the post-route fmax of the clock (the report
 * is written after routing; the log's last "Max frequency for clock" line is the fallback), the
 * device utilisation, and the register-to-register critical path as a list of steps.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Device, Tool } from "./devices.js";

export interface PathStep {
  /** nextpnr step type: clk-to-q, routing, logic, setup, source. */
  type: string;
  delayNs: number;
  /** The routed net (routing steps). */
  net?: string;
  /** The cell the step ends at (for clk-to-q, the source register: nextpnr-ice40 0.4 swaps from/to there). */
  cell: string;
}

export interface NextpnrRun {
  seed: number;
  ok: boolean;
  /** Post-route fmax of the design clock in MHz (undefined when routing failed). */
  fmaxMhz?: number;
  /** Resource name → used/available, as nextpnr reports it. */
  utilisation: Record<string, { used: number; available: number }>;
  /** Register-to-register critical path of the clock (empty when there is none). */
  path: PathStep[];
  seconds: number;
  log: string;
  /** The raw JSON report, when one was written. */
  report?: unknown;
}

interface ReportJson {
  fmax?: Record<string, { achieved: number; constraint: number }>;
  utilization?: Record<string, { used: number; available: number }>;
  critical_paths?: { from: string; to: string; path: { type: string; delay: number; net?: string; from: { cell: string }; to: { cell: string } }[] }[];
}

function spawnLogged(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; log: string }> {
  return new Promise((done) => {
    const p = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    p.stdout.on("data", (b: Buffer) => { log += b.toString("utf8"); });
    p.stderr.on("data", (b: Buffer) => { log += b.toString("utf8"); });
    const t = setTimeout(() => { log += `\n(killed after ${timeoutMs / 1000} s)\n`; p.kill("SIGKILL"); }, timeoutMs);
    p.on("error", (e) => { clearTimeout(t); done({ code: -1, log: `${log}${e.message}\n` }); });
    p.on("close", (code) => { clearTimeout(t); done({ code, log }); });
  });
}

/** Run nextpnr in `dir`, which holds `netlist` (a Yosys JSON file); writes `<tag>.report.json` there. */
export async function runNextpnr(tool: Tool, device: Device, dir: string, netlist: string, o: { seed: number; freqMhz: number; tag: string; timeoutMs?: number }): Promise<NextpnrRun> {
  const report = `${o.tag}.report.json`;
  const unconstrained = device.family === "ice40" ? "--pcf-allow-unconstrained" : "--lpf-allow-unconstrained";
  const args = [...tool.args, ...device.nextpnrArgs, "--json", netlist, "--freq", String(o.freqMhz), "--seed", String(o.seed), "--timing-allow-fail", unconstrained, "--report", report];
  const t0 = performance.now();
  const r = await spawnLogged(tool.command, args, dir, o.timeoutMs ?? 4 * 3600_000);
  const seconds = (performance.now() - t0) / 1000;
  let rep: ReportJson | undefined;
  if (existsSync(join(dir, report))) {
    try { rep = JSON.parse(readFileSync(join(dir, report), "utf8")) as ReportJson; } catch { rep = undefined; }
  }
  const run: NextpnrRun = { seed: o.seed, ok: r.code === 0, utilisation: rep?.utilization ?? parseUtilisation(r.log), path: [], seconds, log: r.log, report: rep };
  if (!run.ok) return run;
  const clocks = Object.entries(rep?.fmax ?? {});
  run.fmaxMhz = clocks.length ? Math.min(...clocks.map(([, v]) => v.achieved)) : lastFmax(r.log);
  const cp = (rep?.critical_paths ?? []).find((p) => p.from.startsWith("posedge") && p.to.startsWith("posedge"));
  if (cp) run.path = cp.path.map((s) => ({ type: s.type, delayNs: s.delay, ...(s.net ? { net: s.net } : {}), cell: s.to.cell }));
  return run;
}

/** The last "Max frequency for clock" figure of a nextpnr log: the post-route one. */
export function lastFmax(log: string): number | undefined {
  const all = [...log.matchAll(/Max frequency for clock '[^']*': ([0-9.]+) MHz/g)];
  return all.length ? Number(all[all.length - 1][1]) : undefined;
}

/** "Info:  ICESTORM_LC:   219/ 7680     2%" lines of the log (used when no JSON report exists). */
export function parseUtilisation(log: string): Record<string, { used: number; available: number }> {
  const out: Record<string, { used: number; available: number }> = {};
  for (const m of log.matchAll(/^Info:\s+(\w+):\s+(\d+)\/\s*(\d+)\s+\d+%/gm)) out[m[1]] = { used: Number(m[2]), available: Number(m[3]) };
  return out;
}

/** The first error line of a failed run, for messages. */
export function firstError(log: string): string {
  const line = log.split("\n").find((l) => /^ERROR:|error:/i.test(l));
  return (line ?? log.trim().split("\n").pop() ?? "").trim();
}
