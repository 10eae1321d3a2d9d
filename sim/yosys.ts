/**
 * Yosys for tsfpga: the system `yosys` when it is on the PATH, otherwise the WebAssembly build from
 * npm (@yowasp/yosys), so synthesis works on any machine with Node. Runs a script over in-memory
 * Verilog files and returns the `stat` report, the log and any files the script was asked to write
 * (e.g. a `write_json` netlist for place and route, see sim/pnr/).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type YosysEngine = "system" | "wasm";

export function systemYosysAvailable(): boolean {
  return (process.env.PATH ?? "").split(":").some((d) => d && existsSync(join(d, "yosys")));
}

export interface YosysResult {
  engine: YosysEngine;
  ok: boolean;
  stat: string;
  log: string;
  /** Contents of the files named in `outputs` that the script wrote (absent when not written). */
  files: Record<string, string>;
}

/**
 * Read the files, run `script` (commands separated by ';'), and write `stat` to a report.
 * `engine` forces one implementation; by default the system one is preferred. `outputs` names
 * files the script writes (relative names) whose contents are returned in `files`.
 */
export async function runYosysScript(files: Record<string, string>, script: string, engine?: YosysEngine, outputs: string[] = []): Promise<YosysResult> {
  const use: YosysEngine = engine ?? (systemYosysAvailable() ? "system" : "wasm");
  const reads = Object.keys(files).map((f) => `read_verilog ${f}`).join("; ");
  const full = `${reads}; ${script}; tee -q -o stat.txt stat`;
  if (use === "system") {
    const dir = mkdtempSync(join(tmpdir(), "tsfpga-yosys-"));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      // Asynchronous, so a long synthesis does not block the caller's event loop (test runners, progress).
      const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
        const p = spawn("yosys", ["-q", "-p", full], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        p.stdout.on("data", (b: Buffer) => { stdout += b.toString("utf8"); });
        p.stderr.on("data", (b: Buffer) => { stderr += b.toString("utf8"); });
        p.on("error", (e) => done({ status: -1, stdout, stderr: `${stderr}${e.message}\n` }));
        p.on("close", (status) => done({ status, stdout, stderr }));
      });
      const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : undefined);
      const out: Record<string, string> = {};
      for (const f of outputs) { const t = read(f); if (t !== undefined) out[f] = t; }
      return { engine: use, ok: r.status === 0, stat: read("stat.txt") ?? "", log: `${r.stdout ?? ""}${r.stderr ?? ""}`, files: out };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { runYosys, Exit } = await import("@yowasp/yosys");
  let log = "";
  const sink = (b: Uint8Array | null) => { if (b) log += Buffer.from(b).toString("utf8"); };
  try {
    const out = (await runYosys(["-q", "-p", full], { ...files }, { stdout: sink, stderr: sink })) as Record<string, unknown> | undefined;
    const text = (v: unknown) => (typeof v === "string" ? v : v instanceof Uint8Array ? Buffer.from(v).toString("utf8") : undefined);
    const written: Record<string, string> = {};
    for (const f of outputs) { const t = text(out?.[f]); if (t !== undefined) written[f] = t; }
    return { engine: use, ok: true, stat: text(out?.["stat.txt"]) ?? "", log, files: written };
  } catch (e) {
    if (e instanceof Exit) return { engine: use, ok: false, stat: "", log, files: {} };
    throw e;
  }
}
