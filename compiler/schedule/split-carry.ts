/**
 * Carry splitting: an adder, subtractor or magnitude comparator whose carry chain alone is longer
 * than the usable period (by the active delay model, generic or a calibrated target) is cut into chunks of equal width, each a short add
 * whose carry-out feeds the next chunk's carry-in. The scheduler may then put a register boundary
 * between chunks, so a wide add the user never wrote (the sum of a reciprocal multiply's partial
 * products, say) is pipelined instead of failing with TSF4001. The carry-in enters a chunk
 * through its bit 0: {a, 1} + {b, cin} = 2·(a + b + cin) + 1, so a chunk is still one add.
 * Subtraction is a + ~b + 1; a < b unsigned is "no carry out of a + ~b + 1"; signed compares flip
 * the sign bits first; a ≤ b is not (b < a). Results are exact (test/split-carry.test.ts checks
 * them against the interpreter and in Verilator). Like legalise.ts, it returns a new function and
 * leaves its input alone.
 */
import { nextId, type Fn, type Node } from "../ir/ir.js";
import type { OpName } from "../ir/ops.js";
import { bits } from "../ir/types.js";
import { delayOf } from "./delay-model.js";

const SPLIT = new Set<OpName>(["add", "sub", "ult", "ule", "slt", "sle"]);
const width = (n: Node) => (n.type.k === "bits" ? n.type.w : 0);

/** The active delay model's estimate for a w-bit add of two non-literal operands. */
function addNs(w: number): number {
  const p = (i: number): Node => ({ id: -1 - i, op: "param", type: bits(w), operands: [], attrs: { index: i } });
  return delayOf({ id: -3, op: "add", type: bits(w), operands: [p(0), p(1)], attrs: {} });
}

/** The widest chunk k whose add (k + 2 bits: the carry in and the carry out) fits the budget. */
export function chunkWidth(budgetNs: number): number {
  let k = 0;
  while (k < 4096 && addNs(k + 3) <= budgetNs + 1e-9) k++;
  return k;
}

export function splitCarries(fn: Fn, budgetNs: number): { fn: Fn; map: Map<number, Node> } {
  let id = nextId([fn]);
  const nodes: Node[] = [];
  const mk = (op: OpName, operands: Node[], w: number, attrs: Record<string, number | bigint> = {}, like?: Node): Node => {
    const n: Node = { id: id++, op, type: bits(w), operands, attrs, loc: like?.loc };
    nodes.push(n);
    return n;
  };
  const lit = (v: bigint, w: number, like: Node) => mk("literal", [], w, { value: v }, like);
  const slice = (a: Node, lo: number, w: number, like: Node) => (lo === 0 && w === width(a) ? a : mk("slice", [a], w, { lo, w }, like));
  const not = (a: Node, like: Node) => mk("not", [a], width(a), {}, like);

  /** a + b + cin in chunks of at most `c` bits: the w-bit sum (when `wantSum`) and the carry out. */
  const chain = (a: Node, b: Node, cin: Node | undefined, c: number, like: Node, wantSum = true): { sum?: Node; cout: Node } => {
    const w = width(a);
    const m = Math.ceil(w / c);
    const parts: Node[] = [];
    let carry = cin;
    for (let i = 0, lo = 0; i < m; i++) {
      const k = Math.ceil((w - lo) / (m - i));
      const aa = slice(a, lo, k, like), bb = slice(b, lo, k, like);
      let s: Node, sum: Node, cout: Node;
      if (!carry) {
        s = mk("add", [mk("zext", [aa], k + 1, { w: k + 1 }, like), mk("zext", [bb], k + 1, { w: k + 1 }, like)], k + 1, {}, like);
        sum = wantSum ? slice(s, 0, k, like) : s;
        cout = slice(s, k, 1, like);
      } else {
        const x = mk("concat", [aa, lit(1n, 1, like)], k + 1, {}, like);
        const y = mk("concat", [bb, carry], k + 1, {}, like);
        s = mk("add", [mk("zext", [x], k + 2, { w: k + 2 }, like), mk("zext", [y], k + 2, { w: k + 2 }, like)], k + 2, {}, like);
        sum = wantSum ? slice(s, 1, k, like) : s;
        cout = slice(s, k + 1, 1, like);
      }
      s.name = `${like.name ?? like.op}_part${i}`;
      parts.push(sum);
      carry = cout;
      lo += k;
    }
    if (!wantSum) return { cout: carry! };
    const sum = parts.length === 1 ? parts[0] : mk("concat", parts.slice().reverse(), w, {}, like);
    return { sum, cout: carry! };
  };
  /** Unsigned a < b: no carry out of a + ~b + 1. */
  const ult = (a: Node, b: Node, c: number, like: Node) => not(chain(a, not(b, like), lit(1n, 1, like), c, like, false).cout, like);
  const flipSign = (a: Node, like: Node) => {
    const w = width(a);
    const top = not(slice(a, w - 1, 1, like), like);
    return w === 1 ? top : mk("concat", [top, slice(a, 0, w - 1, like)], w, {}, like);
  };

  const c = chunkWidth(budgetNs);
  const map = new Map<number, Node>();
  for (const n0 of fn.nodes) {
    const n: Node = { ...n0, operands: n0.operands.map((o) => map.get(o.id)!) };
    const [a, b] = n.operands;
    if (!SPLIT.has(n.op) || c < 1 || delayOf(n) <= budgetNs || width(a) <= c) {
      nodes.push(n);
      map.set(n0.id, n);
      continue;
    }
    let r: Node;
    switch (n.op) {
      case "add": r = chain(a, b, undefined, c, n).sum!; break;
      case "sub": r = chain(a, not(b, n), lit(1n, 1, n), c, n).sum!; break;
      case "ult": r = ult(a, b, c, n); break;
      case "ule": r = not(ult(b, a, c, n), n); break;
      case "slt": r = ult(flipSign(a, n), flipSign(b, n), c, n); break;
      default: r = not(ult(flipSign(b, n), flipSign(a, n), c, n), n); break; // sle
    }
    r.name = n.name;
    map.set(n0.id, r);
  }
  const params = fn.params.map((p) => map.get(p.id)!);
  return { fn: { ...fn, params, nodes, ret: map.get(fn.ret.id)! }, map };
}
