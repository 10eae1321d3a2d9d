/**
 * cse: merges nodes with the same op, operands, attributes and type (commutative ops with their
 * operands sorted), so each distinct computation exists once in hardware.
 */
import { opDef } from "../ir/ops.js";
import { replaceUses, type Fn, type Node } from "../ir/ir.js";
import { typeToString } from "../ir/types.js";
import type { Pass } from "./pass.js";

function key(n: Node): string {
  const ids = n.operands.map((o) => o.id);
  if (opDef(n.op).commutative) ids.sort((a, b) => a - b);
  const attrs = Object.keys(n.attrs).sort().map((k) => `${k}=${String(n.attrs[k])}`).join(",");
  return `${n.op}|${ids.join(",")}|${attrs}|${typeToString(n.type)}`;
}

export function cseFn(fn: Fn): boolean {
  const seen = new Map<string, Node>();
  const repl = new Map<Node, Node>();
  for (const n of fn.nodes) {
    if (repl.size) n.operands = n.operands.map((o) => repl.get(o) ?? o);
    if (n.op === "param") continue;
    const k = key(n);
    const prev = seen.get(k);
    if (prev) repl.set(n, prev); else seen.set(k, n);
  }
  if (repl.size === 0) return false;
  fn.nodes = fn.nodes.filter((n) => !repl.has(n));
  const r = repl.get(fn.ret);
  if (r) replaceUses(fn, fn.ret, r);
  return true;
}

export const cse: Pass = {
  name: "cse",
  description: "merge identical computations",
  run: (pkg) => pkg.fns.map(cseFn).some(Boolean),
};
