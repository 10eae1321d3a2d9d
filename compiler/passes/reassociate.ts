/**
 * reassociate: tree-height reduction, so a chain over N terms takes about log2 N logic levels
 * instead of N. Two rewrites, each applied only where it lowers the level count of a root:
 * (1) word level — a maximal single-use chain of one associative, commutative op (`and`, `or`,
 * `xor`, `add`) is flattened to its terms and rebuilt as a tree that combines the two earliest
 * terms first (Huffman order on their levels). `add` chains are followed through `zext` only when
 * the inner sum provably cannot wrap, and every rebuilt add is given the exact width of its bound,
 * so widths stay exact and the interpreter's result is unchanged (a same-width add chain is
 * modular, and modular addition reassociates); chains of min or of max (`x < y ? x : y`) become
 * tournament trees. (2) bit level — a value that is GF(2)-linear in
 * the bits of its non-linear inputs (xor, not, masks, shifts and slices by constants, selects
 * whose two arms differ by a constant, 1-bit equality tests: a CRC) is rebuilt bit by bit, each
 * output bit a balanced xor tree of the input bits it depends on. Nothing else is reordered:
 * FNV-1a's xor-then-multiply per byte is not associative as a whole and keeps its chain.
 */
import { Builder } from "../ir/builder.js";
import { nextId, usersOf, type Fn, type Node } from "../ir/ir.js";
import type { OpName } from "../ir/ops.js";
import type { Pass } from "./pass.js";

const width = (n: Node) => (n.type.k === "bits" ? n.type.w : 0);
const lit = (n: Node): bigint | undefined => (n.op === "literal" ? BigInt(n.attrs.value) : undefined);
const bitLen = (x: bigint) => (x <= 0n ? 0 : x.toString(2).length);
/** Ops that are wiring (no logic level): selecting, extending, joining and constant shifts. */
const WIRING = new Set<OpName>(["literal", "param", "zext", "sext", "slice", "concat", "record", "field", "setfield", "array", "not"]);
/** Widest value tracked bit by bit; wider linear values are left alone. */
const MAX_LINEAR_WIDTH = 64;

/**
 * A streaming kernel's step: its state parameter counts as arriving LATE levels after the other
 * inputs, so trees combine the beat and configuration terms first and add the state last — the
 * part that does not read the state can then run ahead of the one-cycle state loop.
 */
const LATE = 10_000;
const stateParamOf = new WeakMap<Fn, Node>();

/** Logic levels from the function's inputs to each node (wiring and constant shifts count 0). */
function levels(fn: Fn): Map<Node, number> {
  const lv = new Map<Node, number>();
  const late = stateParamOf.get(fn);
  if (late) lv.set(late, LATE);
  for (const n of fn.nodes) {
    if (n === late) continue;
    const base = Math.max(0, ...n.operands.map((o) => lv.get(o) ?? 0));
    const free = WIRING.has(n.op) || ((n.op === "shl" || n.op === "shrl" || n.op === "shra") && lit(n.operands[1]) !== undefined)
      || ((n.op === "index" || n.op === "update") && lit(n.operands[1]) !== undefined);
    lv.set(n, base + (free ? 0 : 1));
  }
  return lv;
}

/** A term waiting to be combined: the node, its level, and (for add) an upper bound of its value. */
interface Term { n: Node; lv: number; ub: bigint }

/** Combine terms two at a time, earliest first; `join` builds one combination. */
function huffman(terms: Term[], join: (a: Term, b: Term) => Term): Term {
  const q = terms.slice();
  while (q.length > 1) {
    q.sort((a, b) => a.lv - b.lv || Number(a.ub - b.ub));
    const a = q.shift()!, b = q.shift()!;
    q.push(join(a, b));
  }
  return q[0];
}

/** Height after a Huffman rebuild of terms at these levels. */
function huffmanHeight(lvs: number[]): number {
  return huffman(lvs.map((lv) => ({ n: undefined as unknown as Node, lv, ub: 0n })), (a, b) => ({ n: a.n, lv: Math.max(a.lv, b.lv) + 1, ub: 0n })).lv;
}

// ---------------------------------------------------------------- word level

const ASSOC = new Set<OpName>(["and", "or", "xor", "add"]);

