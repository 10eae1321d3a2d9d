/**
 * The IR text printer. The format is line-oriented and round-trips through parser.ts:
 *
 *   fn add8(a.1: b8, b.2: b8) -> b9 {
 *     zext.3: b9 = zext(a.1) [w=9] @basics.ts:3:10
 *     ret add.5
 *   }
 *
 * Attributes are `[k=v, …]` (integers in decimal, bigints as 0x… hex, strings bare), and the
 * optional `@file:line:col` is the TypeScript location. Printing is deterministic.
 */
import { nodeRef, type Fn, type Node, type Package } from "./ir.js";
import { nameText, typeToString } from "./types.js";

function attrText(n: Node): string {
  const keys = Object.keys(n.attrs);
  if (keys.length === 0) return "";
  const parts = keys.map((k) => {
    const v = n.attrs[k];
    return `${k}=${typeof v === "bigint" ? `0x${v.toString(16)}` : typeof v === "string" ? nameText(v) : String(v)}`;
  });
  return ` [${parts.join(", ")}]`;
}

export function printNode(n: Node): string {
  const loc = n.loc ? ` @${n.loc.file}:${n.loc.line}:${n.loc.col}` : "";
  return `${nodeRef(n)}: ${typeToString(n.type)} = ${n.op}(${n.operands.map(nodeRef).join(", ")})${attrText(n)}${loc}`;
}

export function printFn(fn: Fn): string {
  const params = fn.params.map((p) => `${nodeRef(p)}: ${typeToString(p.type)}`).join(", ");
  const lines = [`fn ${fn.name}(${params}) -> ${typeToString(fn.ret.type)} {`];
  for (const n of fn.nodes) if (n.op !== "param") lines.push(`  ${printNode(n)}`);
  lines.push(`  ret ${nodeRef(fn.ret)}`, "}");
  return lines.join("\n");
}

export function printPackage(pkg: Package): string {
  return [`package ${pkg.name}`, "", ...pkg.fns.map((f) => printFn(f) + "\n")].join("\n");
}
