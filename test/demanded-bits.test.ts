/**
 * The demanded-bits pass: seeded random IR functions shaped like what it rewrites — masks and
 * partial reads of wide values, variable shifts and indexes whose amount has known bits (a
 * multiple of 4, a masked or or-ed value), compares and equalities against edge constants on
 * values with known-zero high bits, sums and products of extended values, selects between
 * constants, remainders — keep the interpreter's result bit for bit on random and edge-biased
 * inputs, after the pass alone and after the whole default pipeline, and the IR still verifies;
 * four of them also go through the backend (lint, Icarus, latch-free Yosys) and Verilator, whose
 * outputs must equal the interpreter's on the function before any pass.
 * On the examples: `s > 0xffff` on a 17-bit sum becomes a test of bit 16, `(x >>> 4·k) & 15` an
 * 8-way mux of nibbles, and FNV-1a over 16 bytes takes 22 stages at 250 MHz (24 without the pass).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { join } from "node:path";
import { Builder } from "../compiler/ir/builder.js";
import type { Node, Package } from "../compiler/ir/ir.js";
import { compileInterpreter } from "../compiler/interp/interp.js";
import { printPackage } from "../compiler/ir/printer.js";
import { arrayOf, bits } from "../compiler/ir/types.js";
import { valueEq, type Value } from "../compiler/ir/values.js";
import { verifyPackage } from "../compiler/ir/verifier.js";
import { PASSES, runPipeline } from "../compiler/passes/pipeline.js";
import { compileTop } from "../compiler/driver.js";
import { generateHardware } from "../compiler/verilog/backend.js";
import { clonePackage, EXAMPLES_DIR, ROOT, bitsWidth, rng } from "./helpers/ir-tools.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { cosim, toolChecks, type HwDesign } from "./cosim-helpers.js";

const w = bitsWidth;
const WIDTHS = [1, 3, 4, 5, 8, 12, 16, 17, 32, 33, 64];

/** Constants near the edges of a w-bit range: 0, 1, 2^k − 1, 2^k, 2^k + 1, all ones, random. */
function edgeConst(r: ReturnType<typeof rng>, width: number): bigint {
  const k = BigInt(r.int(width + 1));
  const m = (1n << BigInt(width)) - 1n;
  const v = r.pick([0n, 1n, (1n << k) - 1n, 1n << k, (1n << k) + 1n, m, BigInt(r.int(1 << 20)), BigInt(r.int(256)) << k]);
  return v & m;
}

