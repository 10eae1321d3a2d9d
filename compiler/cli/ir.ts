/** `tsfpga ir <file> --top f`: print the IR of a function after the pass pipeline (or a chosen list). */
import type { Command } from "commander";
import { printPackage } from "../ir/printer.js";
import { DEFAULT_PIPELINE, PASSES } from "../passes/pipeline.js";
import { guarded, printDiagnostics, UserError } from "./common.js";

export function registerIr(program: Command): void {
  program
    .command("ir")
    .description("print the IR of a top function")
    .argument("<file>", "dialect source file")
    .option("--top <fn>", "the exported function (default: the only one)")
    .option("--passes <list>", `comma-separated passes to run (default: ${DEFAULT_PIPELINE.join(",")}; 'none' for the lowered IR)`)
    .option("--dump-ir-after <pass>", "also print the IR after every run of this pass")
    .action((file: string, o: { top?: string; passes?: string; dumpIrAfter?: string }) => guarded(async () => {
      const { compileTop } = await import("../driver.js"); // loads TypeScript: only when a command needs it
      if (o.dumpIrAfter && !PASSES.has(o.dumpIrAfter)) throw new UserError(`unknown pass '${o.dumpIrAfter}' (known: ${[...PASSES.keys()].join(", ")})`);
      const passes = o.passes === undefined ? undefined : o.passes === "none" ? [] : o.passes.split(",").map((s) => s.trim()).filter(Boolean);
      const r = compileTop(file, o.top, {
        passes,
        after: (name, pkg) => { if (name === o.dumpIrAfter) process.stdout.write(`// ---- after ${name}\n${printPackage(pkg)}\n`); },
      });
      if (r.diagnostics.length || !r.pkg) { printDiagnostics(r.diagnostics); return 1; }
      process.stdout.write(printPackage(r.pkg));
      return 0;
    }));
}
