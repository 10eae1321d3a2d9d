/**
 * Range rules that once failed (issue 7 items 1, 3, 10, 18), checked through every execution:
 * division and remainder by constants larger than the dividend (the reciprocal legalisation on
 * exhaustive IR inputs, and a dialect sweep of divisors against dividend types, native =
 * interpreter = legalised interpreter), bigint right shifts by any amount, indexes guarded by a
 * comparison (accepted, and the forms the TSF3004 suggestion names really compile), and a mutated
 * Vec passed to a helper whose result cannot alias it. test/helpers/programs/guards.ts holds the
 * programs (the differential tests run them too); its `combined` top is co-simulated in Verilator
 * against the interpreter, which the native run matches on the same arguments.
 */
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkFiles, compileTop } from "../compiler/driver.js";
import { compileInterpreter } from "../compiler/interp/interp.js";
import { jsToJson, valueToJs, valueToJson } from "../compiler/interp/convert.js";
import { Builder } from "../compiler/ir/builder.js";
import type { Fn, Package } from "../compiler/ir/ir.js";
import { bits } from "../compiler/ir/types.js";
import { valueEq } from "../compiler/ir/values.js";
import { legaliseFn } from "../compiler/schedule/legalise.js";
import { delayOf } from "../compiler/schedule/delay-model.js";
import { generateHardware } from "../compiler/verilog/backend.js";
import { randomArgs, rng } from "../compiler/verilog/vectors.js";
import { nativeFunction } from "../sim/native.js";
import { FULL, cosim, lint, type HwDesign } from "./cosim-helpers.js";
import { ROOT } from "./helpers/ir-tools.js";

const GUARDS = join(ROOT, "test/helpers/programs/guards.ts");
const OUT = join(ROOT, "build/test-range-rules");

/** Native and interpreter (as compiled, and after legalisation) agree on `count` random arguments. */
async function threeWay(file: string, top: string, count: number, seed: number): Promise<{ pkg: Package; fn: Fn }> {
  const r = compileTop(file, top);
  expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([]);
  const fn = r.fn!, sig = fn.sig!;
  const interp = compileInterpreter(r.pkg!, fn);
  const leg = legaliseFn(fn);
  const legInterp = compileInterpreter({ ...r.pkg!, fns: r.pkg!.fns.map((f) => (f === fn ? leg : f)) }, leg);
  const native = await nativeFunction(file, top);
  const next = rng(seed);
  for (let k = 0; k < count; k++) {
    const args = randomArgs(fn, next);
    const got = interp(args);
    const want = jsToJson(native(...sig.params.map((p, i) => valueToJs(args[i], p.type))));
    const show = () => `${top}(${JSON.stringify(sig.params.map((p, i) => valueToJson(args[i], p.type)))})`;
    expect(valueToJson(got, sig.ret), show()).toEqual(want);
    expect(valueEq(legInterp(args), got), `${show()} after legalisation`).toBe(true);
  }
  return { pkg: r.pkg!, fn };
}

/** Compile top at 250 MHz, lint it, and co-simulate `count` random vectors per stall level. */
async function rtlEqualsInterp(pkg: Package, fn: Fn, top: string, file: string, count: number, pressures: number[]): Promise<void> {
  const hw = generateHardware(fn, { clockMhz: 250, source: file, sourceHash: createHash("sha256").update(readFileSync(file)).digest("hex") });
  expect(hw.diagnostics).toEqual([]);
  mkdirSync(OUT, { recursive: true });
  const vpath = join(OUT, `${top}.v`);
  writeFileSync(vpath, hw.verilog!);
  expect(lint(vpath)).toBe("");
  const d: HwDesign = { file, top, mhz: 250, pkg, fn, hw: hw as HwDesign["hw"], vpath };
  for (const pressure of pressures) {
    const r = await cosim(d, count, pressure, 7);
    expect(r.ok, r.summary).toBe(true);
    expect(r.transactions).toBe(count);
  }
}

