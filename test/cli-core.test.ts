/**
 * CLI tests of the compiler core through the built `tsfpga` binary: `run --engine both` agrees (exit
 * 0, one JSON result equal to the in-process interpreter's) on every exported function of
 * examples/basics for seeded random arguments and for extreme ones; `check` passes on the examples;
 * `ir` prints text the IR parser accepts; bad arguments and unknown tops exit 1 without a stack trace.
 * dist/ is built first when it is missing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import * as fs from "node:fs";
import * as path from "node:path";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { interpret } from "../compiler/interp/interp.js";
import { valueToJson } from "../compiler/interp/convert.js";
import { parsePackage } from "../compiler/ir/parser.js";
import { runPipeline } from "../compiler/passes/pipeline.js";
import type { DType } from "../compiler/ir/ir.js";
import type { Value } from "../compiler/ir/values.js";
import { argsArb } from "./helpers/arbitraries.js";
import { EXAMPLES_DIR, PROGRAMS_DIR, ROOT, clonePackage, exportedFunctionNames, lowerCached, tsFiles } from "./helpers/ir-tools.js";

const run = promisify(execFile);
const BIN = path.join(ROOT, "bin", "tsfpga.js");

async function tsfpga(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

/** The largest value of every integer, true for booleans: an extreme argument for each type. */
function extreme(d: DType): Value {
  switch (d.k) {
    case "int": return (1n << BigInt(d.signed ? d.w - 1 : d.w)) - 1n;
    case "bool": return 1n;
    case "array": return Array.from({ length: d.n }, () => extreme(d.elem));
    case "record": return d.fields.map((f) => extreme(f.type));
  }
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, "dist", "compiler", "cli", "main.js"))) execFileSync("npx", ["tsc", "-p", "."], { cwd: ROOT, stdio: "ignore" });
});

const EXAMPLES = tsFiles(EXAMPLES_DIR);
const tops = EXAMPLES.flatMap((file) => exportedFunctionNames(file).map((top) => ({ file, top })));

describe("tsfpga run --engine both on every example function", () => {
  it.concurrent.each(tops.map((t, i) => [`${path.basename(t.file)} ${t.top}`, t, i] as const))("%s", async (_n, { file, top }, i) => {
    const r = lowerCached(file, top);
    const pkg = clonePackage(r.pkg!);
    runPipeline(pkg, top);
    const fn = pkg.fns.find((f) => f.name === top)!;
    const sig = r.fn!.sig!;
    const [random] = fc.sample(argsArb(sig.params), { seed: 1000 + i, numRuns: 1 });
    const sets = i % 6 === 0 ? [random, sig.params.map((p) => extreme(p.type))] : [random];
    for (const args of sets) {
      const json = JSON.stringify(sig.params.map((p, k) => valueToJson(args[k], p.type)));
      const out = await tsfpga("run", path.relative(ROOT, file), "--top", top, "--args", json, "--engine", "both");
      expect(out.stderr, `${top} ${json}`).toBe("");
      expect(out.code, `${top} ${json}: ${out.stdout}`).toBe(0);
      expect(JSON.parse(out.stdout), `${top} ${json}`).toEqual(valueToJson(interpret(pkg, fn, args), sig.ret));
    }
  });
});

describe("other commands", () => {
  it("check passes on every example", async () => {
    const out = await tsfpga("check", ...EXAMPLES.map((f) => path.relative(ROOT, f)));
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/no problems/);
  });

  it("ir prints text the IR parser reads back", async () => {
    const out = await tsfpga("ir", "examples/basics/checksums.ts", "--top", "crc32Of4");
    expect(out.code).toBe(0);
    expect(parsePackage(out.stdout).fns.map((f) => f.name)).toEqual(["crc32Of4"]);
  });

  it("bad arguments exit 1 with a one-line message and no stack trace", async () => {
    for (const args of ['[[1,2]]', "[1", '["x"]']) {
      const out = await tsfpga("run", "examples/basics/prices.ts", "--top", "minPrice8", "--args", args);
      expect(out.code, args).toBe(1);
      expect(out.stderr).toMatch(/^tsfpga: /);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    }
    const out = await tsfpga("run", "examples/basics/prices.ts", "--top", "u8max", "--args", "[1]");
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/TSF4002/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  // The native result goes through the declared type, so field order of the literal does not matter.
  it("run --engine both accepts a record literal written in another field order", async () => {
    const out = await tsfpga("run", path.relative(ROOT, path.join(PROGRAMS_DIR, "control.ts")), "--top", "reordered", "--args", "[1, 2]", "--engine", "both");
    expect(out.code).toBe(0);
  });
});
