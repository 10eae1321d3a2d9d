/**
 * Semantics of every IR op: EVAL (compiler/interp/eval.ts, the oracle every engine must match) is
 * compared against an independent BigInt reference written here from the op definitions — results
 * wrap to the result width, signed ops read two's complement, shifts by at least the width give 0
 * (or the sign fill for shra), division by zero follows eval.ts's stated convention. Each bits op
 * runs at widths 1, 8, 32, 33, 63 and 64 on an edge-value cross product plus seeded random operands.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { EVAL, valueHasType } from "../compiler/interp/eval.js";
import { OP_NAMES, type Attrs, type OpName } from "../compiler/ir/ops.js";
import { arrayOf, bits, recordOf, type Type } from "../compiler/ir/types.js";
import type { Value } from "../compiler/ir/values.js";
import { Builder } from "../compiler/ir/builder.js";
import { compileInterpreter } from "../compiler/interp/interp.js";

const WIDTHS = [1, 8, 32, 33, 63, 64];
const P = (k: number) => 2n ** BigInt(k);

// ---- reference arithmetic, deliberately without BigInt.asUintN/asIntN ----------------------------
const modW = (x: bigint, w: number) => ((x % P(w)) + P(w)) % P(w);
const signedOf = (x: bigint, w: number) => (x >= P(w - 1) ? x - P(w) : x);
const floorDiv = (a: bigint, b: bigint) => {
  const q = a / b; // truncates
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
};
const truncDiv = (a: bigint, b: bigint) => {
  const q = floorDiv(a < 0n ? -a : a, b < 0n ? -b : b);
  return (a < 0n) !== (b < 0n) ? -q : q;
};
const bitAt = (x: bigint, i: number) => floorDiv(x, P(i)) % 2n;
const bitwise = (a: bigint, b: bigint, w: number, f: (x: bigint, y: bigint) => bigint) => {
  let r = 0n;
  for (let i = 0; i < w; i++) r += f(bitAt(a, i), bitAt(b, i)) * P(i);
  return r;
};

type Ref2 = (a: bigint, b: bigint, w: number) => bigint;
const BINARY: Partial<Record<OpName, Ref2>> = {
  add: (a, b, w) => modW(a + b, w),
  sub: (a, b, w) => modW(a - b, w),
  mul: (a, b, w) => modW(a * b, w),
  udiv: (a, b, w) => (b === 0n ? P(w) - 1n : floorDiv(a, b)),
  umod: (a, b) => (b === 0n ? a : a - b * floorDiv(a, b)),
  sdiv: (a, b, w) => (b === 0n ? 0n : modW(truncDiv(signedOf(a, w), signedOf(b, w)), w)),
  smod: (a, b, w) => {
    if (b === 0n) return a;
    const x = signedOf(a, w), y = signedOf(b, w);
    return modW(x - y * truncDiv(x, y), w);
  },
  and: (a, b, w) => bitwise(a, b, w, (x, y) => x * y),
  or: (a, b, w) => bitwise(a, b, w, (x, y) => (x + y > 0n ? 1n : 0n)),
  xor: (a, b, w) => bitwise(a, b, w, (x, y) => (x + y) % 2n),
  eq: (a, b) => (a === b ? 1n : 0n),
  ne: (a, b) => (a !== b ? 1n : 0n),
  ult: (a, b) => (a < b ? 1n : 0n),
  ule: (a, b) => (a <= b ? 1n : 0n),
  slt: (a, b, w) => (signedOf(a, w) < signedOf(b, w) ? 1n : 0n),
  sle: (a, b, w) => (signedOf(a, w) <= signedOf(b, w) ? 1n : 0n),
};
const COMPARES = new Set<OpName>(["eq", "ne", "ult", "ule", "slt", "sle"]);
const SHIFTS: Partial<Record<OpName, Ref2>> = {
  shl: (a, k, w) => (k >= BigInt(w) ? 0n : modW(a * P(Number(k)), w)),
  shrl: (a, k, w) => (k >= BigInt(w) ? 0n : floorDiv(a, P(Number(k)))),
  shra: (a, k, w) => {
    const s = signedOf(a, w);
    if (k >= BigInt(w)) return s < 0n ? P(w) - 1n : 0n;
    return modW(floorDiv(s, P(Number(k))), w);
  },
};

/** A small set of operands per width: 0, 1, 2, the top values and the sign boundary. */
function edges(w: number): bigint[] {
  const s = new Set([0n, 1n, 2n, P(w) - 1n, P(w) - 2n, P(w - 1), P(w - 1) - 1n, P(w - 1) + 1n, 3n, P(w) / 3n]);
  return [...s].filter((x) => x >= 0n && x < P(w));
}
const canon = (w: number) => fc.oneof(fc.bigInt({ min: 0n, max: P(w) - 1n }), fc.constantFrom(...edges(w)));

