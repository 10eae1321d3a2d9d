/**
 * Yosys for tsfpga: the system `yosys` when it is on the PATH, otherwise the WebAssembly build from
 * npm (@yowasp/yosys), so synthesis works on any machine with Node. Runs a script over in-memory
 * Verilog files and returns the `stat` report and the log.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type YosysEngine = "system" | "wasm";

export function systemYosysAvailable(): boolean {
  return (process.env.PATH ?? "").split(":").some((d) => d && existsSync(join(d, "yosys")));
}

export interface YosysResult { engine: YosysEngine; ok: boolean; stat: string; log: string }

/**
 * Read the files, run `script` (commands separated by ';'), and write `stat` to a report.
 * `engine` forces one implementation; by default the system one is preferred.
 */
export async function runYosysScript(files: Record<string, string>, script: string, engine?: YosysEngine): Promise<YosysResult> {
  const use: YosysEngine = engine ?? (systemYosysAvailable() ? "system" : "wasm");
  const reads = Object.keys(files).map((f) => `read_verilog ${f}`).join("; ");
  const full = `${reads}; ${script}; tee -q -o stat.txt stat`;
  if (use === "system") {
    const dir = mkdtempSync(join(tmpdir(), "tsfpga-yosys-"));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const r = spawnSync("yosys", ["-q", "-p", full], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 26 });
      const stat = existsSync(join(dir, "stat.txt")) ? readFileSync(join(dir, "stat.txt"), "utf8") : "";
      return { engine: use, ok: r.status === 0, stat, log: `${r.stdout ?? ""}${r.stderr ?? ""}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { runYosys, Exit } = await import("@yowasp/yosys");
  let log = "";
  const sink = (b: Uint8Array | null) => { if (b) log += Buffer.from(b).toString("utf8"); };
  try {
    const out = (await runYosys(["-q", "-p", full], { ...files }, { stdout: sink, stderr: sink })) as Record<string, unknown> | undefined;
    const stat = out && typeof out["stat.txt"] === "string" ? (out["stat.txt"] as string) : out?.["stat.txt"] instanceof Uint8Array ? Buffer.from(out["stat.txt"] as Uint8Array).toString("utf8") : "";
    return { engine: use, ok: true, stat, log };
  } catch (e) {
    if (e instanceof Exit) return { engine: use, ok: false, stat: "", log };
    throw e;
  }
}
