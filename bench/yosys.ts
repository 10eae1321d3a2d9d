/** Runs Yosys (the system one) on a Verilog file with a synthesis script and returns `stat`'s text. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function yosysStat(vpath: string, script: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tsfpga-yosys-"));
  try {
    const out = join(dir, "stat.txt");
    execFileSync("yosys", ["-q", "-p", `read_verilog ${vpath}; ${script}; tee -q -o ${out} stat`], { stdio: "ignore", maxBuffer: 1 << 26 });
    return readFileSync(out, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function yosysVersion(): string {
  return execFileSync("yosys", ["-V"], { encoding: "utf8" }).trim().split(" ")[1] ?? "?";
}