function evalOp(op: OpName, args: Value[], attrs: Attrs, type: Type, operandTypes: Type[]): Value {
  const v = EVAL[op](args, attrs, type, operandTypes);
  expect(valueHasType(v, type), `${op} result ${String(v)} has type`).toBe(true);
  return v;
}

function checkPairs(w: number, aw: number, f: (a: bigint, b: bigint) => void, seed: number) {
  for (const a of edges(w)) for (const b of edges(aw)) f(a, b);
  fc.assert(fc.property(canon(w), canon(aw), (a, b) => { f(a, b); }), { seed, numRuns: 300 });
}

describe("IR op semantics against a BigInt reference", () => {
  it("every op in the table has a test here", () => {
    const covered = new Set<string>([
      ...Object.keys(BINARY), ...Object.keys(SHIFTS),
      "literal", "param", "neg", "not", "zext", "sext", "slice", "concat", "sel",
      "record", "field", "setfield", "array", "index", "update", "invoke", "memread",
    ]);
    expect(OP_NAMES.filter((o) => !covered.has(o))).toEqual([]);
  });

  it("memread reads the entry of the memory the kernel stepper holds (test/kernel-mem.test.ts runs it in kernels)", () => {
    const b = new Builder("rd", 1);
    const a = b.param("a", bits(3));
    const fn = b.finish(b.add("memread", [a], { mem: "m" }, bits(8)));
    const run = compileInterpreter({ name: "p", fns: [fn] }, fn, new Map([["m", [10n, 11n, 12n, 13n, 14n, 15n, 16n, 17n]]]));
    expect(run([5n])).toBe(15n);
    expect(() => compileInterpreter({ name: "p", fns: [fn] }, fn)).toThrow(/outside a kernel stepper/);
  });

  for (const [op, ref] of Object.entries(BINARY) as [OpName, Ref2][]) {
    for (const w of WIDTHS) {
      it(`${op} at b${w}`, () => {
        const t = bits(w);
        const rt = COMPARES.has(op) ? bits(1) : t;
        checkPairs(w, w, (a, b) => {
          expect(evalOp(op, [a, b], {}, rt, [t, t]), `${op}(${a}, ${b}) at b${w}`).toBe(ref(a, b, w));
        }, w * 131 + op.length);
      });
    }
  }

  for (const [op, ref] of Object.entries(SHIFTS) as [OpName, Ref2][]) {
    for (const w of WIDTHS) {
      for (const aw of [...new Set([w, 8, 1])]) {
        it(`${op} b${w} by a b${aw} amount`, () => {
          const t = bits(w);
          checkPairs(w, aw, (a, k) => {
            expect(evalOp(op, [a, k], {}, t, [t, bits(aw)]), `${op}(${a}, ${k}) at b${w}`).toBe(ref(a, k, w));
          }, w * 7 + aw);
        });
      }
    }
  }

  for (const w of WIDTHS) {
    it(`neg, not, literal at b${w}`, () => {
      const t = bits(w);
      const check = (a: bigint) => {
        expect(evalOp("neg", [a], {}, t, [t])).toBe(modW(-a, w));
        expect(evalOp("not", [a], {}, t, [t])).toBe(P(w) - 1n - a);
        expect(evalOp("literal", [], { value: a }, t, [])).toBe(a);
        expect(evalOp("literal", [], { value: a + P(w) }, t, [])).toBe(a); // wraps to the type
      };
      edges(w).forEach(check);
      fc.assert(fc.property(canon(w), (a) => { check(a); }), { seed: w, numRuns: 300 });
    });

    it(`zext and sext from b${w}`, () => {
      const t = bits(w);
      const check = (a: bigint) => {
        for (const to of [w, w + 1, 64, 65, 128]) {
          expect(evalOp("zext", [a], { w: to }, bits(to), [t])).toBe(a);
          expect(evalOp("sext", [a], { w: to }, bits(to), [t]), `sext(${a}) b${w}→b${to}`).toBe(modW(signedOf(a, w), to));
        }
      };
      edges(w).forEach(check);
      fc.assert(fc.property(canon(w), (a) => { check(a); }), { seed: w + 1, numRuns: 200 });
    });

    it(`slice of b${w}`, () => {
      const t = bits(w);
      const check = (a: bigint, lo: number, sw: number) =>
        expect(evalOp("slice", [a], { lo, w: sw }, bits(sw), [t])).toBe(floorDiv(a, P(lo)) % P(sw));
      for (const a of edges(w)) for (let lo = 0; lo < w; lo += Math.max(1, w >> 3)) for (const sw of [1, w - lo]) check(a, lo, sw);
      fc.assert(fc.property(canon(w), fc.nat(w - 1), fc.nat(w), (a, lo, s) => { check(a, lo, Math.max(1, Math.min(s, w - lo))); }), { seed: w + 2, numRuns: 300 });
    });

    it(`concat with a b${w} high part`, () => {
      for (const lw of [1, 8, 32, 33]) {
        const check = (h: bigint, l: bigint) =>
          expect(evalOp("concat", [h, l], {}, bits(w + lw), [bits(w), bits(lw)])).toBe(h * P(lw) + l);
        checkPairs(w, lw, check, w + lw);
      }
      // three parts: the first operand is the most significant
      expect(evalOp("concat", [1n, 0n, 1n], {}, bits(w + 9), [bits(w), bits(8), bits(1)])).toBe(P(9) + 1n);
    });

    it(`sel of b${w}`, () => {
      const t = bits(w);
      checkPairs(w, w, (a, b) => {
        expect(evalOp("sel", [1n, a, b], {}, t, [bits(1), t, t])).toBe(a);
        expect(evalOp("sel", [0n, a, b], {}, t, [bits(1), t, t])).toBe(b);
      }, w + 3);
    });
  }

  it("records: record, field, setfield", () => {
    const rt = recordOf([{ name: "a", type: bits(8) }, { name: "b", type: bits(33) }, { name: "c", type: bits(1) }]);
    const r = evalOp("record", [5n, P(33) - 1n, 1n], {}, rt, [bits(8), bits(33), bits(1)]) as Value[];
    expect(r).toEqual([5n, P(33) - 1n, 1n]);
    expect(evalOp("field", [r], { name: "b" }, bits(33), [rt])).toBe(P(33) - 1n);
    expect(evalOp("field", [r], { name: "c" }, bits(1), [rt])).toBe(1n);
    const r2 = evalOp("setfield", [r, 7n], { name: "a" }, rt, [rt, bits(8)]);
    expect(r2).toEqual([7n, P(33) - 1n, 1n]);
    expect(r).toEqual([5n, P(33) - 1n, 1n]); // values, not references
  });

  for (const w of WIDTHS) {
    it(`arrays of b${w}: array, index, update`, () => {
      const n = 5;
      const at = arrayOf(bits(w), n);
      fc.assert(fc.property(fc.array(canon(w), { minLength: n, maxLength: n }), fc.nat(n - 1), canon(w), (xs, i, v) => {
        const arr = evalOp("array", xs, {}, at, xs.map(() => bits(w))) as Value[];
        expect(arr).toEqual(xs);
        for (const iw of [3, 8, 64]) {
          expect(evalOp("index", [arr, BigInt(i)], {}, bits(w), [at, bits(iw)])).toBe(xs[i]);
          const u = evalOp("update", [arr, BigInt(i), v], {}, at, [at, bits(iw), bits(w)]);
          expect(u).toEqual(xs.map((x, j) => (j === i ? v : x)));
        }
        expect(arr).toEqual(xs);
      }), { seed: w + 4, numRuns: 100 });
    });
  }

  it("param and invoke have no value of their own", () => {
    expect(() => EVAL.param([], { index: 0 }, bits(8), [])).toThrow(/internal/);
    expect(() => EVAL.invoke([], { fn: "f" }, bits(8), [])).toThrow(/internal/);
  });
});
