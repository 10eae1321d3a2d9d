/**
 * Differential property tests: every exported function of examples/basics/*.ts and of the corner-case
 * programs in test/helpers/programs/ runs natively in Node (the definition of its meaning) and in the
 * bit-exact interpreter on the same 1,000 seeded random inputs drawn from its signature (edge values
 * favoured). The interpreter runs the lowered IR, the IR after every single pass of the default
 * pipeline (each distinct intermediate package), and the final optimised IR; all must give the
 * native result, compared as JSON. A shrinking fast-check property checks the final IR once more.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as path from "node:path";
import { compileTop } from "../compiler/driver.js";
import { DEFAULT_PIPELINE, runPipeline } from "../compiler/passes/pipeline.js";
import { compileInterpreter } from "../compiler/interp/interp.js";
import { jsToJson, jsToValue, valueToJs, valueToJson } from "../compiler/interp/convert.js";
import { valueHasType } from "../compiler/interp/eval.js";
import { findFn, type DType, type Package } from "../compiler/ir/ir.js";
import { printPackage } from "../compiler/ir/printer.js";
import type { Value } from "../compiler/ir/values.js";
import { nativeFunction } from "../sim/native.js";
import { argsArb } from "./helpers/arbitraries.js";
import { EXAMPLES_DIR, PROGRAMS_DIR, clonePackage, exportedFunctionNames, jsonEqual, lowerCached, tsFiles } from "./helpers/ir-tools.js";

const RUNS = 1000;
// TSFPGA_DIFF_FILES (comma-separated paths) runs the same checks on other dialect files instead.
const FILES = process.env.TSFPGA_DIFF_FILES
  ? process.env.TSFPGA_DIFF_FILES.split(",").map((f) => path.resolve(f))
  : [...tsFiles(EXAMPLES_DIR), ...tsFiles(PROGRAMS_DIR)];

function seedOf(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

function runner(pkg: Package, top: string, ret: DType) {
  const fn = findFn(pkg, top)!;
  const run = compileInterpreter(pkg, fn);
  return (args: Value[]) => {
    const v = run(args);
    if (!valueHasType(v, fn.ret.type)) throw new Error(`result ${String(v)} does not have type of ${fn.name}`);
    return valueToJson(v, ret);
  };
}

describe.each(FILES.map((f) => [path.relative(process.cwd(), f), f]))("%s", (_name, file) => {
  const tops = exportedFunctionNames(file);
  for (const top of tops) {
    it(`${top}: native = interpreter, before, during and after the pipeline`, async () => {
      const r = lowerCached(file, top);
      expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([]);
      const sig = r.fn!.sig!;
      const native = await nativeFunction(file, top);
      const call = (args: Value[]) => {
        const out = native(...sig.params.map((p, i) => valueToJs(args[i], p.type)));
        jsToValue(out, sig.ret, "native result"); // has the declared shape and range
        return jsToJson(out);
      };
      const inputs = fc.sample(argsArb(sig.params), { seed: seedOf(file + top), numRuns: RUNS });
      const expected = inputs.map(call);
      const show = (args: Value[]) => JSON.stringify(sig.params.map((p, i) => valueToJson(args[i], p.type)));
      const checkAll = (pkg: Package, stage: string) => {
        const run = runner(pkg, top, sig.ret);
        inputs.forEach((args, k) => {
          const got = run(args);
          if (!jsonEqual(got, expected[k])) {
            expect.fail(`${top}${show(args)} ${stage}: interpreter ${JSON.stringify(got)}, native ${JSON.stringify(expected[k])}`);
          }
        });
      };

      const pkg = clonePackage(r.pkg!);
      checkAll(pkg, "as lowered");
      let last = printPackage(pkg);
      const stages: string[] = [];
      runPipeline(pkg, top, {
        after: (pass, p) => {
          const text = printPackage(p);
          if (text === last) return;
          last = text;
          stages.push(pass);
          checkAll(p, `after pass ${stages.length} (${pass})`);
        },
      });
      checkAll(pkg, "after the pipeline");
      if (top === tops[0]) {
        // the driver's own compileTop (one Program per top) gives the same meaning
        const c = compileTop(file, top);
        expect(c.diagnostics).toEqual([]);
        checkAll(c.pkg!, "from compileTop");
      }

      // the final IR once more, as a shrinking property on fresh inputs
      const run = runner(pkg, top, sig.ret);
      fc.assert(fc.property(argsArb(sig.params), (args) => {
        const got = run(args), want = call(args);
        if (!jsonEqual(got, want)) throw new Error(`${top}${show(args)}: interpreter ${JSON.stringify(got)}, native ${JSON.stringify(want)}`);
      }), { seed: seedOf(top + file), numRuns: 200 });
    });
  }
});

it("the default pipeline starts with inline and ends with the cleanup group", () => {
  expect(DEFAULT_PIPELINE[0]).toBe("inline");
  expect(DEFAULT_PIPELINE).toContain("narrow");
});
