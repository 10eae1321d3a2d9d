/**
 * const-fold: evaluates every node whose operands are all constants with the interpreter's op
 * semantics (interp/eval.ts) and turns it into a literal — the meaning of each op is written only
 * once. Aggregates of constants (array/record nodes over literals) count as constants, so a ROM
 * read at a constant index folds too.
 */
import { EVAL } from "../interp/eval.js";
import type { Fn, Node } from "../ir/ir.js";
import { opDef } from "../ir/ops.js";
import type { Value } from "../ir/values.js";
import type { Pass } from "./pass.js";

function constValue(n: Node, memo: Map<Node, Value | null>): Value | null {
  const m = memo.get(n);
  if (m !== undefined) return m;
  let v: Value | null = null;
  if (n.op === "literal") v = BigInt(n.attrs.value);
  else if (n.op === "array" || n.op === "record") {
    const parts = n.operands.map((o) => constValue(o, memo));
    v = parts.every((p) => p !== null) ? (parts as Value[]) : null;
  }
  memo.set(n, v);
  return v;
}

export function constFoldFn(fn: Fn): boolean {
  let changed = false;
  const memo = new Map<Node, Value | null>();
  for (const n of fn.nodes) {
    if (n.op === "literal" || n.op === "param" || n.op === "array" || n.op === "record" || opDef(n.op).opaque) continue;
    if (n.type.k !== "bits" || n.operands.length === 0) continue;
    const args = n.operands.map((o) => constValue(o, memo));
    if (args.some((a) => a === null)) continue;
    const v = EVAL[n.op](args as Value[], n.attrs, n.type, n.operands.map((o) => o.type)) as bigint;
    n.op = "literal";
    n.operands = [];
    n.attrs = { value: v };
    memo.set(n, v);
    changed = true;
  }
  return changed;
}

export const constFold: Pass = {
  name: "const-fold",
  description: "evaluate nodes whose operands are constants (with the interpreter)",
  run: (pkg) => pkg.fns.map(constFoldFn).some(Boolean),
};
