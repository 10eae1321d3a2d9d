/** `tsfpga check <files…>`: report every dialect and type problem, like tsc; exit 1 on any. */
import type { Command } from "commander";
import { guarded, printDiagnostics } from "./common.js";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check dialect files and report every problem as file:line:col with a code")
    .argument("<files...>", "dialect source files (.ts)")
    .action((files: string[]) => guarded(async () => {
      const { checkFiles } = await import("../driver.js"); // loads TypeScript: only when a command needs it
      const { diagnostics } = checkFiles(files);
      if (diagnostics.length) { printDiagnostics(diagnostics); return 1; }
      process.stdout.write(`${files.join(", ")}: no problems\n`);
      return 0;
    }));
}
