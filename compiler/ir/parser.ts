/**
 * The IR text parser: the inverse of printer.ts, so passes can be tested from IR text and any
 * printed IR can be fed back in. Errors name the line. Names keep their hint (`price.12` → hint
 * `price`, id 12); ids are preserved so print → parse → print is the identity.
 */
import type { Fn, Node, Package } from "./ir.js";
import { isOpName, type AttrValue } from "./ops.js";
import { IDENT, arrayOf, bits, recordOf, typeToString, type Type } from "./types.js";

export class IrParseError extends Error {}

class TypeReader {
  pos = 0;
  constructor(readonly s: string, readonly line: number) {}
  fail(msg: string): never {
    throw new IrParseError(`line ${this.line}: ${msg} in type '${this.s}'`);
  }
  ws() { while (this.s[this.pos] === " ") this.pos++; }
  expect(c: string) { this.ws(); if (this.s[this.pos] !== c) this.fail(`expected '${c}'`); this.pos++; }
  read(): Type {
    this.ws();
    const c = this.s[this.pos];
    if (c === "b") {
      const m = /^b(\d+)/.exec(this.s.slice(this.pos));
      if (!m) this.fail("bad bits type");
      this.pos += m[0].length;
      return bits(Number(m[1]));
    }
    if (c === "[") {
      this.pos++;
      const elem = this.read();
      this.expect(";");
      this.ws();
      const m = /^\d+/.exec(this.s.slice(this.pos));
      if (!m) this.fail("bad array length");
      this.pos += m[0].length;
      this.expect("]");
      return arrayOf(elem, Number(m[0]));
    }
    if (c === "{") {
      this.pos++;
      const fields: { name: string; type: Type }[] = [];
      for (;;) {
        this.ws();
        const m = new RegExp(`^(?:${IDENT}|"(?:[^"\\\\]|\\\\.)*")`, "u").exec(this.s.slice(this.pos));
        if (!m) this.fail("bad field name");
        this.pos += m[0].length;
        this.expect(":");
        fields.push({ name: m[0].startsWith('"') ? JSON.parse(m[0]) : m[0], type: this.read() });
        this.ws();
        if (this.s[this.pos] === ",") { this.pos++; continue; }
        this.expect("}");
        return recordOf(fields);
      }
    }
    return this.fail("unknown type");
  }
}

export function parseType(s: string, line = 0): Type {
  const r = new TypeReader(s, line);
  const t = r.read();
  r.ws();
  if (r.pos !== s.length) r.fail("trailing text");
  return t;
}

function parseAttr(v: string): AttrValue {
  if (v.startsWith('"')) return JSON.parse(v) as string;
  if (/^0x[0-9a-f]+$/i.test(v)) return BigInt(v);
  if (/^-?\d+$/.test(v)) return Number(v);
  return v;
}

function splitRef(ref: string, line: number): { name: string; id: number } {
  const m = new RegExp(`^(${IDENT})\\.(\\d+)$`, "u").exec(ref.trim());
  if (!m) throw new IrParseError(`line ${line}: bad value name '${ref}'`);
  return { name: m[1], id: Number(m[2]) };
}

/** Split on top-level commas (outside brackets/braces). */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') { for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === "\\") i++; continue; } // a quoted name
    if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") depth--;
    else if (c === "," && depth === 0) { out.push(s.slice(start, i)); start = i + 1; }
  }
  if (s.slice(start).trim() !== "") out.push(s.slice(start));
  return out.map((x) => x.trim());
}

const NODE_RE = new RegExp(`^(${IDENT}\\.\\d+): (.+?) = ([a-z_]+)\\((.*?)\\)(?: \\[(.*?)\\])?(?: @(.+):(\\d+):(\\d+))?$`, "u");

export function parsePackage(text: string): Package {
  const lines = text.split("\n");
  const pkg: Package = { name: "pkg", fns: [] };
  let fn: Fn | undefined;
  let byId = new Map<number, Node>();
  let declaredRet = "";
  lines.forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (s === "" || s.startsWith("//")) return;
    let m: RegExpExecArray | null;
    if ((m = /^package (\S+)$/.exec(s))) { pkg.name = m[1]; return; }
    if ((m = new RegExp(`^fn (${IDENT})\\((.*)\\) -> (.+) \\{$`, "u").exec(s))) {
      if (fn) throw new IrParseError(`line ${line}: fn inside fn`);
      byId = new Map();
      const params: Node[] = splitTop(m[2]).map((p, index) => {
        const c = p.indexOf(":");
        const { name, id } = splitRef(p.slice(0, c), line);
        const n: Node = { id, op: "param", type: parseType(p.slice(c + 1).trim(), line), operands: [], attrs: { index }, name };
        byId.set(id, n);
        return n;
      });
      fn = { name: m[1], params, nodes: [...params], ret: params[0] };
      declaredRet = typeToString(parseType(m[3], line));
      return;
    }
    if (!fn) throw new IrParseError(`line ${line}: expected 'fn' or 'package'`);
    if ((m = /^ret (.+)$/.exec(s))) {
      const r = byId.get(splitRef(m[1], line).id);
      if (!r) throw new IrParseError(`line ${line}: unknown value ${m[1]}`);
      fn.ret = r;
      return;
    }
    if (s === "}") {
      if (typeToString(fn.ret.type) !== declaredRet) throw new IrParseError(`line ${line}: ${fn.name} returns ${typeToString(fn.ret.type)}, declared ${declaredRet}`);
      pkg.fns.push(fn);
      fn = undefined;
      return;
    }
    if (!(m = NODE_RE.exec(s))) throw new IrParseError(`line ${line}: cannot parse '${s}'`);
    const { name, id } = splitRef(m[1], line);
    const op = m[3];
    if (!isOpName(op)) throw new IrParseError(`line ${line}: unknown op '${op}'`);
    if (byId.has(id)) throw new IrParseError(`line ${line}: id ${id} defined twice`);
    const operands = m[4].trim() === "" ? [] : splitTop(m[4]).map((r) => {
      const n = byId.get(splitRef(r, line).id);
      if (!n) throw new IrParseError(`line ${line}: use of undefined value ${r}`);
      return n;
    });
    const attrs: Record<string, AttrValue> = {};
    if (m[5]) for (const kv of splitTop(m[5])) {
      const e = kv.indexOf("=");
      attrs[kv.slice(0, e).trim()] = parseAttr(kv.slice(e + 1).trim());
    }
    const node: Node = { id, op, type: parseType(m[2], line), operands, attrs, name: name === op ? undefined : name };
    if (m[6]) node.loc = { file: m[6], line: Number(m[7]), col: Number(m[8]) };
    byId.set(id, node);
    fn.nodes.push(node);
  });
  if (fn) throw new IrParseError(`line ${lines.length}: missing '}'`);
  return pkg;
}
