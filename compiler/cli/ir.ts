/**
 * `tsfpga ir <file> --top f`: print the IR of a function, a kernel or a pipeline after the pass
 * pipeline (or a chosen list). A pipeline prints each kernel's package in pipeline order, each
 * after a `// ---- kernel i of n: <stage>` line.
 */
import type { Command } from "commander";
import { printPackage } from "../ir/printer.js";
import { DEFAULT_PIPELINE, PASSES } from "../passes/pipeline.js";
import { guarded, printDiagnostics, UserError } from "./common.js";

export function registerIr(program: Command): void {
  program
    .command("ir")
    .description("print the IR of a top function, kernel or pipeline")
    .argument("<file>", "dialect source file")
    .option("--top <name>", "the exported function, kernel or pipeline (default: the file's only pipeline, else its only kernel, else its only exported function)")
    .option("--passes <list>", `comma-separated passes to run (default: ${DEFAULT_PIPELINE.join(",")}; 'none' for the lowered IR)`)
    .option("--dump-ir-after <pass>", "also print the IR after every run of this pass")
    .action((file: string, o: { top?: string; passes?: string; dumpIrAfter?: string }) => guarded(async () => {
      const { compileUnit, compilePipeline, isPipelineTop } = await import("../driver.js"); // loads TypeScript: only when a command needs it
      if (o.dumpIrAfter && !PASSES.has(o.dumpIrAfter)) throw new UserError(`unknown pass '${o.dumpIrAfter}' (known: ${[...PASSES.keys()].join(", ")})`);
      const passes = o.passes === undefined ? undefined : o.passes === "none" ? [] : o.passes.split(",").map((s) => s.trim()).filter(Boolean);
      let kernel = "";
      const opts = {
        passes,
        after: (name: string, pkg: Parameters<typeof printPackage>[0]) => { if (name === o.dumpIrAfter) process.stdout.write(`// ---- after ${name}${kernel}\n${printPackage(pkg)}\n`); },
      };
      if (isPipelineTop(file, o.top)) {
        // The driver runs the passes kernel by kernel in pipeline order; `kernel` labels the dumps.
        let i = 0;
        const r = compilePipeline(file, o.top, { ...opts, after: (name, pkg) => { if (name === o.dumpIrAfter) { kernel = ` (kernel ${pkg.kernel?.name ?? pkg.name})`; opts.after(name, pkg); } } });
        if (r.diagnostics.length || !r.stages) { printDiagnostics(r.diagnostics); return 1; }
        for (const s of r.stages) process.stdout.write(`// ---- kernel ${++i} of ${r.stages.length}: ${s.name} (pipeline ${r.name})\n${printPackage(s.pkg)}\n`);
        return 0;
      }
      const r = compileUnit(file, o.top, opts);
      if (r.diagnostics.length || !r.pkg) { printDiagnostics(r.diagnostics); return 1; }
      process.stdout.write(printPackage(r.pkg));
      return 0;
    }));
}