/** A random function of 2–3 parameters and about 20 nodes, ending in partial reads of late nodes. */
function randomPackage(seed: number): Package {
  const r = rng(seed);
  const b = new Builder("f");
  const pool: Node[] = [];
  const np = 2 + r.int(2);
  for (let i = 0; i < np; i++) pool.push(b.param(`p${i}`, bits(r.pick(WIDTHS))));
  const at = (n: Node, width: number): Node => {
    if (w(n) === width) return n;
    if (w(n) > width) return b.add("slice", [n], { lo: r.int(w(n) - width + 1), w: width });
    return b.add(r.int(3) ? "zext" : "sext", [n], { w: width });
  };
  /** A value with known bits: masked, or-ed with a constant, zero-extended or a multiple of 2^k. */
  const shaped = (n: Node, width: number): Node => {
    const x = at(n, width);
    switch (r.int(5)) {
      case 0: return b.add("and", [x, b.literal(edgeConst(r, width), width)]);
      case 1: return b.add("or", [x, b.literal(edgeConst(r, width), width)]);
      case 2: { const k = 1 + r.int(Math.max(1, width - 1)); return b.add("zext", [at(n, k)], { w: width }); }
      case 3: return b.add("mul", [x, b.literal(1n << BigInt(r.int(Math.min(width, 4))), width)]);
      default: return x;
    }
  };
  for (let k = 0; k < 20; k++) {
    const x = r.pick(pool), y = r.pick(pool);
    const wx = w(x);
    let n: Node;
    switch (r.int(11)) {
      case 0: n = b.add(r.pick(["add", "sub", "mul", "and", "or", "xor"] as const), [shaped(x, wx), shaped(y, wx)]); break;
      case 1: { // a sum or product of extended values (the front end's exact widths)
        const ww = r.pick(WIDTHS.filter((v) => v > 1));
        const a = b.add("zext", [at(x, Math.max(1, ww - 1 - r.int(3)))], { w: ww }), c = b.add("zext", [at(y, Math.max(1, ww - 1 - r.int(3)))], { w: ww });
        n = b.add(r.pick(["add", "mul", "sub"] as const), [a, c]);
        break;
      }
      case 2: { // a variable shift whose amount has known bits
        const aw = r.pick([3, 4, 5, 6, 7]);
        n = b.add(r.pick(["shl", "shrl", "shra"] as const), [x, shaped(y, aw)]);
        break;
      }
      case 3: { // an unsigned compare against an edge constant, either side
        const v = shaped(x, wx), c = b.literal(edgeConst(r, wx), wx);
        const op = r.pick(["ult", "ule"] as const);
        n = b.add(op, r.int(2) ? [v, c] : [c, v]);
        break;
      }
      case 4: n = b.add(r.pick(["eq", "ne"] as const), [shaped(x, wx), r.int(2) ? b.literal(edgeConst(r, wx), wx) : shaped(y, wx)]); break;
      case 5: n = b.add(r.pick(["ult", "ule", "eq", "ne"] as const), [shaped(x, wx), shaped(y, wx)]); break;
      case 6: { // a select, often between constants
        const arm = () => (r.int(2) ? b.literal(edgeConst(r, wx), wx) : shaped(r.pick(pool), wx));
        n = b.add("sel", [at(y, 1), arm(), arm()]);
        break;
      }
      case 7: { // an index by a value with known bits, into a ROM or an array of values
        const n8 = r.pick([3, 4, 8, 16]);
        const els = Array.from({ length: n8 }, () => (r.int(2) ? b.literal(edgeConst(r, wx), wx) : at(r.pick(pool), wx)));
        const arr = b.add("array", els, {}, arrayOf(bits(wx), n8));
        n = b.add("index", [arr, shaped(y, r.pick([2, 3, 4, 5]))]);
        break;
      }
      case 8: n = b.add(r.pick(["umod", "udiv"] as const), [shaped(x, wx), b.literal(BigInt(1 + r.int(300)), wx)]); break;
      case 9: n = b.add("concat", [at(x, Math.min(wx, 16)), at(y, Math.min(w(y), 16))]); break;
      default: n = shaped(x, r.pick(WIDTHS)); break;
    }
    pool.push(n);
  }
  // The result reads a few bits of several late nodes, so most nodes are only partly demanded.
  const tail = pool.slice(-5).map((n) => {
    const k = 1 + r.int(Math.min(w(n), 8));
    return b.add("slice", [n], { lo: r.int(w(n) - k + 1), w: k });
  });
  return { name: "f", fns: [b.finish(b.add("concat", tail))] };
}

function edgeArg(width: number): fc.Arbitrary<bigint> {
  const m = (1n << BigInt(width)) - 1n;
  const edges = [0n, 1n, m, m - 1n, 1n << BigInt(width - 1), (1n << BigInt(width - 1)) - 1n].map((v) => v & m);
  return fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max: m }));
}

describe("demanded-bits keeps the meaning of random IR", () => {
  const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);
  let fired = 0;
  it.each(SEEDS)("random function #%i", (seed) => {
    const pkg = randomPackage(seed);
    verifyPackage(pkg);
    const fn = pkg.fns[0];
    const inputs = fc.sample(fc.tuple(...fn.params.map((p) => edgeArg(w(p)))).map((xs) => xs as Value[]), { seed, numRuns: 80 });
    const base = compileInterpreter(pkg, fn);
    const expected = inputs.map((a) => base(a));
    const check = (p: Package, what: string) => {
      verifyPackage(p);
      const run = compileInterpreter(p, p.fns[0]);
      inputs.forEach((a, i) => {
        const got = run(a);
        if (!valueEq(got, expected[i])) expect.fail(`seed ${seed} ${what}: args ${a.map(String).join(", ")}: got ${String(got)}, want ${String(expected[i])}\n${printPackage(pkg)}\n${printPackage(p)}`);
      });
    };
    const alone = clonePackage(pkg);
    if (PASSES.get("demanded-bits")!.run(alone, "f")) fired++;
    check(alone, "after demanded-bits alone");
    const p = clonePackage(pkg);
    runPipeline(p, "f");
    check(p, "after the default pipeline");
  });
  it("the pass rewrites something in most random functions", () => {
    expect(fired).toBeGreaterThan(SEEDS.length / 2);
  });
});

