/**
 * `tsfpga testbench <file> --top f --cocotb -o dir [--vectors in.jsonl | --count N]`: compile the
 * design into dir and write a cocotb testbench beside it (sim/cocotb.ts) whose expected outputs
 * come from the interpreter — either for the given argument lines or N seeded random calls.
 */
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { jsonToValue } from "../interp/convert.js";
import { compileInterpreter } from "../interp/interp.js";
import type { Value } from "../ir/values.js";
import { packArgs, packResult, randomArgs, rng } from "../verilog/vectors.js";
import { cocotbPythonPath, emitCocotbTestbench, ensureCocotbPython, PythonEnvError } from "../../sim/cocotb.js";
import { parseSignature } from "../../sim/signature.js";
import { guarded, UserError } from "./common.js";
import { compileDesign, parseClock, writeDesign } from "./compile.js";
import { prepareOutputDir } from "./paths.js";

/** The most random calls one testbench holds (a cocotb run of this many already takes hours). */
const MAX_COUNT = 1_000_000;

interface Opts { top?: string; cocotb?: boolean; out: string; vectors?: string; count: string; seed: string; clockMhz?: string }

export function registerTestbench(program: Command): void {
  program
    .command("testbench")
    .description("compile a function and write a cocotb testbench for it")
    .argument("<file>", "dialect source file")
    .option("--top <fn>", "the exported function (default: the only one)")
    .option("--cocotb", "emit a cocotb (Python) testbench (the only kind so far)")
    .requiredOption("-o, --out <dir>", "output directory")
    .option("--vectors <file>", "JSON lines, each an array of arguments")
    .option("--count <n>", "number of random calls when no --vectors", "1000")
    .option("--seed <n>", "random seed", "1")
    .option("--clock-mhz <n>", "target clock", "250")
    .action((file: string, o: Opts) => guarded(async () => {
      if (!o.cocotb) throw new UserError("choose a testbench kind: --cocotb");
      const n = Number(o.count);
      if (!o.vectors && (!Number.isInteger(n) || n < 1 || n > MAX_COUNT)) throw new UserError(`--count must be a whole number from 1 to ${MAX_COUNT} (got '${o.count}')`);
      if (o.top !== undefined && (await import("../driver.js")).isPipelineTop(file, o.top)) throw new UserError(`testbench --cocotb tests an exported function; ${o.top} is a pipeline: test it with tsfpga simulate ${file} --top ${o.top} --engine all`);
      prepareOutputDir(o.out);
      const c = await compileDesign(file, o.top, parseClock(o.clockMhz));
      if (!c) return 1;
      const sig = c.fn.sig!;
      let args: Value[][];
      if (o.vectors) {
        let text: string;
        try { text = readFileSync(o.vectors, "utf8"); } catch (e) { throw new UserError(`cannot read ${o.vectors}: ${(e as Error).message}`); }
        args = text.split("\n").filter((l) => l.trim()).map((l, i) => {
          let raw: unknown;
          try { raw = JSON.parse(l); } catch { throw new UserError(`${o.vectors}:${i + 1}: not valid JSON`); }
          if (!Array.isArray(raw) || raw.length !== sig.params.length) throw new UserError(`${o.vectors}:${i + 1}: expected an array of ${sig.params.length} argument(s)`);
          return sig.params.map((p, k) => jsonToValue(raw[k], p.type, `${o.vectors}:${i + 1} argument ${k + 1}`));
        });
      } else {
        const next = rng(Number(o.seed) >>> 0);
        args = Array.from({ length: n }, () => randomArgs(c.fn, next));
      }
      const interp = compileInterpreter(c.pkg, c.fn);
      const paths = writeDesign(c, o.out);
      const bench = await emitCocotbTestbench(parseSignature(c.signature, paths.signature), paths.verilog,
        args.map((a) => ({ input: packArgs(c.fn, a), expected: packResult(c.fn, interp(a)) })), o.out, { seed: Number(o.seed) >>> 0 });
      process.stdout.write(`wrote ${paths.verilog} and a cocotb testbench (${args.length} vectors) in ${bench.dir}\n`);
      let py: string;
      try {
        py = ensureCocotbPython((line) => process.stderr.write(`tsfpga: ${line}\n`));
      } catch (e) {
        // The bench itself is written; only the environment to run it is missing.
        if (!(e instanceof PythonEnvError)) throw e;
        process.stderr.write(`tsfpga: warning: ${e.message}; the testbench is written, and runs once that environment exists\n`);
        py = cocotbPythonPath();
      }
      process.stdout.write(`run it with: ${py} ${bench.runScript}\n`);
      return 0;
    }));
}