describe("division and remainder by a constant larger than the dividend (item 1)", () => {
  // a is a k-bit value zero- or sign-extended to W bits, so the reciprocal is built for k bits
  // while the divisor may be anything W bits hold: at or above 2^k it exceeds every dividend.
  const cases: [string, number, number, bigint][] = [];
  for (const op of ["udiv", "umod", "sdiv", "smod"]) {
    for (const [k, W] of [[1, 4], [3, 8], [8, 17], [9, 12], [10, 24]] as const) {
      const ds = new Set<bigint>([3n, 7n, 10n, (1n << BigInt(k)) - 1n, 1n << BigInt(k), (1n << BigInt(k)) + 1n, 3n << BigInt(k), (1n << BigInt(W - 1)) - 1n]);
      if (op.startsWith("s")) for (const d of [...ds]) ds.add(-d);
      for (const d of ds) if (d !== 0n && d !== 1n && d !== -1n && d < 1n << BigInt(W - 1)) cases.push([op, k, W, d]);
    }
  }
  it.each(cases)("%s of a %i-bit value in %i bits by %i: legalised = original on every input", (op, k, W, d) => {
    const b = new Builder("f");
    const p = b.param("a", bits(k));
    const a = b.add(op.startsWith("s") ? "sext" : "zext", [p], { w: W });
    const fn = b.finish(b.add(op as "udiv", [a, b.literal(BigInt.asUintN(W, d), W)]));
    fn.sig = { params: [{ name: "a", type: { k: "int", w: k, signed: false, big: false } }], ret: { k: "int", w: W, signed: false, big: false } };
    const leg = legaliseFn(fn);
    expect(leg.nodes.some((x) => ["udiv", "umod", "sdiv", "smod"].includes(x.op) && delayOf(x) > 5)).toBe(false);
    const ref = compileInterpreter({ name: "t", fns: [fn] }, fn);
    const got = compileInterpreter({ name: "t", fns: [leg] }, leg);
    for (let v = 0n; v < 1n << BigInt(k); v++) expect(got([v]), `a = ${v}`).toBe(ref([v]));
  });

  // The dialect sweep: every dividend type against divisors below, at and beyond its range.
  const TYPES = ["u1", "u3", "u8", "u13", "u16", "u24", "u32", "i8", "i16", "i32", "u33", "u40", "u64", "i40", "i64"];
  // In RTL: the u8 and u40 of the issue in make test; every type with make test-full (TSFPGA_TEST_FULL=1).
  const RTL_TYPES = FULL ? TYPES : ["u8", "u40"];
  const SWEEP = join(OUT, "sweep.ts");
  function sweepSource(): string {
    const lines = [`import { ${TYPES.join(", ")}, div } from "tsfpga";`];
    for (const t of TYPES) {
      const signed = t[0] === "i", w = Number(t.slice(1)), big = w > 32;
      const max = signed ? 1n << BigInt(w - 1) : 1n << BigInt(w);
      const ds = [...new Set([2n, 3n, 7n, 10n, 255n, 256n, 257n, 1000n, 1000003n, max - 1n, max, max + 1n, 3n * max, 10000000000000n])]
        .filter((d) => big || d < 1n << 53n)
        .flatMap((d) => [d, -d]);
      const fields: string[] = [], body: string[] = [];
      for (const d of ds) {
        const n = d < 0n ? `m${-d}` : `p${d}`;
        // The quotient's type: the dividend's, or signed one wider when a negative divisor flips it.
        const q = d > 0n || signed ? t : big ? "i64" : "i32";
        fields.push(`q_${n}: ${q}; r_${n}: ${t}`);
        const lit = big ? `${d}n` : `${d}`;
        body.push(`q_${n}: ${q}(${big ? `a / ${lit}` : `div(a, ${lit})`}), r_${n}: ${t}(a % ${big ? lit : d < 0n ? `(${lit})` : lit})`);
      }
      lines.push(`interface R_${t} { ${fields.join("; ")} }`);
      lines.push(`export function sweep_${t}(a: ${t}): R_${t} {\n  return { ${body.join(",\n    ")} };\n}`);
    }
    // Several types at once, for one co-simulated design.
    lines.push(`interface Rtl { ${RTL_TYPES.map((t) => `${t}: R_${t}`).join("; ")} }`);
    lines.push(`export function sweepRtl(${RTL_TYPES.map((t) => `a_${t}: ${t}`).join(", ")}): Rtl {\n  return { ${RTL_TYPES.map((t) => `${t}: sweep_${t}(a_${t})`).join(", ")} };\n}`);
    return lines.join("\n") + "\n";
  }

  it("sweep of divisors against dividend types: compiles; native = interpreter = legalised interpreter", async () => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(SWEEP, sweepSource());
    for (const t of TYPES) await threeWay(SWEEP, `sweep_${t}`, 300, t.length * 7 + t.charCodeAt(1));
  }, 120_000);

  it.runIf(FULL)(`sweep in Verilator (${RTL_TYPES.join(", ")}): RTL = interpreter = native (make test-full)`, async () => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(SWEEP, sweepSource());
    const { pkg, fn } = await threeWay(SWEEP, "sweepRtl", 300, 1);
    await rtlEqualsInterp(pkg, fn, "sweepRtl", SWEEP, 1000, [0.3]);
  }, 600_000);

  it.each(["divBig", "modBig", "modOfZero", "bigDivBig", "signedDivBig", "divEdges"])("%s: the issue's example compiles, legalises and agrees", async (top) => {
    await threeWay(GUARDS, top, 500, 11);
  });
});

