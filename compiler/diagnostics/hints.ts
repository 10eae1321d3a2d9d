/**
 * Suggestions that depend on what the user wrote: the dialect form that replaces a JavaScript
 * global (TSF1012), a construct outside the dialect (TSF1013), or a number expression that can
 * pass 2^53 (TSF3001). The catalogue's entries for those codes show these texts as their
 * suggestion; each hint names code the user can write, never only "see the docs".
 */

/** What to write instead of a global such as `Math.max` or `BigInt` (the text as written). */
export function globalHint(name: string): string {
  const n = name.replace(/\s+/g, "").replace(/^globalThis\./, "");
  const table: Record<string, string> = {
    "Math.max": "compare: a > b ? a : b",
    "Math.min": "compare: a < b ? a : b",
    "Math.abs": "for a signed x: x < 0 ? -x : x (the result needs one more bit, e.g. i32 → u32(…))",
    "Math.imul": "multiply on bigints and keep 32 bits: i32(i64(a) * i64(b)) (or u32(u64(a) * u64(b)) for the unsigned bits)",
    "Math.floor": "integers only: div(a, b) truncates toward zero, a >> k divides by 2^k rounding down",
    "Math.trunc": "integers only: div(a, b) truncates toward zero",
    "Math.ceil": "integers only: div(a + b - 1, b) for non-negative a and b",
    "Math.round": "integers only: div(a + div(b, 2), b) for non-negative a and b",
    "Math.pow": "multiply (a * a), or shift for powers of two (1 << k)",
    "Math.sign": "compare: x > 0 ? 1 : x < 0 ? -1 : 0",
    "Math.clz32": "a loop over the bits: for (let i = 31; i >= 0; i--) if (bits(x, i, i) === 1) …",
    BigInt: "a bigint type constructor: u64(x) (or i64(x) for a signed value; any width above 32 bits is a bigint)",
    Number: "a number type constructor, which keeps the low bits: u32(x) (or i32(x), u16(x), …)",
    parseInt: "character codes: char(\"7\") - char(\"0\") for a digit",
    String: "strings are not values: use char(\"A\") codes or a const table of codes",
    Boolean: "compare explicitly: x !== 0",
    Array: "an array literal [a, b, c] or fill(n, v)",
    Object: "a record literal { a: …, b: … } of the record's type",
    "Date.now": "time is an input: pass a timestamp (e.g. u48) as an argument",
    "console.log": "hardware has no console: return the value, or compare engines with tsfpga run --engine both",
    Infinity: "integers have no infinity: use the type's largest value, e.g. u32(0xffffffff)",
    NaN: "integers have no NaN: use a valid flag (boolean) beside the value",
  };
  if (table[n]) return table[n];
  if (n.startsWith("Math.")) return "integers only: write it with + - * & | ^ << >>, comparisons, div(a, b) and bits(x, hi, lo)";
  if (n.startsWith("console.")) return table["console.log"];
  if (n.startsWith("Number.")) return "integer types have fixed ranges: use literals, e.g. u32(0xffffffff) for the largest u32";
  return "write it with the tsfpga intrinsics (u32(x), bits(x, hi, lo), div(a, b), cat(hi, lo, w), …) and functions declared in dialect files, imported by name";
}

