/**
 * Pass correctness on random IR: seeded random dataflow functions over bit-vector parameters
 * (every bits op, literals, width changes, selects, aggregates read back) are built with the IR
 * builder, verified, and run through each pass alone and through the default pipeline; the
 * interpreter must give the same result before and after on random inputs, and the IR must still
 * verify and round-trip through its text form.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Builder } from "../compiler/ir/builder.js";
import type { Node, Package } from "../compiler/ir/ir.js";
import { compileInterpreter } from "../compiler/interp/interp.js";
import { parsePackage } from "../compiler/ir/parser.js";
import { printPackage } from "../compiler/ir/printer.js";
import { arrayOf, bits, recordOf } from "../compiler/ir/types.js";
import { valueEq, type Value } from "../compiler/ir/values.js";
import { verifyPackage } from "../compiler/ir/verifier.js";
import { PASSES, runPipeline } from "../compiler/passes/pipeline.js";
import { clonePackage, bitsWidth, rng } from "./helpers/ir-tools.js";


const WIDTHS = [1, 3, 8, 16, 32, 33, 64];
const w = bitsWidth;

/** A random function of 2–3 parameters and about 25 nodes. */
function randomPackage(seed: number): Package {
  const r = rng(seed);
  const b = new Builder("f");
  const pool: Node[] = [];
  const np = 2 + r.int(2);
  for (let i = 0; i < np; i++) pool.push(b.param(`p${i}`, bits(r.pick(WIDTHS))));
  const at = (n: Node, width: number): Node => {
    if (w(n) === width) return n;
    if (w(n) > width) return b.add("slice", [n], { lo: r.int(w(n) - width + 1), w: width });
    return b.add(r.int(2) ? "sext" : "zext", [n], { w: width });
  };
  for (let k = 0; k < 25; k++) {
    const x = r.pick(pool), y = r.pick(pool);
    const wx = w(x);
    let n: Node;
    switch (r.int(12)) {
      case 0: n = b.literal(BigInt(r.int(1 << 16)) * BigInt(r.int(3) === 0 ? 1 << 20 : 1), r.pick(WIDTHS)); break;
      case 1: n = b.add(r.pick(["add", "sub", "mul", "and", "or", "xor"] as const), [x, at(y, wx)]); break;
      case 2: n = b.add(r.pick(["neg", "not"] as const), [x]); break;
      case 3: n = b.add(r.pick(["shl", "shrl", "shra"] as const), [x, r.int(2) ? at(y, Math.min(w(y), 7)) : b.literal(BigInt(r.int(wx + 2)), 7)]); break;
      case 4: n = b.add(r.pick(["eq", "ne", "ult", "ule", "slt", "sle"] as const), [x, at(y, wx)]); break;
      case 5: n = b.add(r.pick(["udiv", "sdiv", "umod", "smod"] as const), [x, r.int(2) ? b.literal(BigInt(1 + r.int(200)), wx) : at(y, wx)]); break;
      case 6: n = at(x, r.pick(WIDTHS)); break;
      case 7: n = b.add("concat", [x, y]); if (w(n) > 128) n = at(n, 64); break;
      case 8: n = b.add("sel", [at(y, 1), x, at(r.pick(pool), wx)]); break;
      case 9: { // an array built and read back at a run-time index, or updated
        const arr = b.add("array", [x, at(y, wx), at(r.pick(pool), wx)], {}, arrayOf(bits(wx), 3));
        const idx = at(r.pick(pool), 2);
        n = r.int(2) ? b.add("index", [arr, idx]) : b.add("index", [b.add("update", [arr, idx, at(y, wx)]), b.literal(BigInt(r.int(3)), 2)]);
        break;
      }
      case 10: { // a record built, a field replaced and read back
        const t = recordOf([{ name: "a", type: bits(wx) }, { name: "b", type: bits(1) }]);
        const rec = b.add("record", [x, at(y, 1)], {}, t);
        const set = r.int(2) ? b.add("setfield", [rec, at(r.pick(pool), wx)], { name: "a" }) : rec;
        n = b.add("field", [set], { name: r.pick(["a", "b"]) });
        break;
      }
      default: n = b.add("and", [x, b.literal(BigInt(r.int(256)), wx)]); break;
    }
    pool.push(n);
  }
  // The result reads several late nodes so little of the graph is dead.
  const tail = pool.slice(-4).map((n) => at(n, Math.min(w(n), 32)));
  const ret = b.add("concat", tail);
  const fn = b.finish(ret);
  return { name: "f", fns: [fn] };
}

describe("passes keep the meaning of random IR", () => {
  const SEEDS = Array.from({ length: 150 }, (_, i) => i + 1);
  it.each(SEEDS)("random function #%i", (seed) => {
    const pkg = randomPackage(seed);
    verifyPackage(pkg);
    if (seed === 1 && process.env.SHOW_IR) console.log(printPackage(pkg));
    const fn = pkg.fns[0];
    const argArb = fc.tuple(...fn.params.map((p) => fc.bigInt({ min: 0n, max: (1n << BigInt(w(p))) - 1n }))).map((xs) => xs as Value[]);
    const inputs = fc.sample(argArb, { seed, numRuns: 60 });
    const base = compileInterpreter(pkg, fn);
    const expected = inputs.map((a) => base(a));
    const check = (p: Package, what: string) => {
      verifyPackage(p);
      const text = printPackage(p);
      expect(printPackage(parsePackage(text)), what).toBe(text);
      const run = compileInterpreter(p, p.fns[0]);
      inputs.forEach((a, i) => {
        if (!valueEq(run(a), expected[i])) expect.fail(`seed ${seed} ${what}: args ${a.map(String).join(", ")}: got ${String(run(a))}, want ${String(expected[i])}\n${printPackage(pkg)}`);
      });
    };
    for (const name of PASSES.keys()) {
      const p = clonePackage(pkg);
      PASSES.get(name)!.run(p, "f");
      check(p, `after ${name} alone`);
    }
    const p = clonePackage(pkg);
    runPipeline(p, "f", { after: (name, q) => check(q, `after ${name} in the pipeline`) });
  });
});
