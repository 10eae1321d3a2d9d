// Runs tsfpga subcommands in this process (registered on a fresh commander program), capturing
// stdout, stderr and the exit code: the CLI tests use it instead of spawning a process per call.
import { Command } from "commander";
import { vi } from "vitest";

export async function runInProcess(register: ((p: Command) => void)[], args: string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command("tsfpga").exitOverride();
  for (const r of register) r(program);
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = 0;
  let code = 0;
  try {
    await program.parseAsync(args, { from: "user" });
    code = Number(process.exitCode ?? 0);
  } catch (x) {
    code = (x as { exitCode?: number }).exitCode ?? 99;
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = 0;
  }
  return { code, out, err };
}
