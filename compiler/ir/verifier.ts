/**
 * The IR verifier: checks the invariants every pass must preserve — ids unique, operands defined
 * before use (SSA, topological order), operand counts and attributes as the op table says, result
 * types equal to the op table's rule, params first and numbered, the return value defined.
 * Passes run it after every step in tests and in `--verify` mode; a failure is an internal error.
 */
import { nodeRef, type Fn, type Package } from "./ir.js";
import { opDef } from "./ops.js";
import { typeEq, typeToString } from "./types.js";

export class IrVerifyError extends Error {}

export function verifyFn(fn: Fn): void {
  const fail = (msg: string): never => { throw new IrVerifyError(`${fn.name}: ${msg}`); };
  const seen = new Set<number>();
  fn.params.forEach((p, i) => {
    if (p.op !== "param" || p.attrs.index !== i) fail(`param ${i} is malformed`);
    if (fn.nodes[i] !== p) fail(`param ${nodeRef(p)} must come first`);
  });
  for (const n of fn.nodes) {
    if (seen.has(n.id)) fail(`id ${n.id} defined twice`);
    const def = opDef(n.op);
    if (!def) fail(`${nodeRef(n)}: unknown op ${n.op}`);
    for (const o of n.operands) if (!seen.has(o.id)) fail(`${nodeRef(n)} uses ${nodeRef(o)} before it is defined`);
    if (def.arity === "variadic" ? n.operands.length < (def.minArity ?? 0) : n.operands.length !== def.arity)
      fail(`${nodeRef(n)}: ${n.op} takes ${def.arity} operands, has ${n.operands.length}`);
    for (const a of def.attrs) if (!(a in n.attrs)) fail(`${nodeRef(n)}: missing attribute ${a}`);
    const t = def.typeOf(n.operands.map((o) => o.type), n.attrs, n.type);
    if (typeof t === "string") fail(`${nodeRef(n)}: ${t}`);
    else if (!typeEq(t, n.type)) fail(`${nodeRef(n)}: type ${typeToString(n.type)} but ${n.op} gives ${typeToString(t)}`);
    seen.add(n.id);
  }
  if (!seen.has(fn.ret.id) || !fn.nodes.includes(fn.ret)) fail(`return value ${nodeRef(fn.ret)} is not defined`);
}

export function verifyPackage(pkg: Package): void {
  const names = new Set<string>();
  for (const f of pkg.fns) {
    if (names.has(f.name)) throw new IrVerifyError(`function ${f.name} defined twice`);
    names.add(f.name);
    verifyFn(f);
    for (const n of f.nodes) if (n.op === "invoke" && !pkg.fns.some((g) => g.name === n.attrs.fn))
      throw new IrVerifyError(`${f.name}: ${nodeRef(n)} invokes unknown function ${n.attrs.fn}`);
  }
}