/** What to write instead of a construct outside the dialect (its description as reported). */
export function constructHint(what: string): string {
  const rules: [RegExp, string][] = [
    [/debugger/, "remove the 'debugger' statement; compare engines with tsfpga run --engine both instead"],
    [/do…while/, "for (let i = 0; i < N; i++) { …; if (done) break; } with a compile-time N"],
    [/for…in/, "for (let i = 0; i < xs.length; i++) over an array, or name the record's fields"],
    [/for…of over a non-array/, "for…of works on arrays only: for (const x of xs)"],
    [/for…of binding/, "for (const x of xs) with a plain name"],
    [/'delete'/, "build a new record without the field"],
    [/'typeof'/, "types are known at compile time: remove the test"],
    [/'void'/, "remove 'void'; call the function as a statement"],
    [/label/, "use a flag: let done = false; … if (done) break;"],
    [/'with'/, "name the record: r.field"],
    [/non-null assertion/, "remove the '!': values always exist in hardware"],
    [/angle-bracket type assertion|type assertion 'as T'/, "use a type constructor, e.g. u8(x)"],
    [/comma expression/, "write each expression as its own statement"],
    [/method or accessor/, "declare a top-level function taking the record as a parameter"],
    [/destructuring/, "read each field: const a = r.a; const b = r.b;"],
    [/namespace or module/, "declare the names at the top level of a file, and import them by name"],
    [/default export|export =/, "export each function by name: export function f(…)"],
    [/require/, "import { f } from \"./file.js\""],
    [/'instanceof' or 'in'/, "types are known at compile time: use a tag field (const enum) in the record"],
    [/function type/, "call a named top-level function directly"],
    [/'var'/, "let x = … or const x = …"],
    [/generic type parameter/, "write one function per type"],
    [/omitted array element/, "write every element: [a, 0, c]"],
    [/namespace import/, "import { a, b } from \"./file.js\""],
    [/default import/, "import { f } from \"./file.js\""],
    [/JSX/, "build values with record and array literals"],
    [/module-level 'let'/, "const x = … (module-level values are compile-time constants); keep state in a kernel's state record"],
    [/top-level code/, "move it into a function, or make it a const declaration"],
    [/without a body \(overload\)/, "write one function per signature, with different names"],
    [/optional, default or rest parameter/, "give every parameter explicitly: function f(a: u8, b: u8)"],
    [/optional field/, "a required field plus a valid flag: { price: u32; hasPrice: boolean }"],
    [/destructuring pattern/, "read each field: const a = r.a;"],
    [/'\+\+'\/'--' inside an expression/, "x = u8(x + 1); as its own statement"],
    [/expression statement without effect/, "remove it, or assign its value: const y = …"],
    [/assignment target/, "assign a local name, a field (r.a = …) or an element (xs[i] = …)"],
    [/labeled jump/, "use a flag: let done = false; … if (done) break;"],
    [/assignment used as a value/, "assign first, then use the name: x = …; f(x)"],
    [/conditional whose arms have different kinds/, "make both arms the same kind, e.g. c ? u8(1) : u8(0)"],
    [/empty array/, "give the elements: fill(n, v) or [a, b]"],
    [/unary '\+'/, "a type constructor such as u32(x)"],
    [/comparing records or arrays/, "compare the fields: a.x === b.x && a.y === b.y"],
    [/on booleans/, "use &&, || or !== on booleans"],
    [/computed property name/, "name the field: { price: … }"],
    [/kernel\(…\) without/, "export const k = kernel(INIT, step)"],
    [/pipeline\(\) without/, "export const p = pipeline(first, second): kernels declared with kernel(INIT, step)"],
    [/pipeline stage that is not a kernel/, "name a kernel declared with kernel(INIT, step), here or imported: pipeline(feed, watch)"],
    [/pipeline stage whose input/, "make the stage's input parameter the previous stage's output record type (Beat for the first)"],
    [/kernel step/, "function step(s: S, beat: Beat, cfg: C): Step<S, O> declared in a dialect file"],
    [/initial state/, "a module-level const of the state record's type"],
    [/call of .* argument\(s\) instead of/, "give the intrinsic exactly the arguments it declares (see runtime/index.ts)"],
    [/converting a /, "convert its fields one by one"],
    [/ on a (bool|record|array)/, "apply the operator to integer fields"],
    [/indexing a /, "index arrays only: xs[i]"],
    [/reading '.*', which/, "read a field the record type declares"],
    [/'\.[^']*' on a /, "read fields of records only"],
    [/outside .* passed where/, "narrow it explicitly with the type constructor of the parameter, e.g. u8(x)"],
    [/the operator '\*\*'/, "multiply (a * a), or shift for powers of two (1 << k)"],
    [/the operator '/, "use + - * & | ^ << >> ~ and comparisons; div(a, b) for number division"],
    [/using a .* as a number/, "use an integer value here"],
  ];
  for (const [re, hint] of rules) if (re.test(what)) return hint;
  const paren = /(?:\(|; )(?:use|write) (.*)\)$/.exec(what);
  if (paren) return paren[1];
  return "rewrite it with the forms in docs/dialect.md: integer types, records, fixed arrays, if/switch, bounded for loops and plain functions";
}

/**
 * The bigint form of a number expression that can pass 2^53: each operand widened to u64/i64
 * (i64 when either can be negative), or wideCat for cat.
 */
export function widenHint(text: string, operands: { text: string; signed: boolean }[], op?: string): string {
  if (/^cat\s*\(/.test(text)) return text.replace(/^cat\s*\(/, "wideCat(") + " (a bigint result)";
  const t = operands.some((o) => o.signed) ? "i64" : "u64";
  const wrap = (s: string) => `${t}(${s})`;
  if (op && operands.length === 2) return `${wrap(operands[0].text)} ${op} ${wrap(operands[1].text)}, then narrow the result with a type constructor such as ${t}(…)`;
  if (op === "-" && operands.length === 1) return `-${wrap(operands[0].text)}`;
  return `widen each operand with ${t}(…) before the operation`;
}
