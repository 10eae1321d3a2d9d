/**
 * narrow: width narrowing where it is provably safe. (1) An add/sub/mul/neg/and/or/xor/not
 * whose users only read its low k bits (slices at bit 0) is recomputed in k bits — the low bits
 * of these ops depend only on the low bits of their operands. (2) An `and` with a constant mask
 * of k significant bits is computed in k bits and zero-extended. Fewer bits, same values.
 */
import { Builder } from "../ir/builder.js";
import { nextId, usersOf, type Fn, type Node } from "../ir/ir.js";
import type { Pass } from "./pass.js";

const LOW_BIT_OPS = new Set(["add", "sub", "mul", "neg", "and", "or", "xor", "not"]);
const bitLength = (x: bigint) => (x <= 0n ? 0 : x.toString(2).length);
const width = (n: Node) => (n.type.k === "bits" ? n.type.w : 0);

export function narrowFn(fn: Fn, idGen: { next: number }): boolean {
  const users = usersOf(fn);
  let changed = false;
  const out: Node[] = [];
  const b = new Builder(fn.name, idGen.next);
  const emit = (op: Parameters<Builder["add"]>[0], ops: Node[], attrs: Record<string, number> = {}, loc = undefined as Node["loc"]) => {
    b.loc = loc;
    const before = b.fn.nodes.length;
    const n = b.add(op, ops, attrs);
    out.push(...b.fn.nodes.slice(before));
    return n;
  };
  for (const n of fn.nodes) {
    out.push(n);
    if (!LOW_BIT_OPS.has(n.op) || n === fn.ret) continue;
    const us = users.get(n.id) ?? [];
    if (us.length === 0) continue;
    let k = 0;
    if (us.every((u) => u.op === "slice" && Number(u.attrs.lo) === 0 && u.operands[0] === n)) k = Math.max(...us.map((u) => Number(u.attrs.w)));
    const maskLit = n.op === "and" ? n.operands.find((o) => o.op === "literal") : undefined;
    const maskW = maskLit ? Math.max(1, bitLength(BigInt(maskLit.attrs.value))) : 0;
    if (maskLit && maskW < width(n) && (k === 0 || maskW < k)) {
      const ops = n.operands.map((o) => emit("slice", [o], { lo: 0, w: maskW }, n.loc));
      const narrow = emit("and", ops, {}, n.loc);
      const ext = emit("zext", [narrow], { w: width(n) }, n.loc);
      for (const u of us) u.operands = u.operands.map((o) => (o === n ? ext : o));
      changed = true;
      continue;
    }
    if (k === 0 || k >= width(n)) continue;
    const ops = n.operands.map((o) => emit("slice", [o], { lo: 0, w: k }, n.loc));
    const narrow = emit(n.op as Parameters<Builder["add"]>[0], ops, {}, n.loc);
    narrow.name = n.name;
    for (const u of us) u.operands = u.operands.map((o) => (o === n ? narrow : o));
    changed = true;
  }
  idGen.next = b.nextId;
  fn.nodes = out;
  return changed;
}

export const narrow: Pass = {
  name: "narrow",
  description: "compute ops in fewer bits when only their low bits are used",
  run(pkg) {
    const idGen = { next: nextId(pkg.fns) };
    return pkg.fns.map((f) => narrowFn(f, idGen)).some(Boolean);
  },
};
