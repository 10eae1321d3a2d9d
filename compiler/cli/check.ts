/** `tsfpga check <files…> [--watch]`: report every dialect and type problem, like tsc; exit 1 on any. */
import type { Command } from "commander";
import { printDiagnostics } from "./common.js";
import { watchOr } from "./watch.js";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check dialect files and report every problem as file:line:col with a code")
    .argument("<files...>", "dialect source files (.ts)")
    .option("--watch", "check again whenever one of the files (or a file they import) changes; Ctrl-C stops")
    .action((files: string[], o: { watch?: boolean }) => watchOr(o.watch, files, async () => {
      const { checkFiles } = await import("../driver.js"); // loads TypeScript: only when a command needs it
      const { diagnostics } = checkFiles(files);
      if (diagnostics.length) { printDiagnostics(diagnostics); return 1; }
      process.stdout.write(`${files.join(", ")}: no problems\n`);
      return 0;
    }));
}