describe("bigint right shifts never grow a value (item 3)", () => {
  it.each(["shrVar", "shrConst", "shrWide"])("%s: accepted; native = interpreter = legalised interpreter", async (top) => {
    await threeWay(GUARDS, top, 1000, 3);
  });

  it("a bigint left shift by an amount up to 65535 is still TSF3009", () => {
    const ds = checkFiles([join(ROOT, "test/diagnostics/TSF3009-too-wide.ts")]).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(["TSF3009"]);
  });
});

describe("indexes guarded by a comparison (item 10)", () => {
  const forms = ["guardIf", "guardElse", "guardTernary", "guardClamp", "guardAnd", "guardEarlyReturn", "guardSigned", "guardConsts", "guardNe", "guardOr", "guardBreak", "guardReassigned"];
  it.each(forms)("%s: accepted; native = interpreter = legalised interpreter", async (top) => {
    await threeWay(GUARDS, top, 1000, 5);
  });

  it("the TSF3004 suggestion names forms that compile", () => {
    mkdirSync(OUT, { recursive: true });
    const bad = join(OUT, "unguarded.ts");
    writeFileSync(bad, `import { u8, i8, Vec } from "tsfpga";\nexport function f(a: Vec<u8, 8>, i: u8): u8 {\n  return a[i];\n}\nexport function g(b: Vec<u8, 5>, i: i8): u8 {\n  return b[i];\n}\n`);
    const ds = checkFiles([bad]).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(["TSF3004", "TSF3004"]);
    expect(ds[0].suggestion).toContain("if (i < 8) { … a[i] … }, i < 8 ? a[i] : 0, or const k = i < 8 ? i : 7; a[k], or mask it: a[i & 7]");
    expect(ds[1].suggestion).toContain("if (i >= 0 && i < 5) { … b[i] … }, i >= 0 && i < 5 ? b[i] : 0, or const k = i >= 0 && i < 5 ? i : 4; b[k]");
    expect(ds[1].suggestion).not.toContain("mask");
    // Each suggested form, written out, compiles.
    const good = join(OUT, "suggested.ts");
    writeFileSync(good, [
      `import { u8, i8, Vec } from "tsfpga";`,
      `export function f1(a: Vec<u8, 8>, i: u8): u8 { let r = u8(0); if (i < 8) { r = a[i]; } return r; }`,
      `export function f2(a: Vec<u8, 8>, i: u8): u8 { return u8(i < 8 ? a[i] : 0); }`,
      `export function f3(a: Vec<u8, 8>, i: u8): u8 { const k = i < 8 ? i : 7; return a[k]; }`,
      `export function f4(a: Vec<u8, 8>, i: u8): u8 { return a[i & 7]; }`,
      `export function g1(b: Vec<u8, 5>, i: i8): u8 { let r = u8(0); if (i >= 0 && i < 5) { r = b[i]; } return r; }`,
      `export function g2(b: Vec<u8, 5>, i: i8): u8 { return u8(i >= 0 && i < 5 ? b[i] : 0); }`,
      `export function g3(b: Vec<u8, 5>, i: i8): u8 { const k = i >= 0 && i < 5 ? i : 4; return b[k]; }`,
    ].join("\n") + "\n");
    expect(checkFiles([good], { lowerAll: true }).diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([]);
  });

  it("narrowing ends where the guard no longer holds", () => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, "unsound.ts");
    writeFileSync(file, [
      `import { u8, Vec } from "tsfpga";`,
      // after the if, i is no longer known to be < 8
      `export function after(a: Vec<u8, 8>, i: u8): u8 { let r = u8(0); if (i < 8) { r = a[i]; } return u8(r + a[i]); }`,
      // in the else arm the guard is false
      `export function elseArm(a: Vec<u8, 8>, i: u8): u8 { return u8(i < 8 ? 0 : a[i]); }`,
      // the variable is reassigned inside the guarded block
      `export function reassigned(a: Vec<u8, 8>, x: u8): u8 { let i: number = x; let r = 0; if (i < 8) { i = i + 1; r = a[i]; } return u8(r); }`,
      // an if that does not end the flow does not narrow what follows
      `export function noExit(a: Vec<u8, 8>, i: u8): u8 { let r = u8(0); if (i >= 8) { r = u8(1); } return u8(r + a[i]); }`,
    ].join("\n") + "\n");
    const ds = checkFiles([file], { lowerAll: true }).diagnostics;
    expect(ds.map((d) => `${d.line} ${d.code}`)).toEqual(["2 TSF3004", "3 TSF3004", "4 TSF3004", "5 TSF3004"]);
  });
});