/** Upper bound of an unsigned value, looking through zext, literals and exact adds. */
function upper(n: Node, memo: Map<Node, bigint>): bigint {
  const hit = memo.get(n);
  if (hit !== undefined) return hit;
  const all = (1n << BigInt(width(n))) - 1n;
  let u = all;
  if (n.op === "literal") u = BigInt(n.attrs.value);
  else if (n.op === "zext") u = upper(n.operands[0], memo);
  else if (n.op === "add") { const s = upper(n.operands[0], memo) + upper(n.operands[1], memo); if (s <= all) u = s; }
  else if (n.op === "sel") u = [upper(n.operands[1], memo), upper(n.operands[2], memo)].reduce((a, b) => (a > b ? a : b));
  else if (n.op === "and") u = [upper(n.operands[0], memo), upper(n.operands[1], memo)].reduce((a, b) => (a < b ? a : b));
  memo.set(n, u);
  return u;
}

/**
 * A predicated accumulation `c ? a ⊕ y : a` becomes `a ⊕ (c ? y : e)`, e the identity of ⊕
 * (0 for add, xor, or; all ones for and): the same value, and `a` no longer waits for the
 * select, so a chain of conditional additions becomes a chain of additions the word-level
 * rewrite can balance. Only when the select is the op's only user.
 */
function unpredicate(fn: Fn, idGen: { next: number }): boolean {
  const users = usersOf(fn);
  const repl = new Map<Node, Node[]>();
  for (const n of fn.nodes) {
    if (n.op !== "sel") continue;
    const [c, t, e] = n.operands;
    for (const [arm, other, armFirst] of [[t, e, true], [e, t, false]] as const) {
      if (!ASSOC.has(arm.op) || (users.get(arm.id) ?? []).length !== 1 || arm === fn.ret) continue;
      const k = arm.operands.indexOf(other);
      if (k < 0) continue;
      const y = arm.operands[1 - k];
      const b = new Builder(fn.name, idGen.next);
      b.loc = n.loc;
      const id = b.literal(arm.op === "and" ? (1n << BigInt(width(y))) - 1n : 0n, width(y));
      const pick = b.add("sel", armFirst ? [c, y, id] : [c, id, y]);
      const r = b.add(arm.op, [other, pick]);
      r.name = n.name ?? arm.name;
      idGen.next = b.nextId;
      repl.set(n, b.fn.nodes);
      break;
    }
  }
  if (!repl.size) return false;
  const out: Node[] = [];
  const map = new Map<Node, Node>();
  for (const n of fn.nodes) {
    const r = repl.get(n);
    if (r) { out.push(...r); map.set(n, r[r.length - 1]); } else out.push(n);
  }
  for (const n of out) n.operands = n.operands.map((o) => map.get(o) ?? o);
  if (map.has(fn.ret)) fn.ret = map.get(fn.ret)!;
  fn.nodes = out;
  return true;
}

function wordLevel(fn: Fn, idGen: { next: number }): boolean {
  const users = usersOf(fn);
  const lv = levels(fn);
  const ubMemo = new Map<Node, bigint>();
  const single = (n: Node) => (users.get(n.id)?.length ?? 0) === 1 && n !== fn.ret;
  const exactAdd = (n: Node) => n.op === "add" && upper(n.operands[0], ubMemo) + upper(n.operands[1], ubMemo) <= (1n << BigInt(width(n))) - 1n;
  // A node is inside a chain when its only user is a chain node that will absorb it.
  const absorbs = (user: Node, o: Node, modular: boolean): boolean => {
    if (!single(o)) return false;
    if (o.op === user.op && width(o) === width(user)) return user.op !== "add" || modular || exactAdd(o);
    return user.op === "add" && o.op === "zext" && single(o.operands[0]) && exactAdd(o.operands[0]) ? true : false;
  };
  const rw = new Rewrites();
  const absorbed = new Set<Node>();
  // From the last node back, so the top of each chain is met before its inner nodes.
  for (const root of fn.nodes.slice().reverse()) {
    if (!ASSOC.has(root.op) || root.type.k !== "bits" || absorbed.has(root)) continue;
    const terms: Node[] = [];
    let ops = 0;
    const walk = (n: Node, modular: boolean) => {
      ops++;
      absorbed.add(n);
      for (const o of n.operands) {
        if (o.op === n.op && absorbs(n, o, modular)) walk(o, modular);
        else if (n.op === "add" && o.op === "zext" && absorbs(n, o, modular)) walk(o.operands[0], false);
        else terms.push(o);
      }
    };
    walk(root, true);
    if (ops < 2) continue;
    const old = lv.get(root)!;
    // Only where it pays two levels or more: a chain someone balanced by hand (whose terms may
    // differ in real delay more than in levels) is left as written.
    if (huffmanHeight(terms.map((t) => lv.get(t)!)) > old - 2) continue;
    const b = new Builder(fn.name, idGen.next);
    b.loc = root.loc;
    const W = width(root);
    const topAll = (1n << BigInt(W)) - 1n;
    const at = (n: Node, w: number) => (width(n) === w ? n : b.add("zext", [n], { w }));
    const top = huffman(terms.map((n) => ({ n, lv: lv.get(n)!, ub: root.op === "add" ? upper(n, ubMemo) : 0n })), (x, y) => {
      if (root.op !== "add") return { n: b.add(root.op, [x.n, y.n]), lv: Math.max(x.lv, y.lv) + 1, ub: 0n };
      // An add of two terms in the exact width of its bound (the root's width when it may wrap).
      const s = x.ub + y.ub;
      const w = s <= topAll ? Math.max(1, bitLen(s), width(x.n), width(y.n)) : W;
      return { n: b.add("add", [at(x.n, w), at(y.n, w)]), lv: Math.max(x.lv, y.lv) + 1, ub: s <= topAll ? s : topAll };
    });
    const result = at(top.n, W);
    if (result === root) continue;
    if (result.op === "literal" || b.fn.nodes.length === 0) continue;
    rw.record(root, result, b, idGen);
  }
  return rw.apply(fn);
}

