/**
 * simplify: local algebraic rewrites that never change a value — identities (x+0, x&~0, x|0,
 * shifts by 0), selects with a constant or identical arms, extensions and slices that are
 * no-ops or compose, field/index reads through the aggregate that built them, double negation.
 * Each rewrite replaces a node by an existing one, so the graph only shrinks.
 */
import { replaceUses, type Fn, type Node } from "../ir/ir.js";
import { mask } from "../ir/values.js";
import type { Pass } from "./pass.js";

const lit = (n: Node): bigint | undefined => (n.op === "literal" ? BigInt(n.attrs.value) : undefined);
const width = (n: Node) => (n.type.k === "bits" ? n.type.w : 0);

function rewrite(n: Node): Node | undefined {
  const [a, b, c] = n.operands;
  switch (n.op) {
    case "sel": {
      const s = lit(a);
      if (s !== undefined) return s ? b : c;
      if (b === c) return b;
      break;
    }
    case "add": case "or": case "xor":
      if (lit(b) === 0n) return a;
      if (lit(a) === 0n) return b;
      break;
    case "sub": case "shl": case "shrl": case "shra":
      if (lit(b) === 0n) return a;
      break;
    case "mul":
      if (lit(b) === 1n) return a;
      if (lit(a) === 1n) return b;
      break;
    case "and":
      if (lit(b) === mask(width(n))) return a;
      if (lit(a) === mask(width(n))) return b;
      if (a === b) return a;
      break;
    case "not":
      if (a.op === "not") return a.operands[0];
      break;
    case "zext": case "sext":
      if (Number(n.attrs.w) === width(a)) return a;
      break;
    case "slice":
      if (Number(n.attrs.lo) === 0 && Number(n.attrs.w) === width(a)) return a;
      if ((a.op === "zext" || a.op === "sext") && Number(n.attrs.lo) === 0 && Number(n.attrs.w) === width(a.operands[0])) return a.operands[0];
      break;
    case "field":
      if (a.op === "record" && a.type.k === "record") return a.operands[a.type.fields.findIndex((f) => f.name === n.attrs.name)];
      break;
    case "index": {
      const i = lit(b);
      if (a.op === "array" && i !== undefined && i < BigInt(a.operands.length)) return a.operands[Number(i)];
      if (a.op === "array" && a.operands.every((o) => o === a.operands[0])) return a.operands[0];
      break;
    }
    case "eq":
      if (width(a) === 1 && lit(b) === 1n) return a;
      if (width(a) === 1 && lit(a) === 1n) return b;
      break;
  }
  return undefined;
}

export function simplifyFn(fn: Fn): boolean {
  let changed = false;
  const repl = new Map<Node, Node>();
  for (const n of fn.nodes) {
    if (repl.size) n.operands = n.operands.map((o) => repl.get(o) ?? o);
    const r = rewrite(n);
    if (r && r !== n) { repl.set(n, repl.get(r) ?? r); changed = true; }
  }
  const r = repl.get(fn.ret);
  if (r) replaceUses(fn, fn.ret, r);
  if (changed) fn.nodes = fn.nodes.filter((n) => !repl.has(n) || fn.params.includes(n));
  return changed;
}

export const simplify: Pass = {
  name: "simplify",
  description: "algebraic identities, constant selects, no-op extensions and slices",
  run: (pkg) => pkg.fns.map(simplifyFn).some(Boolean),
};
