/**
 * Lowering of the runtime's intrinsics (runtime/index.ts): the type constructors uN/iN, which
 * wrap to a width; bits/wideBits (slices); cat/wideCat (concatenation); sext/zext; div; char;
 * fill. Each produces exactly the value the runtime's JavaScript implementation computes; width
 * and position arguments must be compile-time constants.
 */
import ts = require("typescript"); // a require, not an ESM import: see frontend/program.ts
import { constInt, intAt, intAV, type AV, type IntAV } from "./avalues.js";
import * as A from "./arith.js";
import { contains, rangeOfType, reprOf, SAFE, type Range } from "./ranges.js";
import type { FnLowering } from "./lower.js";
import { widenHint } from "../diagnostics/hints.js";

export const RUNTIME_INTRINSICS = /^(?:[ui]\d+|bits|wideBits|cat|wideCat|sext|zext|div|char|fill|mem)$/;

/** The largest memory depth (entries): 2^20, past what the supported FPGAs hold for any element. */
export const MAX_MEM = 1 << 20;

function arity(L: FnLowering, e: ts.CallExpression, n: number): void {
  // TypeScript reports the wrong count too; lowering can still meet it (in a table whose own error it skips).
  if (e.arguments.length !== n) L.L.fail(e, "construct", [`a call of ${e.expression.getText()} with ${e.arguments.length} argument(s) instead of ${n}`]);
}

/** Wrap x to w bits (signed or not): the identity when x's range already fits. */
export function wrapTo(L: FnLowering, x: IntAV, w: number, signed: boolean, big: boolean): IntAV {
  const target = rangeOfType(w, signed);
  if (contains(target, x.r)) return { ...x, big };
  const node = L.b.add("slice", [intAt(L.b, x, Math.max(w, reprOf(x.r).w))], { lo: 0, w });
  return intAV(L.b, node, signed, target, big);
}

function sliceOf(L: FnLowering, x: IntAV, hi: number, lo: number, big: boolean): IntAV {
  const w = hi - lo + 1;
  const r: Range = x.r.lo >= 0n ? { lo: 0n, hi: minBig(x.r.hi >> BigInt(lo), (1n << BigInt(w)) - 1n) } : rangeOfType(w, false);
  if (x.r.lo >= 0n && lo === 0 && x.r.hi < 1n << BigInt(w)) return { ...x, big };
  const node = L.b.add("slice", [intAt(L.b, x, Math.max(hi + 1, reprOf(x.r).w))], { lo, w });
  return intAV(L.b, node, false, r, big);
}

const minBig = (a: bigint, b: bigint) => (a < b ? a : b);