// ---------------------------------------------------------------- min / max

/** `c(p, q) ? p : q` with c a magnitude compare is min(p, q); `c(p, q) ? q : p` is max(p, q). */
function minMaxOf(n: Node, users: Map<number, Node[]>): { kind: string; a: Node; b: Node; cmp: Node } | undefined {
  if (n.op !== "sel") return undefined;
  const [c, t, e] = n.operands;
  if (!["ult", "ule", "slt", "sle"].includes(c.op) || (users.get(c.id) ?? []).length !== 1) return undefined;
  const [p, q] = c.operands;
  const signed = c.op === "slt" || c.op === "sle" ? "s" : "u";
  if (t === p && e === q) return { kind: `min${signed}`, a: p, b: q, cmp: c };
  if (t === q && e === p) return { kind: `max${signed}`, a: p, b: q, cmp: c };
  return undefined;
}

/**
 * Chains of min (or of max) over values — `x < y ? x : y`, strict or not, unsigned or signed —
 * rebuilt as a tournament tree. Which operand wins a tie does not matter: they are equal.
 */
function minMax(fn: Fn, idGen: { next: number }): boolean {
  const users = usersOf(fn);
  const lv = levels(fn);
  const rw = new Rewrites();
  const absorbed = new Set<Node>();
  for (const root of fn.nodes.slice().reverse()) {
    const r = minMaxOf(root, users);
    if (!r || absorbed.has(root)) continue;
    const terms: Node[] = [];
    let ops = 0;
    const walk = (n: Node, m: { a: Node; b: Node; cmp: Node }) => {
      ops++;
      absorbed.add(n);
      for (const o of [m.a, m.b]) {
        const mo = o === fn.ret ? undefined : minMaxOf(o, users);
        const only = (users.get(o.id) ?? []).every((u) => u === n || u === m.cmp);
        if (mo && mo.kind === r.kind && only && !absorbed.has(o)) walk(o, mo);
        else terms.push(o);
      }
    };
    walk(root, r);
    if (ops < 2) continue;
    const join2 = (x: Term, y: Term): Term => ({ n: x.n, lv: Math.max(x.lv, y.lv) + 2, ub: 0n });
    const height = huffman(terms.map((n) => ({ n, lv: lv.get(n)!, ub: 0n })), join2).lv;
    if (height > lv.get(root)! - 2) continue;
    const b = new Builder(fn.name, idGen.next);
    b.loc = root.loc;
    const cmpOp = r.kind.endsWith("s") ? "slt" : "ult";
    const isMin = r.kind.startsWith("min");
    const top = huffman(terms.map((n) => ({ n, lv: lv.get(n)!, ub: 0n })), (x, y) => {
      const c = b.add(cmpOp, [x.n, y.n]);
      return { n: b.add("sel", isMin ? [c, x.n, y.n] : [c, y.n, x.n]), lv: Math.max(x.lv, y.lv) + 2, ub: 0n };
    });
    rw.record(root, top.n, b, idGen);
  }
  return rw.apply(fn);
}

// ---------------------------------------------------------------- bit level (GF(2)-linear)

