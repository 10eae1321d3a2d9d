/**
 * The bit-exact interpreter: evaluates an IR function on argument values, node by node, with the
 * op semantics of eval.ts. `invoke` calls are evaluated recursively (the front end rejects
 * recursion, so this terminates). It is deliberately simple — it is the reference every other
 * engine (native Node, Verilator RTL, cocotb/Icarus) must reproduce bit for bit.
 */
import { findFn, type Fn, type Package } from "../ir/ir.js";
import type { Value } from "../ir/values.js";
import { EVAL } from "./eval.js";

export function interpret(pkg: Package, fn: Fn, args: Value[]): Value {
  if (args.length !== fn.params.length) throw new Error(`internal: ${fn.name} takes ${fn.params.length} arguments, got ${args.length}`);
  const vals = new Map<number, Value>();
  fn.params.forEach((p, i) => vals.set(p.id, args[i]));
  for (const n of fn.nodes) {
    if (n.op === "param") continue;
    const a = n.operands.map((o) => vals.get(o.id)!);
    if (n.op === "invoke") {
      const callee = findFn(pkg, String(n.attrs.fn));
      if (!callee) throw new Error(`internal: invoke of unknown function ${n.attrs.fn}`);
      vals.set(n.id, interpret(pkg, callee, a));
    } else {
      vals.set(n.id, EVAL[n.op](a, n.attrs, n.type, n.operands.map((o) => o.type)));
    }
  }
  return vals.get(fn.ret.id)!;
}

/** A faster repeated-evaluation form: precompiles the node list into closures once. */
export function compileInterpreter(pkg: Package, fn: Fn, mems?: ReadonlyMap<string, Value[]>): (args: Value[]) => Value {
  const index = new Map<number, number>();
  fn.nodes.forEach((n, i) => index.set(n.id, i));
  const steps = fn.nodes.map((n) => {
    const ops = n.operands.map((o) => index.get(o.id)!);
    const otypes = n.operands.map((o) => o.type);
    if (n.op === "param") {
      const p = fn.params.indexOf(n);
      return (slots: Value[], args: Value[]) => args[p];
    }
    if (n.op === "invoke") {
      const callee = findFn(pkg, String(n.attrs.fn))!;
      const run = compileInterpreter(pkg, callee);
      return (slots: Value[]) => run(ops.map((i) => slots[i]));
    }
    if (n.op === "memread") {
      // A kernel memory, held by the kernel stepper (interp/kernel.ts): the contents before this step.
      const m = mems?.get(String(n.attrs.mem));
      if (!m) throw new Error(`internal: memread of ${n.attrs.mem} outside a kernel stepper`);
      // The read is issued before the step's conditions are known (as in hardware), so its address
      // may lie past the last entry of a memory of N entries, N not a power of two, on a path where
      // the program does not use the value (it proved the index in range where it does): any entry
      // serves there; the last one is read.
      return (slots: Value[]) => m[Math.min(Number(slots[ops[0]] as bigint), m.length - 1)];
    }
    const f = EVAL[n.op];
    return (slots: Value[]) => f(ops.map((i) => slots[i]), n.attrs, n.type, otypes);
  });
  const ret = index.get(fn.ret.id)!;
  return (args: Value[]) => {
    const slots: Value[] = new Array(steps.length);
    for (let i = 0; i < steps.length; i++) slots[i] = steps[i](slots, args);
    return slots[ret];
  };
}
