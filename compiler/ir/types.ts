/**
 * IR types: bit vectors of a fixed width, fixed-length arrays and records (ordered named fields).
 * Every IR value has one of these types; the text form is `b8`, `[b8; 4]`, `{price: b32, side: b1}`.
 * Helpers here compute flattened bit widths (how a value is packed into a stream's tdata) and
 * compare types structurally.
 */

export type Type =
  | { readonly k: "bits"; readonly w: number }
  | { readonly k: "array"; readonly elem: Type; readonly n: number }
  | { readonly k: "record"; readonly fields: readonly { readonly name: string; readonly type: Type }[] };

const bitsCache = new Map<number, Type>();
export function bits(w: number): Type {
  if (!Number.isInteger(w) || w < 1) throw new Error(`internal: invalid bit width ${w}`);
  let t = bitsCache.get(w);
  if (!t) bitsCache.set(w, (t = { k: "bits", w }));
  return t;
}
export const b1 = bits(1);

export function arrayOf(elem: Type, n: number): Type {
  return { k: "array", elem, n };
}
export function recordOf(fields: { name: string; type: Type }[]): Type {
  return { k: "record", fields };
}

export function typeEq(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.k === "bits" && b.k === "bits") return a.w === b.w;
  if (a.k === "array" && b.k === "array") return a.n === b.n && typeEq(a.elem, b.elem);
  if (a.k === "record" && b.k === "record")
    return a.fields.length === b.fields.length && a.fields.every((f, i) => f.name === b.fields[i].name && typeEq(f.type, b.fields[i].type));
  return false;
}

/** Total number of bits when the value is packed flat (records: first field in the low bits). */
export function flatWidth(t: Type): number {
  switch (t.k) {
    case "bits": return t.w;
    case "array": return t.n * flatWidth(t.elem);
    case "record": return t.fields.reduce((s, f) => s + flatWidth(f.type), 0);
  }
}

/** An IR name as printed: bare when it is an identifier (Unicode letters allowed), else a JSON string. */
export const IDENT = "[\\p{L}\\p{Nl}_$][\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}_$\\u200c\\u200d]*";
const IDENT_RE = new RegExp(`^${IDENT}$`, "u");
export function nameText(name: string): string {
  return IDENT_RE.test(name) ? name : JSON.stringify(name);
}

export function typeToString(t: Type): string {
  switch (t.k) {
    case "bits": return `b${t.w}`;
    case "array": return `[${typeToString(t.elem)}; ${t.n}]`;
    case "record": return `{${t.fields.map((f) => `${nameText(f.name)}: ${typeToString(f.type)}`).join(", ")}}`;
  }
}

export function bitsWidth(t: Type): number {
  if (t.k !== "bits") throw new Error(`internal: expected bits type, got ${typeToString(t)}`);
  return t.w;
}