/** One bit as an xor of input bits (a set of leaf-bit ids) and a constant. */
interface Bit { s: bigint; c: 0 | 1 }
const ZERO: Bit = { s: 0n, c: 0 };
const xorBit = (a: Bit, b: Bit): Bit => ({ s: a.s ^ b.s, c: (a.c ^ b.c) as 0 | 1 });

function bitLevel(fn: Fn, idGen: { next: number }): boolean {
  const users = usersOf(fn);
  const lv = levels(fn);
  const lin = new Map<Node, Bit[]>();
  const leafBits: { n: Node; bit: number }[] = [];
  const leafIds = new Map<Node, number>();
  const leaf = (n: Node): Bit[] | undefined => {
    if (n.type.k !== "bits" || width(n) > MAX_LINEAR_WIDTH) return undefined;
    let base = leafIds.get(n);
    if (base === undefined) {
      base = leafBits.length;
      leafIds.set(n, base);
      for (let i = 0; i < width(n); i++) leafBits.push({ n, bit: i });
    }
    return Array.from({ length: width(n) }, (_, i) => ({ s: 1n << BigInt(base! + i), c: 0 as const }));
  };
  const of = (n: Node): Bit[] | undefined => lin.get(n) ?? leaf(n);
  const isConst = (b: Bit) => b.s === 0n;
  const sameSet = (a: Bit[], b: Bit[]) => a.length === b.length && a.every((x, i) => x.s === b[i].s);
  const rule = (n: Node): Bit[] | undefined => {
    const w = width(n);
    if (n.type.k !== "bits" || w > MAX_LINEAR_WIDTH || n.operands.some((o) => o.type.k !== "bits" || width(o) > MAX_LINEAR_WIDTH)) return undefined;
    const [a, b, c] = n.operands;
    const A = () => of(a)!, Bv = () => of(b)!;
    switch (n.op) {
      case "literal": { const v = BigInt(n.attrs.value); return Array.from({ length: w }, (_, i) => ({ s: 0n, c: Number((v >> BigInt(i)) & 1n) as 0 | 1 })); }
      case "xor": return A().map((x, i) => xorBit(x, Bv()[i]));
      case "not": return A().map((x) => ({ s: x.s, c: (x.c ^ 1) as 0 | 1 }));
      case "and": case "or": {
        const x = A(), y = Bv();
        const out: Bit[] = [];
        for (let i = 0; i < w; i++) {
          const [k, other] = isConst(x[i]) ? [x[i], y[i]] : isConst(y[i]) ? [y[i], x[i]] : [undefined, undefined];
          if (!k) return undefined;
          out.push(n.op === "and" ? (k.c ? other! : ZERO) : (k.c ? { s: 0n, c: 1 } : other!));
        }
        return out;
      }
      case "zext": return [...A(), ...Array<Bit>(w - width(a)).fill(ZERO)];
      case "sext": { const x = A(); return [...x, ...Array<Bit>(w - x.length).fill(x[x.length - 1])]; }
      case "slice": return A().slice(Number(n.attrs.lo), Number(n.attrs.lo) + w);
      case "concat": return n.operands.map((o) => of(o)!).reverse().flat();
      case "shl": case "shrl": case "shra": {
        const k = lit(b);
        if (k === undefined) return undefined;
        const x = A(), s = k >= BigInt(w) ? w : Number(k);
        if (n.op === "shl") return Array.from({ length: w }, (_, i) => (i - s >= 0 ? x[i - s] : ZERO));
        const fill = n.op === "shra" ? x[w - 1] : ZERO;
        return Array.from({ length: w }, (_, i) => (i + s < w ? x[i + s] : fill));
      }
      case "sel": {
        const sel = of(a)![0], x = Bv(), y = of(c)!;
        if (!sameSet(x, y)) return undefined;
        // sel ? x : y  =  y ^ (sel & (x ^ y)), and x ^ y is a constant per bit here.
        return y.map((yb, i) => (x[i].c === yb.c ? yb : xorBit(yb, sel)));
      }
      case "eq": case "ne": {
        if (width(a) !== 1) return undefined;
        const d = xorBit(A()[0], Bv()[0]);
        return [n.op === "ne" ? d : { s: d.s, c: (d.c ^ 1) as 0 | 1 }];
      }
      case "add": case "sub":
        return w === 1 ? [xorBit(A()[0], Bv()[0])] : undefined;
      default: return undefined;
    }
  };
  for (const n of fn.nodes) {
    if (n.op === "param") continue;
    const r = rule(n);
    if (r) lin.set(n, r);
  }
  // Roots: linear nodes with a logic level of their own that some non-linear node (or the result) reads.
  const linearUser = (u: Node) => lin.has(u);
  const roots = fn.nodes.filter((n) => lin.has(n) && n.op !== "literal" && (n === fn.ret || (users.get(n.id) ?? []).some((u) => !linearUser(u))));
  const bitLv = (id: number) => lv.get(leafBits[id].n)!;
  const ids = (s: bigint): number[] => { const out: number[] = []; for (let i = 0; s; i++, s >>= 1n) if (s & 1n) out.push(i); return out; };
  const rw = new Rewrites();
  const sliceCache = new Map<number, Node>();
  for (const root of roots) {
    const bitsOf = lin.get(root)!;
    const terms = bitsOf.map((bt) => ids(bt.s));
    const newLv = Math.max(0, ...terms.map((t) => (t.length ? huffmanHeight(t.map(bitLv)) : 0)));
    // Only where it pays: bit-level trees replace word-level ops, so demand two levels or more.
    if (newLv > lv.get(root)! - 2) continue;
    const b = new Builder(fn.name, idGen.next);
    b.loc = root.loc;
    const leafSlice = (id: number): Node => {
      const hit = sliceCache.get(id);
      if (hit) return hit;
      const { n, bit } = leafBits[id];
      const s = width(n) === 1 ? n : b.add("slice", [n], { lo: bit, w: 1 });
      sliceCache.set(id, s);
      return s;
    };
    const outBits: Node[] = bitsOf.map((bt, i) => {
      if (!terms[i].length) return b.literal(BigInt(bt.c), 1);
      const t = huffman(terms[i].map((id) => ({ n: leafSlice(id), lv: bitLv(id), ub: 0n })), (x, y) => ({ n: b.add("xor", [x.n, y.n]), lv: Math.max(x.lv, y.lv) + 1, ub: 0n }));
      return bt.c ? b.add("not", [t.n]) : t.n;
    });
    // Constant-zero high bits stay a zext, so later phases still see the value's real width.
    let top = outBits.length;
    while (top > 1 && !terms[top - 1].length && !bitsOf[top - 1].c) top--;
    const low = top === 1 ? outBits[0] : b.add("concat", outBits.slice(0, top).reverse());
    const result = top === outBits.length ? low : b.add("zext", [low], { w: outBits.length });
    rw.record(root, result, b, idGen);
  }
  // Slices shared between roots are placed with the first root that made them, which comes earlier.
  return rw.apply(fn);
}

