/**
 * inline: replaces every `invoke` in the top function by a copy of the callee's body (callees
 * first inlined themselves), then drops functions the top no longer calls. Hardware has no call
 * stack, so after this pass the top is one flat dataflow graph.
 */
import { findFn, nextId, replaceUses, type Fn, type Node, type Package } from "../ir/ir.js";
import type { Pass } from "./pass.js";

function inlineInto(pkg: Package, fn: Fn, idGen: { next: number }, depth = 0): boolean {
  if (depth > 64) throw new Error(`internal: inline depth exceeded in ${fn.name}`);
  let changed = false;
  for (let i = 0; i < fn.nodes.length; i++) {
    const call = fn.nodes[i];
    if (call.op !== "invoke") continue;
    const callee = findFn(pkg, String(call.attrs.fn));
    if (!callee) throw new Error(`internal: invoke of unknown ${call.attrs.fn}`);
    const body = cloneFn(callee, idGen);
    inlineInto(pkg, body, idGen, depth + 1);
    const map = new Map<Node, Node>();
    body.params.forEach((p, k) => map.set(p, call.operands[k]));
    const copied = body.nodes.filter((n) => n.op !== "param");
    for (const n of copied) n.operands = n.operands.map((o) => map.get(o) ?? o);
    const ret = map.get(body.ret) ?? body.ret;
    fn.nodes.splice(i, 1, ...copied);
    replaceUses(fn, call, ret);
    i += copied.length - 1;
    changed = true;
  }
  return changed;
}

/** A deep copy of fn with fresh ids. */
export function cloneFn(fn: Fn, idGen: { next: number }): Fn {
  const map = new Map<Node, Node>();
  const nodes = fn.nodes.map((n) => {
    const c: Node = { ...n, id: idGen.next++, operands: n.operands.map((o) => map.get(o)!) };
    map.set(n, c);
    return c;
  });
  return { ...fn, params: fn.params.map((p) => map.get(p)!), nodes, ret: map.get(fn.ret)! };
}

export const inline: Pass = {
  name: "inline",
  description: "inline every invoke into the top function and drop the callees",
  run(pkg, top) {
    const fn = findFn(pkg, top);
    if (!fn) return false;
    const changed = inlineInto(pkg, fn, { next: nextId(pkg.fns) });
    const before = pkg.fns.length;
    pkg.fns = pkg.fns.filter((f) => f === fn);
    return changed || pkg.fns.length !== before;
  },
};
