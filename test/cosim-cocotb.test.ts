// cocotb co-simulation of three compiled examples (Icarus, via the project's .venv): the
// testbench drives random arguments with bubbles and backpressure and checks the interpreter's
// results. Skipped with a visible notice when .venv is missing.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { cocotbPython, emitCocotbTestbench, runCocotb } from "../sim/cocotb.js";
import { parseSignature } from "../sim/signature.js";
import { compileInterpreter } from "../compiler/interp/interp.js";
import { packArgs, packResult, randomArgs, rng } from "../compiler/verilog/vectors.js";
import { compileHw, ROOT } from "./cosim-helpers.js";

const python = cocotbPython();
if (!python) console.warn("NOTICE: .venv missing, cocotb co-simulation skipped (run scripts/setup.sh py)");

describe.skipIf(!python)("cocotb on compiled examples", () => {
  it.each([
    ["examples/basics/prices.ts", "spreadTicks"],
    ["examples/basics/bitops.ts", "hexDigitOf"],
    ["examples/basics/checksums.ts", "crc32Step"],
  ])("%s %s", async (file, top) => {
    const d = compileHw(file, top, 250);
    const interp = compileInterpreter(d.pkg, d.fn);
    const next = rng(5);
    const vectors = Array.from({ length: 500 }, () => {
      const a = randomArgs(d.fn, next);
      return { input: packArgs(d.fn, a), expected: packResult(d.fn, interp(a)) };
    });
    const sig = parseSignature(d.hw.signature, top);
    const bench = await emitCocotbTestbench(sig, d.vpath, vectors, join(ROOT, "build/test-cocotb", top), { bubbles: 0.3, backpressure: 0.3 });
    const r = await runCocotb(bench.dir);
    expect(r.ok, r.output.slice(-2000)).toBe(true);
  });
});