/** The rewrites of one function: each root's new nodes and the node that replaces it. */
class Rewrites {
  private readonly added = new Map<Node, Node[]>();
  private readonly replace = new Map<Node, Node>();

  /** `result`, built by `b`, replaces `root`; the new nodes take its name and source line. */
  record(root: Node, result: Node, b: Builder, idGen: { next: number }): void {
    result.name ??= root.name;
    for (const n of b.fn.nodes) n.loc ??= root.loc;
    idGen.next = b.nextId;
    this.added.set(root, b.fn.nodes);
    this.replace.set(root, result);
  }

  /**
   * Put each root's new nodes right before it (every leaf precedes the root), then let every user
   * and the return read the replacement; false when nothing was recorded.
   */
  apply(fn: Fn): boolean {
    if (!this.replace.size) return false;
    const out: Node[] = [];
    for (const n of fn.nodes) {
      out.push(...(this.added.get(n) ?? []));
      out.push(n);
    }
    for (const n of out) n.operands = n.operands.map((o) => this.replace.get(o) ?? o);
    if (this.replace.has(fn.ret)) fn.ret = this.replace.get(fn.ret)!;
    fn.nodes = out;
    return true;
  }
}

export function reassociateFn(fn: Fn, idGen: { next: number }): boolean {
  const a = bitLevel(fn, idGen);
  const p = unpredicate(fn, idGen);
  const b = wordLevel(fn, idGen);
  const m = minMax(fn, idGen);
  return a || p || b || m;
}

export const reassociate: Pass = {
  name: "reassociate",
  description: "tree-height reduction: associative chains and xor networks rebuilt as balanced trees",
  run(pkg) {
    const idGen = { next: nextId(pkg.fns) };
    const step = pkg.kernel ? pkg.fns.find((f) => f.name === pkg.kernel!.step) : undefined;
    if (step?.params[0]) stateParamOf.set(step, step.params[0]);
    return pkg.fns.map((f) => reassociateFn(f, idGen)).some(Boolean);
  },
};