export function lowerIntrinsic(L: FnLowering, name: string, e: ts.CallExpression): AV {
  const args = e.arguments;
  const cnum = (i: number, what: string) => Number(L.constOf(args[i], what));
  const m = /^([ui])(\d+)$/.exec(name);
  if (m) {
    arity(L, e, 1);
    const w = Number(m[2]);
    const v = L.expr(args[0]);
    const x: IntAV = v.k === "bool" ? intAV(L.b, v.node, false, { lo: 0n, hi: 1n }, false) : v.k === "int" ? v : L.L.fail(args[0], "construct", [`converting a ${v.k} to ${name}`]);
    return wrapTo(L, x, w, m[1] === "i", w > 32);
  }
  switch (name) {
    case "bits":
    case "wideBits": {
      arity(L, e, 3);
      const x = L.intOf(args[0]);
      const hi = cnum(1, "the high bit of bits()"), lo = cnum(2, "the low bit of bits()");
      if (lo < 0 || hi < lo || hi > 255 || (name === "bits" && hi - lo + 1 > 32)) {
        const wide = name === "bits" && lo >= 0 && hi >= lo && hi <= 255;
        L.L.fail(e, "badConstant", [`the bit range of ${name}()`, `${hi}:${lo}`, `hi:lo with 0 ≤ lo ≤ hi ≤ 255${name === "bits" ? " and at most 32 bits" : ""}`,
          wide ? `for more than 32 bits write wideBits(${args[0].getText()}, ${hi}, ${lo}) (a bigint result)` : `${name}(x, hi, lo) takes bits hi down to lo, e.g. ${name}(x, 7, 0) for the low byte`]);
      }
      return sliceOf(L, x, hi, lo, name === "wideBits");
    }
    case "cat":
    case "wideCat": {
      arity(L, e, 3);
      const hi = L.intOf(args[0]), lo = L.intOf(args[1]);
      const lw = cnum(2, "the low width of cat()");
      if (lw < 1 || lw > 256) L.L.fail(args[2], "badConstant", [`the low width of ${name}()`, lw, "between 1 and 256", `${name}(hi, lo, w) puts hi above the low w bits of lo, e.g. ${name}(a, b, 8)`]);
      const low = sliceOf(L, lo, lw - 1, 0, false);
      const r: Range = { lo: (hi.r.lo << BigInt(lw)) + low.r.lo, hi: (hi.r.hi << BigInt(lw)) + low.r.hi };
      if (name === "cat" && !contains(SAFE, r)) L.L.fail(e, "unsafeNumber", [e.getText(), r.hi, widenHint(e.getText(), [])]);
      const node = L.b.add("concat", [hi.node, intAt(L.b, low, lw)]);
      return intAV(L.b, node, hi.r.lo < 0n, r, name === "wideCat");
    }
    case "sext":
    case "zext": {
      arity(L, e, 2);
      const x = L.intOf(args[0]);
      const w = cnum(1, `the width of ${name}()`);
      if (w < 1 || w > 256) L.L.fail(args[1], "badConstant", [`the width of ${name}()`, w, "between 1 and 256 (the width of the result)", `${name}(x, w) ${name === "zext" ? "zero" : "sign"}-extends x to w bits, e.g. ${name}(${args[0].getText()}, 32)`]);
      return wrapTo(L, x, w, name === "sext", x.big);
    }
    case "div": {
      arity(L, e, 2);
      const x = L.intOf(args[0]);
      const d = L.constOf(args[1], "the divisor of div()");
      if (d === 0n) L.L.fail(args[1], "divisorNotConst");
      return A.divmod(L.b, x, d, false);
    }
    case "char": {
      arity(L, e, 1);
      const a = args[0];
      if (!ts.isStringLiteral(a) || a.text.length !== 1) return L.L.fail(a, "string");
      return constInt(L.b, BigInt(a.text.charCodeAt(0)), false);
    }
    case "fill": {
      arity(L, e, 2);
      const n = cnum(0, "the length of fill()");
      if (n < 1 || n > 4096) L.L.fail(args[0], "badConstant", ["the length of fill()", n, "between 1 and 4096", "fill(n, v) makes an array of n copies of v, e.g. fill(8, u8(0))"]);
      const v = L.expr(args[1]);
      if (v.k === "record" || v.k === "array") L.L.fail(args[1], "allocation");
      return { k: "array", elems: Array.from({ length: n }, () => v) };
    }
    case "mem": {
      if (args.length !== 3) arity(L, e, 2);
      if (L.decl) L.L.fail(e, "memUse", ["creating a memory inside a function"]);
      const n = cnum(0, "the size of mem()");
      if (n < 2 || n > MAX_MEM) L.L.fail(args[0], "badConstant", ["the size of mem()", n, `between 2 and ${MAX_MEM}`, "mem(n, v) makes a memory of n entries, each v at reset, e.g. mem(4096, u32(0))"]);
      const fill = L.expr(args[1]);
      if (fill.k === "mem") L.L.fail(args[1], "memUse", ["a memory of memories"]);
      if (args.length < 3) return { k: "mem", id: "", n, fill };
      // mem(n, fill, TABLE): entries 0…TABLE.length−1 start as the table's, the rest as fill.
      const table = L.expr(args[2]);
      if (table.k !== "array") return L.L.fail(args[2], "memUse", ["a memory's initial table that is not an array (a module-level Vec const)"]);
      if (table.elems.length > n) L.L.fail(args[2], "badConstant", ["the length of mem()'s table", table.elems.length, `at most the memory's size ${n}`, "the table gives the first entries at reset; the rest are the fill value"]);
      return { k: "mem", id: "", n, fill, table: table.elems };
    }
  }
  return L.L.fail(e, "notAFunction", [name]);
}
