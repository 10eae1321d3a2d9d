/** dce: removes nodes the return value does not depend on (params always stay). */
import type { Fn, Node } from "../ir/ir.js";
import type { Pass } from "./pass.js";

export function dceFn(fn: Fn): boolean {
  const live = new Set<Node>([fn.ret, ...fn.params]);
  for (let i = fn.nodes.length - 1; i >= 0; i--) {
    const n = fn.nodes[i];
    if (live.has(n)) for (const o of n.operands) live.add(o);
  }
  const before = fn.nodes.length;
  fn.nodes = fn.nodes.filter((n) => live.has(n));
  return fn.nodes.length !== before;
}

export const dce: Pass = {
  name: "dce",
  description: "remove nodes that do not reach the return value",
  run: (pkg) => pkg.fns.map(dceFn).some(Boolean),
};
