/**
 * The IR builder: appends nodes to a function under construction, checking each against the op
 * table as it goes, and folds nodes whose operands are all literals by calling the interpreter's
 * op semantics (so the builder never invents a meaning of its own). The front end and the passes
 * that create nodes (inline, narrow) use it.
 */
import { EVAL } from "../interp/eval.js";
import type { Fn, Loc, Node } from "./ir.js";
import { opDef, type Attrs, type OpName } from "./ops.js";
import { typeEq, typeToString, type Type } from "./types.js";

export class Builder {
  readonly fn: Fn;
  loc?: Loc;
  constructor(name: string, public nextId = 1) {
    this.fn = { name, params: [], nodes: [], ret: undefined as unknown as Node };
  }

  param(name: string, type: Type): Node {
    const n: Node = { id: this.nextId++, op: "param", type, operands: [], attrs: { index: this.fn.params.length }, name };
    this.fn.nodes.splice(this.fn.params.length, 0, n); // params always come first
    this.fn.params.push(n);
    return n;
  }

  literal(value: bigint, w: number): Node {
    return this.add("literal", [], { value: BigInt.asUintN(w, value) }, { k: "bits", w });
  }

  /** Add a node; `type` is required for ops whose type is declared (literal, record, array, invoke). */
  add(op: OpName, operands: Node[], attrs: Attrs = {}, type?: Type, name?: string): Node {
    const def = opDef(op);
    const declared = type ?? ({ k: "bits", w: 1 } as Type);
    const t = def.typeOf(operands.map((o) => o.type), attrs, declared);
    if (typeof t === "string") throw new Error(`internal: building ${op}: ${t}`);
    if (type && !typeEq(t, type)) throw new Error(`internal: building ${op}: ${typeToString(t)} vs ${typeToString(type)}`);
    if (!def.opaque && op !== "literal" && op !== "param" && t.k === "bits" && operands.length > 0 && operands.every((o) => o.op === "literal")) {
      const v = EVAL[op](operands.map((o) => BigInt(o.attrs.value)), attrs, t, operands.map((o) => o.type)) as bigint;
      return this.add("literal", [], { value: v }, t, name);
    }
    const n: Node = { id: this.nextId++, op, type: t, operands, attrs, name, loc: this.loc };
    this.fn.nodes.push(n);
    return n;
  }

  finish(ret: Node): Fn {
    this.fn.ret = ret;
    return this.fn;
  }
}
