/**
 * IR text round trip: for every exported function of the examples and the test programs, the IR
 * as lowered and after every pass of the default pipeline prints, parses and prints again to the
 * identical text, the parsed package verifies, and it computes the same results as the original.
 * Malformed IR text is rejected with an IrParseError naming the offending line.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as path from "node:path";
import { compileInterpreter } from "../compiler/interp/interp.js";
import { findFn, type Package } from "../compiler/ir/ir.js";
import { IrParseError, parsePackage } from "../compiler/ir/parser.js";
import { printPackage } from "../compiler/ir/printer.js";
import { verifyPackage } from "../compiler/ir/verifier.js";
import { valueEq } from "../compiler/ir/values.js";
import { runPipeline } from "../compiler/passes/pipeline.js";
import { argsArb } from "./helpers/arbitraries.js";
import { EXAMPLES_DIR, PROGRAMS_DIR, clonePackage, exportedFunctionNames, lowerCached, tsFiles } from "./helpers/ir-tools.js";

const FILES = [...tsFiles(EXAMPLES_DIR), ...tsFiles(PROGRAMS_DIR)];

function roundTrip(pkg: Package, top: string, stage: string) {
  const text = printPackage(pkg);
  const parsed = parsePackage(text);
  expect(printPackage(parsed), `${top} ${stage}`).toBe(text);
  verifyPackage(parsed);
  // the parsed package means the same: a few inputs through both
  const fn = findFn(pkg, top)!;
  const a = compileInterpreter(pkg, fn), b = compileInterpreter(parsed, findFn(parsed, top)!);
  const sig = fn.sig!;
  for (const args of fc.sample(argsArb(sig.params), { seed: 7, numRuns: 20 })) {
    expect(valueEq(b(args), a(args)), `${top} ${stage}`).toBe(true);
  }
}

describe.each(FILES.map((f) => [path.relative(process.cwd(), f), f]))("%s", (_n, file) => {
  for (const top of exportedFunctionNames(file)) {
    it(`${top}: print → parse → print is the identity before, during and after the pipeline`, () => {
      const r = lowerCached(file, top);
      expect(r.diagnostics).toEqual([]);
      const pkg = clonePackage(r.pkg!);
      const sig = r.fn!.sig!;
      for (const f of pkg.fns) if (f.name === top) f.sig = sig;
      roundTrip(pkg, top, "as lowered");
      runPipeline(pkg, top, {
        after: (pass, p) => {
          const f = findFn(p, top)!;
          f.sig = sig;
          roundTrip(p, top, `after ${pass}`);
        },
      });
    });
  }
});

describe("IR parse errors name the line", () => {
  const good = [
    "package p",
    "",
    "fn f(a.1: b8, b.2: b8) -> b8 {",
    "  s.3: b8 = add(a.1, b.2) @x.ts:3:10",
    "  ret s.3",
    "}",
  ];
  it("the well-formed text parses and round-trips", () => {
    const text = good.join("\n") + "\n";
    expect(printPackage(parsePackage(text)).trim()).toBe(good.join("\n").trim());
  });
  const cases: [string, (l: string[]) => string[], number, RegExp][] = [
    ["an unknown op", (l) => l.map((x, i) => (i === 3 ? x.replace("add", "frobnicate") : x)), 4, /unknown op 'frobnicate'/],
    ["a use of an undefined value", (l) => l.map((x, i) => (i === 3 ? x.replace("b.2)", "c.9)") : x)), 4, /undefined value c\.9/],
    ["a duplicate id", (l) => [...l.slice(0, 4), "  t.3: b8 = sub(a.1, b.2)", ...l.slice(4)], 5, /id 3 defined twice/],
    ["a bad type", (l) => l.map((x, i) => (i === 3 ? x.replace(": b8 =", ": q8 =") : x)), 4, /unknown type/],
    ["a line that is not a node", (l) => [...l.slice(0, 4), "  this is not IR", ...l.slice(4)], 5, /cannot parse/],
    ["a return value that is unknown", (l) => l.map((x, i) => (i === 4 ? "  ret zz.77" : x)), 5, /unknown value zz\.77/],
    ["a missing closing brace", (l) => l.slice(0, 5), 5, /missing '}'/],
    ["a declared result type that differs", (l) => l.map((x, i) => (i === 2 ? x.replace("-> b8", "-> b9") : x)), 6, /returns b8, declared b9/],
    ["a node outside a function", (l) => ["package p", "  s.3: b8 = add(a.1, b.2)"], 2, /expected 'fn' or 'package'/],
    ["a bad value name", (l) => l.map((x, i) => (i === 3 ? x.replace("a.1,", "a1,") : x)), 4, /bad value name/],
  ];
  for (const [what, mutate, line, msg] of cases) {
    it(`${what}: line ${line}`, () => {
      const text = mutate(good).join("\n");
      let err: unknown;
      try { parsePackage(text); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(IrParseError);
      expect(String((err as Error).message)).toMatch(new RegExp(`^line ${line}: `));
      expect(String((err as Error).message)).toMatch(msg);
    });
  }
  it("a type error parses but fails verification", () => {
    const text = good.map((x, i) => (i === 3 ? "  s.3: b9 = add(a.1, b.2)" : i === 2 ? x.replace("-> b8", "-> b9") : x)).join("\n");
    expect(() => verifyPackage(parsePackage(text))).toThrow(/s\.3.*b9/);
  });
});
