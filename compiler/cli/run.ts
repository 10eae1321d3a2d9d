/**
 * `tsfpga run <file> --top f --args '[…]' [--engine interp|native|both]`: evaluate one call.
 * `both` runs the interpreter (on the optimised IR) and the TypeScript itself in Node, prints both
 * and exits 1 if they differ.
 */
import type { Command } from "commander";
import { jsonToValue, jsToValue, valueToJs, valueToJson } from "../interp/convert.js";
import { interpret } from "../interp/interp.js";
import { guarded, printDiagnostics, UserError } from "./common.js";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("evaluate one call of a function in the interpreter and/or natively in Node")
    .argument("<file>", "dialect source file")
    .option("--top <fn>", "the exported function (default: the only one)")
    .requiredOption("--args <json>", "the arguments as a JSON array, e.g. '[1, \"18446744073709551615\", true]'")
    .option("--engine <e>", "interp | native | both", "both")
    .action((file: string, o: { top?: string; args: string; engine: string }) => guarded(async () => {
      if (!["interp", "native", "both"].includes(o.engine)) throw new UserError(`--engine must be interp, native or both (got '${o.engine}')`);
      let raw: unknown;
      try { raw = JSON.parse(o.args); } catch { throw new UserError(`--args is not valid JSON: ${o.args}`); }
      if (!Array.isArray(raw)) throw new UserError("--args must be a JSON array of arguments");
      const { compileTop, isPipelineTop } = await import("../driver.js"); // loads TypeScript: only when a command needs it
      if (o.top !== undefined && isPipelineTop(file, o.top)) throw new UserError(`run calls an exported function; ${o.top} is a pipeline: run it with tsfpga simulate ${file} --top ${o.top} (--pcap, --beats or --records-in)`);
      const r = compileTop(file, o.top);
      if (r.diagnostics.length || !r.pkg || !r.fn) { printDiagnostics(r.diagnostics); return 1; }
      const { fn, pkg } = r;
      const sig = fn.sig!;
      if (raw.length !== sig.params.length) throw new UserError(`${fn.name} takes ${sig.params.length} argument(s) (${sig.params.map((p) => p.name).join(", ")}), got ${raw.length}`);
      const args = sig.params.map((p, i) => jsonToValue(raw[i], p.type, `argument ${i + 1} (${p.name})`));
      const results: Record<string, unknown> = {};
      if (o.engine !== "native") results.interp = valueToJson(interpret(pkg, fn, args), sig.ret);
      if (o.engine !== "interp") {
        const { nativeFunction } = await import("../../sim/native.js");
        const f = await nativeFunction(file, fn.name);
        const out = f(...sig.params.map((p, i) => valueToJs(args[i], p.type)));
        // Through the declared type: checks shape and range, and puts record fields in declaration order.
        results.native = valueToJson(jsToValue(out, sig.ret, "native result"), sig.ret);
      }
      const texts = Object.values(results).map((v) => JSON.stringify(v));
      if (o.engine === "both" && texts[0] !== texts[1]) {
        process.stdout.write(`interp: ${texts[0]}\nnative: ${texts[1]}\n`);
        process.stderr.write("tsfpga: the engines disagree\n");
        return 1;
      }
      process.stdout.write(`${texts[0]}\n`);
      return 0;
    }));
}