describe("demanded-bits on the examples", () => {
  const ops = (file: string, top: string) => compileTop(join(EXAMPLES_DIR, file), top).fn!.nodes.map((n) => n.op);
  it("satAddU16: `s > 0xffff` on the 17-bit sum is its bit 16, not a compare", () => {
    const fn = compileTop(join(EXAMPLES_DIR, "prices.ts"), "satAddU16").fn!;
    expect(fn.nodes.map((n) => n.op)).not.toContain("ult");
    expect(fn.nodes.some((n) => n.op === "slice" && n.attrs.lo === 16 && n.attrs.w === 1)).toBe(true);
  });
  it("hexDigitOf: `(x >>> 4·k) & 15` is an 8-way mux of nibbles, not a 32-bit barrel shifter", () => {
    const fn = compileTop(join(EXAMPLES_DIR, "bitops.ts"), "hexDigitOf").fn!;
    expect(fn.nodes.some((n) => n.op === "shrl")).toBe(false);
    expect(fn.nodes.some((n) => n.op === "index" && n.type.k === "bits" && n.type.w === 4 && n.operands[0].type.k === "array" && n.operands[0].type.n === 8)).toBe(true);
  });
  it("satSubU16: the 17-bit difference is computed in the 16 bits that are returned", () => {
    expect(ops("prices.ts", "satSubU16")).not.toContain("zext");
  });
  it("FNV-1a over 16 bytes: 22 stages at 250 MHz, 24 without the pass (unread high product bits)", () => {
    const stages = (skip: string[]) => {
      const r = compileTop(join(EXAMPLES_DIR, "checksums.ts"), "fnv1aOf16", { skip });
      const hw = generateHardware(r.fn!, { clockMhz: 250, source: "checksums.ts", sourceHash: "" });
      expect(hw.diagnostics).toEqual([]);
      return hw.schedule!.stages;
    };
    expect(stages(["demanded-bits"])).toBe(24);
    expect(stages([])).toBe(22);
  });
});

describe("demanded-bits: rewritten random functions in Verilator", () => {
  /** Seeds whose function the pass rewrites and that compile at 100 MHz; the first four. */
  const picked: { seed: number; before: Package; hw: HwDesign["hw"]; after: Package }[] = [];
  for (let seed = 1; picked.length < 4 && seed < 100; seed++) {
    const before = randomPackage(seed);
    const probe = clonePackage(before);
    if (!PASSES.get("demanded-bits")!.run(probe, "f")) continue;
    const after = clonePackage(before);
    runPipeline(after, "f");
    const fn = after.fns[0];
    const int = (width: number) => ({ k: "int", w: width, signed: false, big: width > 32 }) as const;
    fn.name = `dbits${seed}`;
    fn.sig = { params: fn.params.map((p) => ({ name: p.name!, type: int(w(p)) })), ret: int(w(fn.ret)) };
    const hw = generateHardware(fn, { clockMhz: 100, source: "demanded-bits", sourceHash: "" });
    if (hw.diagnostics.length) continue;
    before.fns[0].sig = fn.sig;
    picked.push({ seed, before, hw: hw as HwDesign["hw"], after });
  }
  it.each(picked.map((p) => [p.seed, p] as const))("random function #%i: lint, Icarus, Yosys, RTL = interpreter before the pass", async (_seed, p) => {
    const dir = join(ROOT, "build/test-hw/demanded-bits");
    mkdirSync(dir, { recursive: true });
    const vpath = join(dir, `${p.hw.module}.v`);
    writeFileSync(vpath, p.hw.verilog);
    expect(toolChecks(vpath, p.hw.module)).toEqual({ lint: "", icarus: "", yosys: "" });
    const d: HwDesign = { file: "demanded-bits", top: p.hw.module, mhz: 100, pkg: p.before, fn: p.before.fns[0], hw: p.hw, vpath };
    expect((await cosim(d, 1500, 0.2, p.seed)).summary).toBe("1500 outputs match");
  }, 600_000);
});
