/**
 * Random memory kernels, written out as dialect source the way a user would write them, for the
 * property test in test/kernel-mem-random.test.ts. Each program keeps one or two `Mem<T, N>` fields
 * (T drawn from u1, boolean, u8, u16, u64, a const enum, a record, a Vec; N from 2 to 4096, powers of
 * two or not) and reads and writes them in one of several shapes: read-modify-write, reads in the two
 * branches of an if/else, in the cases of a switch, before and after an early return, in the arms
 * of `?:`, in the iterations of a loop that breaks after it, a read in one arm of `?:`, a write then a
 * read in the same step, the identical index read twice, the same read on two exclusive paths and
 * another on a third, the same index written twice. Every index is
 * built from input bytes (sometimes XORed with the configuration) and reduced modulo N; every branch
 * condition reads only the input, so every program is valid by docs/dialect.md §9c.
 */
import { prng } from "./feed-frames.js";

interface Elem { type: string; init: string; next: (old: string, j: number) => string; decl?: string }

const ELEMS: Elem[] = [
  { type: "u1", init: "u1(0)", next: (o, j) => `u1(${o} ^ bits(beat.bytes[${j}], 0, 0))` },
  { type: "boolean", init: "false", next: (o, j) => `(${o} !== (beat.bytes[${j}] > 100))` },
  { type: "u8", init: "u8(3)", next: (o, j) => `u8((${o} + beat.bytes[${j}]) & 255)` },
  { type: "u16", init: "u16(0)", next: (o, j) => `u16((${o} + cat(beat.bytes[${j}], beat.bytes[${(j + 1) % 8}], 8)) & 0xffff)` },
  { type: "u64", init: "u64(1)", next: (o, j) => `u64((${o} * 3n + u64(beat.bytes[${j}])) & 0xffffffffffffffffn)` },
  { type: "Kind", init: "Kind.Idle", next: (o, j) => `(beat.bytes[${j}] < 100 ? Kind.Open : beat.bytes[${j}] < 200 ? ${o} : Kind.Done)` },
  { type: "Entry", init: "{ n: u8(0), on: false }", next: (o, j) => `{ n: u8((${o}.n + 1) & 255), on: ${o}.on !== (beat.bytes[${j}] > 60) }` },
  { type: "Vec<u8, 2>", init: "[u8(0), u8(9)]", next: (o, j) => `[${o}[1], u8(beat.bytes[${j}] ^ ${o}[0])]` },
];
const SIZES = [2, 3, 5, 16, 100, 256, 1000, 4096];

export interface MemProgram { name: string; source: string; shape: string; cfg: { k: number } }

