/**
 * Diagnostics tests: every file test/diagnostics/*.ts states on its first line what it must produce
 * (`// expect: TSF1001 at 4:1`, several separated by commas, `via lowerTop [--top missing]` or
 * `via scheduleFn at N MHz [--target T]` (T's calibrated model) / `via kernel at N MHz` for codes reported after checking, or `pending (why)` for a code nothing
 * emits yet), and this runner checks the file yields exactly those diagnostics (code, line, column)
 * through checkFiles, and that each `// message: text` / `// suggestion: text` line of the file is
 * part of a diagnostic's message / suggestion. It also checks that every catalogue code except the internal one has a case
 * file, and that `tsfpga check` on the file with several banned constructs exits 1 without a trace.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { CATALOGUE } from "../compiler/diagnostics/catalogue.js";
import { checkFiles, compileKernel, compileTop, lowerTop } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { scheduleFn } from "../compiler/schedule/schedule.js";
import { withDelayModel } from "../compiler/schedule/delay-model.js";
import { legaliseFn } from "../compiler/schedule/legalise.js";
import { loadDelayModel } from "../sim/pnr/models.js";
import { ROOT } from "./helpers/ir-tools.js";

const DIR = path.join(ROOT, "test", "diagnostics");
const CASES = fs.readdirSync(DIR).filter((f) => f.endsWith(".ts")).sort();

interface Expectation { codes: { code: string; line: number; col: number }[]; via?: string; pending?: string }

function expectationOf(file: string): Expectation {
  const first = fs.readFileSync(path.join(DIR, file), "utf8").split("\n")[0];
  const m = /^\/\/ expect: (.*)$/.exec(first);
  if (!m) throw new Error(`${file}: the first line must be '// expect: …'`);
  const pending = /^pending \((.*)\)$/.exec(m[1]);
  if (pending) return { codes: [], pending: pending[1] };
  const via = / via (.*)$/.exec(m[1])?.[1];
  const codes = [...m[1].matchAll(/\b(TSF?\d+) at (\d+):(\d+)/g)].map((x) => ({ code: x[1], line: Number(x[2]), col: Number(x[3]) }));
  if (codes.length === 0) throw new Error(`${file}: no 'CODE at line:col' in '${first}'`);
  return { codes, via };
}

function diagnosticsOf(file: string, via: string | undefined) {
  const abs = path.join(DIR, file);
  if (!via) return checkFiles([abs]).diagnostics;
  let m: RegExpExecArray | null;
  if ((m = /^lowerTop(?: --top (\w+))?$/.exec(via))) return lowerTop(abs, m[1]).diagnostics;
  if ((m = /^scheduleFn at (\d+) MHz(?: --target ([\w-]+))?$/.exec(via))) {
    const r = compileTop(abs, undefined);
    expect(r.diagnostics).toEqual([]);
    const mhz = Number(m[1]);
    return m[2] ? withDelayModel(loadDelayModel(m[2]), () => scheduleFn(legaliseFn(r.fn!), mhz).diagnostics) : scheduleFn(r.fn!, mhz).diagnostics;
  }
  if ((m = /^kernel at (\d+) MHz$/.exec(via))) {
    const r = compileKernel(abs, undefined);
    expect(r.diagnostics).toEqual([]);
    return generateKernelHardware(r.fn!, r.kernel!, { clockMhz: Number(m[1]), source: file, sourceHash: "" }).diagnostics;
  }
  throw new Error(`${file}: unknown 'via ${via}'`);
}

const sortKey = (d: { code: string; line: number; col: number }) => `${String(d.line).padStart(5)}:${String(d.col).padStart(5)}:${d.code}`;

describe("diagnostic case files", () => {
  it("every catalogue code except internal has a case file", () => {
    const codes = Object.entries(CATALOGUE).filter(([k]) => k !== "internal").map(([, d]) => `TSF${d.code}`);
    const missing = codes.filter((c) => !CASES.some((f) => f.startsWith(`${c}-`)));
    expect(missing).toEqual([]);
    for (const f of CASES.filter((x) => x.startsWith("TSF"))) {
      expect(codes, `${f} names a catalogue code`).toContain(f.slice(0, 7));
    }
  });

  for (const file of CASES) {
    const e = expectationOf(file);
    if (e.pending) { it.todo(`${file}: ${e.pending}`); continue; }
    it(`${file}: ${e.codes.map((c) => `${c.code} at ${c.line}:${c.col}`).join(", ")}`, () => {
      const ds = diagnosticsOf(file, e.via);
      const got = ds.map((d) => ({ code: d.code, line: d.line, col: d.col })).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      const want = [...e.codes].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      expect(got, ds.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join("\n")).toEqual(want);
      for (const d of ds) {
        expect(d.message.length).toBeGreaterThan(0);
        if (d.code.startsWith("TSF")) {
          expect(d.message, "no unfilled {n} placeholders").not.toMatch(/\{\d\}/);
          expect(d.suggestion ?? "").not.toMatch(/\{\d\}/);
        }
      }
      // `// message: …` and `// suggestion: …` lines state text a diagnostic must show
      for (const [, kind, text] of fs.readFileSync(path.join(DIR, file), "utf8").matchAll(/^\/\/ (message|suggestion): (.*)$/gm)) {
        expect(ds.map((d) => (kind === "message" ? d.message : d.suggestion ?? "")), `${kind} of ${file}`).toContainEqual(expect.stringContaining(text));
      }
      // the case file is named after the code it is about
      if (!e.codes.some((c) => c.code === file.slice(0, 7)) && file.startsWith("TSF")) {
        expect(fs.readFileSync(path.join(DIR, file), "utf8").split("\n")[0]).toMatch(/cannot be reached/);
      }
    });
  }
});

describe("tsfpga check on several banned constructs", () => {
  const bin = path.join(ROOT, "bin", "tsfpga.js");
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, "dist", "compiler", "cli", "main.js"))) execFileSync("npx", ["tsc", "-p", "."], { cwd: ROOT, stdio: "ignore" });
  });

  it("exits 1, lists every problem with file:line:col and code, and prints no stack trace", () => {
    const file = path.join("test", "diagnostics", "multiple-banned.ts");
    const r = spawnSync(process.execPath, [bin, "check", file], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(1);
    const out = r.stdout + r.stderr;
    for (const c of expectationOf("multiple-banned.ts").codes) expect(out).toContain(`${file}:${c.line}:${c.col} - error ${c.code}:`);
    expect(out).toMatch(/Found 9 errors in 1 file/);
    expect(out).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(out).not.toMatch(/internal/i);
  });
});