describe("a mutated Vec passed to a helper returning another type (item 18)", () => {
  it("statsOfMutated: accepted; native = interpreter", async () => {
    await threeWay(GUARDS, "statsOfMutated", 500, 9);
  });

  it("a helper that may return the argument itself (or a record holding it) is still TSF1021", () => {
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, "alias.ts");
    writeFileSync(file, [
      `import { u8, Vec } from "tsfpga";`,
      `interface Box { v: Vec<u8, 2>; n: u8 }`,
      `interface Pair { a: u8; b: u8 }`,
      `interface Wide { a: u8; b: u8; c: u8 }`,
      `function same(v: Vec<u8, 2>): Vec<u8, 2> { return v; }`,
      `function boxed(v: Vec<u8, 2>): Box { return { v: v, n: u8(0) }; }`,
      `function narrower(w: Wide): Pair { return w; }`,
      `export function f(x: u8): u8 { const v: Vec<u8, 2> = [x, x]; v[0] = u8(1); const s = same(v); return s[1]; }`,
      `export function g(x: u8): u8 { const v: Vec<u8, 2> = [x, x]; v[0] = u8(1); const b = boxed(v); return b.v[1]; }`,
      `export function h(x: u8): u8 { const w: Wide = { a: x, b: x, c: x }; w.a = u8(1); const p = narrower(w); return p.b; }`,
    ].join("\n") + "\n");
    const ds = checkFiles([file], { lowerAll: true }).diagnostics;
    expect(ds.map((d) => `${d.line} ${d.code}`)).toEqual(["8 TSF1021", "9 TSF1021", "10 TSF1021"]);
  });
});

describe("RTL: every case in one design (items 1, 3, 10, 18)", () => {
  it("combined: lint-clean; Verilator = interpreter on 2,000 vectors at 0% and 30% stalls; native = interpreter", async () => {
    const { pkg, fn } = await threeWay(GUARDS, "combined", 2000, 21);
    await rtlEqualsInterp(pkg, fn, "combined", GUARDS, 2000, [0, 0.3]);
  }, 600_000);
});