/** A random valid memory kernel (named `k<seed>`), from a seed. */
export function memProgram(seed: number): MemProgram {
  const rnd = prng(seed * 7919 + 13);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const byte = () => Math.floor(rnd() * 8);
  const nMems = rnd() < 0.4 ? 2 : 1;
  const mems = Array.from({ length: nMems }, (_, i) => ({ name: `m${i}`, e: pick(ELEMS), n: pick(SIZES) }));
  /** An index into memory `m`: two input bytes (sometimes XOR the configuration) modulo N. */
  const index = (n: number) => {
    const [a, b] = [byte(), byte()];
    const x = rnd() < 0.3 ? `(cat(beat.bytes[${a}], beat.bytes[${b}], 8) ^ cfg.k)` : rnd() < 0.5 ? `cat(beat.bytes[${a}], beat.bytes[${b}], 8)` : `beat.bytes[${a}]`;
    return `u16(${x} % ${n})`;
  };
  const cond = () => (rnd() < 0.5 ? `beat.bytes[${byte()}] < ${Math.floor(rnd() * 256)}` : `(beat.bytes[${byte()}] & 3) === ${Math.floor(rnd() * 4)}`);
  const shapes = ["rmw", "ifelse", "switch", "early", "ternary", "writeThenRead", "sameTwice", "loopBreak", "maybeRead", "sharedRead"] as const;
  const body: string[] = [];
  const outs: string[] = [];
  const used: string[] = [];
  for (const m of mems) {
    const shape = pick(shapes);
    used.push(shape);
    const g = `s.${m.name}`, v = `v${m.name}`;
    const [i0, i1, i2] = [index(m.n), index(m.n), index(m.n)];
    const nx = (o: string) => m.e.next(o, byte());
    body.push(`  // ${m.name}: ${shape}`);
    switch (shape) {
      case "rmw":
        body.push(`  const i_${m.name} = ${i0};`, `  const ${v} = ${g}.get(i_${m.name});`, `  if (${cond()}) ${g}.set(i_${m.name}, ${nx(v)});`);
        break;
      case "ifelse":
        body.push(`  let ${v}: ${m.e.type} = ${m.e.init};`, `  if (${cond()}) {`, `    ${v} = ${g}.get(${i0});`, `  } else {`, `    const j = ${i1};`,
          `    ${v} = ${g}.get(j);`, `    ${g}.set(j, ${nx(v)});`, `  }`);
        break;
      case "switch":
        body.push(`  let ${v}: ${m.e.type} = ${m.e.init};`, `  switch (beat.bytes[${byte()}] & 3) {`, `    case 0: ${v} = ${g}.get(${i0}); break;`,
          `    case 1: { const j = ${i1}; ${v} = ${g}.get(j); ${g}.set(j, ${nx(v)}); break; }`, `    case 2: ${g}.set(${i2}, ${nx(v)}); break;`, `    default: break;`, `  }`);
        break;
      case "early":
        body.push(`  if (${cond()}) {`, `    const e = ${g}.get(${i0});`, `    ${g}.set(${i1}, ${nx("e")});`,
          `    return { state: { n: u32(s.n + 1), ${mems.map((x) => `${x.name}: s.${x.name}`).join(", ")} }, out: { n: s.n, early: true, ${mems.map((x) => `o${x.name}: ${x === m ? "e" : x.e.init}`).join(", ")} }, valid: true };`,
          `  }`, `  const ${v} = ${g}.get(${i2});`);
        break;
      case "ternary":
        body.push(`  const ${v} = ${cond()} ? ${g}.get(${i0}) : ${g}.get(${i1});`, `  ${g}.set(${i2}, ${nx(v)});`);
        break;
      case "writeThenRead":
        body.push(`  if (${cond()}) ${g}.set(${i0}, ${nx(m.e.init)});`, `  const ${v} = ${g}.get(${rnd() < 0.5 ? i0 : i1});`);
        break;
      case "loopBreak": {
        const [a, c] = [byte(), byte()];
        body.push(`  let ${v}: ${m.e.type} = ${m.e.init};`, `  for (let j = 0; j < 3; j++) {`, `    if ((beat.bytes[${c}] & 3) === j) {`,
          `      const x = u16((beat.bytes[${a}] + j) % ${m.n});`, `      ${v} = ${g}.get(x);`, `      ${g}.set(x, ${nx(v)});`, `      break;`, `    }`, `  }`);
        break;
      }
      case "maybeRead":
        body.push(`  const ${v}: ${m.e.type} = ${cond()} ? ${g}.get(${i0}) : ${m.e.init};`, `  if (${cond()}) ${g}.set(${i1}, ${nx(v)});`);
        break;
      case "sharedRead":
        body.push(`  let ${v}: ${m.e.type} = ${m.e.init};`, `  if (${cond()}) {`, `    ${v} = ${g}.get(${i0});`, `  } else if (${cond()}) {`, `    ${v} = ${g}.get(${i1});`,
          `  } else {`, `    ${v} = ${g}.get(${i0});`, `    ${g}.set(${i0}, ${nx(v)});`, `    ${g}.set(${i0}, ${nx(v)});`, `  }`);
        break;
      case "sameTwice":
        body.push(`  const ${v}a = ${g}.get(${i0});`, `  if (${cond()}) ${g}.set(${i0}, ${nx(`${v}a`)});`, `  const ${v} = ${g}.get(${i0});`);
        break;
    }
  }
  const stateFields = mems.map((m) => `${m.name}: Mem<${m.e.type}, ${m.n}>`).join("; ");
  outs.push(...mems.map((m) => `o${m.name}: ${m.e.type}`));
  const name = `k${seed}`;
  const source = `// A random memory kernel (test/helpers/mem-programs.ts, seed ${seed}): ${used.join(", ")}.
import { u1, u8, u16, u32, u64, bits, cat, mem, kernel, type Beat, type Mem, type Step, type Vec } from "tsfpga";

export const enum Kind { Idle = 0, Open = 1, Done = 6 }
export interface Entry { n: u8; on: boolean }
export interface Cfg { k: u16 }
export interface S { n: u32; ${stateFields} }
export interface O { n: u32; early: boolean; ${outs.join("; ")} }

const INIT: S = { n: u32(0), ${mems.map((m) => `${m.name}: mem(${m.n}, ${m.e.init})`).join(", ")} };

export function step(s: S, beat: Beat, cfg: Cfg): Step<S, O> {
${body.join("\n")}
  return { state: { n: u32(s.n + 1), ${mems.map((m) => `${m.name}: s.${m.name}`).join(", ")} }, out: { n: s.n, early: false, ${mems.map((m) => `o${m.name}: v${m.name}`).join(", ")} }, valid: true };
}

export const ${name} = kernel(INIT, step);
`;
  return { name, source, shape: used.join("+"), cfg: { k: Math.floor(rnd() * 65536) } };
}
