/**
 * Test helpers around the compiler core: a per-process cache of lowered tops (creating a
 * TypeScript Program costs about half a second, so each file/top is lowered once per test file),
 * a deep copy of an IR package that keeps node ids (passes mutate packages in place), the list of
 * exported functions of a dialect file, and JSON-level comparison of interpreter and native results.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { checkFiles, lowerTop, type TopResult } from "../../compiler/driver.js";
import type { Fn, Node, Package } from "../../compiler/ir/ir.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const EXAMPLES_DIR = path.join(ROOT, "examples", "basics");
export const PROGRAMS_DIR = path.join(ROOT, "test", "helpers", "programs");

/** The .ts files of a folder, sorted, as absolute paths. */
export function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort().map((f) => path.join(dir, f));
}

/** Names of the exported functions declared in a dialect file (by a plain scan of the text). */
export function exportedFunctionNames(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/^export function ([\p{L}\p{Nl}_$][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_$]*)/gmu)].map((m) => m[1]);
}

const lowered = new Map<string, TopResult>();
const perFile = new Map<string, { tops: Map<string, Fn>; all: Fn[] } | undefined>();

/**
 * What lowerTop(file, top) returns, computed once per process. One checkFiles run lowers every
 * export of a file in one TypeScript Program (the package then holds every lowered function, which
 * the inline pass prunes to the top and its callees); a file with diagnostics goes through lowerTop
 * itself. Callers must clone the package before mutating it.
 */
export function lowerCached(file: string, top: string): TopResult {
  const key = `${file}#${top}`;
  let r = lowered.get(key);
  if (r) return r;
  if (!perFile.has(file)) {
    const { diagnostics, lowering } = checkFiles([file]);
    const abs = path.resolve(file);
    const tops = new Map([...lowering.fns].filter(([d]) => path.resolve(d.getSourceFile().fileName) === abs).map(([d, f]) => [d.name!.text, f]));
    perFile.set(file, diagnostics.length ? undefined : { tops, all: [...lowering.fns.values()] });
  }
  const low = perFile.get(file);
  const fn = low?.tops.get(top);
  r = low && fn ? { diagnostics: [], pkg: { name: top, fns: low.all }, fn, exported: [...low.tops.keys()] } : lowerTop(file, top);
  lowered.set(key, r);
  return r;
}

/** A deep copy of a package with the same ids, names, attributes, locations and signatures. */
export function clonePackage(pkg: Package): Package {
  return { name: pkg.name, fns: pkg.fns.map(cloneFnSameIds) };
}

export function cloneFnSameIds(fn: Fn): Fn {
  const map = new Map<Node, Node>();
  const nodes = fn.nodes.map((n) => {
    const c: Node = { ...n, attrs: { ...n.attrs }, operands: n.operands.map((o) => map.get(o)!) };
    if (n.loc) c.loc = { ...n.loc };
    map.set(n, c);
    return c;
  });
  return { ...fn, params: fn.params.map((p) => map.get(p)!), nodes, ret: map.get(fn.ret)! };
}

/** Deep structural equality on JSON-like values, ignoring object key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** A small seeded generator (mulberry32) for random IR in tests: int(n) in 0…n−1, pick(xs). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] };
}

/** The width of a bits node (0 for aggregates). */
export const bitsWidth = (n: Node): number => (n.type.k === "bits" ? n.type.w : 0);
