/**
 * Robustness: 240 seeded mutations of the example files and test programs — deleted tokens, swapped
 * operators, inserted banned constructs, changed literals and types, duplicated lines, truncations —
 * go through checkFiles. Whatever the input, the compiler must answer with diagnostics, never an
 * internal error (TSF9001) or a thrown exception; inputs that still check cleanly are also run
 * through the default pass pipeline with IR verification.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { checkFiles } from "../compiler/driver.js";
import { runPipeline } from "../compiler/passes/pipeline.js";
import { EXAMPLES_DIR, PROGRAMS_DIR, clonePackage, tsFiles } from "./helpers/ir-tools.js";

const COUNT = 240;

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] };
}

interface Tok { start: number; end: number; kind: ts.SyntaxKind; text: string }
function tokens(src: string): Tok[] {
  const sc = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, src);
  const out: Tok[] = [];
  for (let k = sc.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = sc.scan()) out.push({ start: sc.getTokenStart(), end: sc.getTokenEnd(), kind: k, text: sc.getTokenText() });
  return out;
}

const OPERATORS = ["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", ">>>", "<", "<=", ">", ">=", "===", "!==", "&&", "||", "=", "+=", "**", "??", ","];
const BANNED = [
  "throw 1;", "const f = (z: number) => z;", "debugger;", "const s = \"str\";", "const fl = 1.5;", "const n = null;",
  "const m = Math.max(1, 2);", "console.log(1);", "while (true) {}", "for (;;) { break; }", "let q: any = 1;",
  "const o = { ...{} };", "new Array(3);", "class K {}", "function inner(): void {}", "label: for (let i = 0; i < 2; i++) { continue label; }",
  "const u = undefined;", "try { } catch { }", "delete ({} as any).x;", "const t = typeof 1;", "var v = 1;", "do { } while (false);",
  "const big = 9007199254740993;", "const e = 1e3;", "const x0 = 0x1_0000_0000_0000_0000n;", "return;", "return 1 / 0;",
  "const arr = [1, 2, 3]; arr[5] = 1;", "for (const k in {}) {}", "const g = function () {};", "yield 1;", "await 1;", "this;",
];
const NUMBERS = ["0", "1", "-1", "255", "256", "65536", "4294967295", "4294967296", "9007199254740992", "1.5", "0n", "1n", "18446744073709551616n", "-9223372036854775809n", "4097", "31", "32", "33", "64"];
const TYPES = ["u1", "u8", "u32", "u33", "u64", "i2", "i8", "i32", "i64", "boolean", "number", "bigint", "Vec<u8, 4>", "[u8, u16]", "any", "u8[]"];

function mutate(src: string, r: ReturnType<typeof rng>): { src: string; what: string } {
  const toks = tokens(src);
  if (toks.length < 2) return { src: `${src} }`, what: "append '}'" };
  const t = r.pick(toks.filter((x) => x.kind !== ts.SyntaxKind.WhitespaceTrivia && x.kind !== ts.SyntaxKind.NewLineTrivia && x.kind !== ts.SyntaxKind.SingleLineCommentTrivia && x.kind !== ts.SyntaxKind.MultiLineCommentTrivia));
  const splice = (a: number, b: number, s: string) => src.slice(0, a) + s + src.slice(b);
  switch (r.int(8)) {
    case 0: return { src: splice(t.start, t.end, ""), what: `delete '${t.text}' at ${t.start}` };
    case 1: {
      const ops = toks.filter((x) => OPERATORS.includes(x.text));
      const o = ops.length ? r.pick(ops) : t;
      const by = r.pick(OPERATORS);
      return { src: splice(o.start, o.end, by), what: `operator '${o.text}' → '${by}' at ${o.start}` };
    }
    case 2: {
      const lines = src.split("\n");
      const inBody = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s+(const|let|return|for|if|acc|c =|s )/.test(l));
      const at = inBody.length ? r.pick(inBody)[1] : r.int(lines.length);
      const b = r.pick(BANNED);
      lines.splice(at, 0, `  ${b}`);
      return { src: lines.join("\n"), what: `insert '${b}' before line ${at + 1}` };
    }
    case 3: {
      const nums = toks.filter((x) => x.kind === ts.SyntaxKind.NumericLiteral || x.kind === ts.SyntaxKind.BigIntLiteral);
      const n = nums.length ? r.pick(nums) : t;
      const by = r.pick(NUMBERS);
      return { src: splice(n.start, n.end, by), what: `literal '${n.text}' → '${by}' at ${n.start}` };
    }
    case 4: {
      const tys = toks.filter((x) => /^[ui]\d+$|^boolean$|^Vec$/.test(x.text));
      const n = tys.length ? r.pick(tys) : t;
      const by = r.pick(TYPES);
      return { src: splice(n.start, n.end, by), what: `type '${n.text}' → '${by}' at ${n.start}` };
    }
    case 5: {
      const lines = src.split("\n");
      const i = r.int(lines.length);
      lines.splice(i, 0, lines[i]);
      return { src: lines.join("\n"), what: `duplicate line ${i + 1}` };
    }
    case 6: {
      const at = r.int(src.length);
      return { src: src.slice(0, at), what: `truncate at ${at}` };
    }
    default: {
      // two token deletions and a swap of two adjacent tokens
      const a = r.pick(toks), b = r.pick(toks);
      const [x, y] = a.start < b.start ? [a, b] : [b, a];
      if (x.end > y.start) return { src: splice(x.start, x.end, ""), what: `delete '${x.text}'` };
      return { src: src.slice(0, x.start) + y.text + src.slice(x.end, y.start) + x.text + src.slice(y.end), what: `swap '${x.text}' and '${y.text}'` };
    }
  }
}

const SOURCES = [...tsFiles(EXAMPLES_DIR), ...tsFiles(PROGRAMS_DIR)];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsfpga-robust-"));
// Unmutated copies beside the mutants, so relative imports between the files still resolve.
fs.mkdirSync(path.join(dir, "examples", "basics"), { recursive: true });
for (const f of tsFiles(EXAMPLES_DIR)) fs.copyFileSync(f, path.join(dir, "examples", "basics", path.basename(f)));
fs.mkdirSync(path.join(dir, "test", "helpers", "programs"), { recursive: true });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("mutated dialect files never cause an internal error", () => {
  const r = rng(Number(process.env.TSFPGA_ROBUST_SEED ?? 20240601)); // another seed explores other mutants
  const cases = Array.from({ length: COUNT }, (_, i) => {
    const source = r.pick(SOURCES);
    let m = mutate(fs.readFileSync(source, "utf8"), r);
    if (r.int(3) === 0) { const m2 = mutate(m.src, r); m = { src: m2.src, what: `${m.what}; ${m2.what}` }; }
    return { i, source, ...m };
  });

  it.each(cases.map((c) => [c.i, path.basename(c.source), c.what, c] as const))("#%i %s: %s", (_i, _b, _w, c) => {
    const rel = path.relative(path.join(EXAMPLES_DIR, "..", ".."), c.source);
    const file = path.join(dir, path.dirname(rel), `mut${c.i}_${path.basename(c.source)}`);
    fs.writeFileSync(file, c.src);
    let result: ReturnType<typeof checkFiles>;
    try {
      result = checkFiles([file]);
    } catch (e) {
      throw new Error(`checkFiles threw on mutation '${c.what}' of ${c.source}: ${(e as Error).stack}\n--- input ---\n${c.src}`);
    }
    const internal = result.diagnostics.filter((d) => d.code === "TSF9001");
    expect(internal.map((d) => `${d.line}:${d.col} ${d.message}`), `mutation '${c.what}' of ${c.source}\n--- input ---\n${c.src}`).toEqual([]);
    for (const d of result.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(d.code.startsWith("TS") && d.file === "<tsfpga>" ? 0 : 1);
      if (d.code.startsWith("TSF")) expect(d.message).not.toMatch(/\{\d\}|\[object Object\]/);
    }
    if (result.diagnostics.length === 0) {
      for (const fn of result.lowering.fns.values()) {
        const pkg = clonePackage({ name: fn.name, fns: [...result.lowering.fns.values()] });
        runPipeline(pkg, fn.name, { verify: true });
      }
    }
  });
});
