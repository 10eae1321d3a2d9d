/**
 * Benchmark section for start-up cost: `node -e 0`, `tsfpga --version`, `tsfpga check` of a
 * ten-line file and `tsfpga compile` of the same small function, run side by side in rounds (one
 * of each per round, so load on the machine hits all alike), as medians of wall time and of the
 * child's CPU time (user + system, from /proc/self/stat's children counters, 10 ms resolution),
 * and as ratios to `node -e 0`. Also the time a warm `check --watch` takes to check an edit again.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { median, type Row, type Section } from "./table.js";

const ROUNDS = 7;
const DIR = "build/bench-startup";

const TEN_LINES = `import { u8, u16 } from "tsfpga";

/** A weighted sum of three bytes. */
export function weighted(a: u8, b: u8, c: u8): u16 {
  const x = u16(a) + u16(b);
  const y = u16(c) * 2;
  return u16(x + y);
}
`;

/** CPU seconds used by this process's waited-for children so far (Linux), or NaN elsewhere. */
function childrenCpu(): number {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[13]) + Number(f[14])) / 100; // cutime + cstime, in USER_HZ (100 on Linux)
  } catch {
    return NaN;
  }
}

function timed(args: string[]): { wall: number; cpu: number } {
  const c0 = childrenCpu();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`bench startup: node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { wall, cpu: childrenCpu() - c0 };
}

/** Seconds a running `check --watch` reports for each of `edits` edits of the file. */
async function watchRechecks(file: string, edits: number): Promise<number[]> {
  const child = spawn(process.execPath, ["bin/tsfpga.js", "check", "--watch", file], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => { err += String(d); });
  const times = () => [...err.matchAll(/\] (?:ok|failed \(exit status \d+\)) in ([\d.]+) s/g)].map((m) => Number(m[1]));
  const until = async (n: number) => {
    const t0 = Date.now();
    while (times().length < n) {
      if (child.exitCode !== null || Date.now() - t0 > 120_000) { child.kill(); throw new Error(`bench startup: check --watch stopped: ${err}`); }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    await until(1);
    for (let i = 1; i <= edits; i++) {
      fs.writeFileSync(file, TEN_LINES.replace("u16(c) * 2", `u16(c) * ${2 + (i % 3)}`));
      await until(i + 1);
    }
  } finally {
    child.kill();
  }
  return times().slice(1);
}

export async function startupBench(): Promise<Section> {
  fs.mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, "ten.ts");
  fs.writeFileSync(file, TEN_LINES);
  const commands: [string, string, string[]][] = [
    ["node", "node -e 0", ["-e", "0"]],
    ["version", "tsfpga --version", ["bin/tsfpga.js", "--version"]],
    ["check", "tsfpga check <ten-line file>", ["bin/tsfpga.js", "check", file]],
    ["compile", "tsfpga compile <ten-line file>", ["bin/tsfpga.js", "compile", file, "-o", path.join(DIR, "out")]],
  ];
  const runs = new Map(commands.map(([k]) => [k, [] as { wall: number; cpu: number }[]]));
  timed(["bin/tsfpga.js", "--version"]); // warm the file cache once
  for (let i = 0; i < ROUNDS; i++) for (const [k, , args] of commands) runs.get(k)!.push(timed(args));
  const wall = (k: string) => median(runs.get(k)!.map((r) => r.wall));
  const cpu = (k: string) => median(runs.get(k)!.map((r) => r.cpu));
  const rows: Row[] = commands.map(([k, what]) => k === "node"
    ? { name: "startup_node_ms", value: wall(k) * 1000, unit: "ms", note: `${what}: wall; CPU ${(cpu(k) * 1000).toFixed(0)} ms; median of ${ROUNDS}, the baseline` }
    : { name: `startup_${k}_x_node`, value: wall(k) / wall("node"), unit: "× node (wall)", note: `${what}: ${(wall(k) * 1000).toFixed(0)} ms wall, ${(cpu(k) * 1000).toFixed(0)} ms CPU = ${(cpu(k) / cpu("node")).toFixed(1)}× node's CPU; median of ${ROUNDS}, side by side` });
  const rechecks = await watchRechecks(file, 5);
  rows.push({ name: "startup_watch_recheck_ms", value: median(rechecks) * 1000, unit: "ms", note: `check --watch: an edit of the ten-line file checked again in a warm process, median of ${rechecks.length}` });
  return { title: "start-up cost (side by side with node -e 0)", rows };
}
