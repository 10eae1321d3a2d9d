/**
 * Native execution: runs a dialect file itself in Node against the portable runtime — the first
 * of the three executions that must agree. The user's files are transpiled with TypeScript into
 * a temporary folder (imports of "tsfpga" rewritten to the runtime, relative imports to .js) and
 * imported, and the folder is removed once loaded; the named export is returned as a plain function.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import ts = require("typescript"); // a require, not an ESM import: see frontend/program.ts
import { packageRoot } from "../compiler/frontend/program.js";
import { release, removeOnExit } from "./cleanup.js";

function runtimeUrl(): string {
  const root = packageRoot();
  const built = path.join(root, "dist", "runtime", "index.js");
  const here = import.meta.url.endsWith(".ts") ? path.join(root, "runtime", "index.ts") : built;
  return pathToFileURL(fs.existsSync(here) ? here : built).href;
}

const cache = new Map<string, Record<string, unknown>>();

/** Transpile `file` and the local files it imports into a temp dir and import it. */
export async function loadNative(file: string): Promise<Record<string, unknown>> {
  const abs = path.resolve(file);
  const hit = cache.get(abs);
  if (hit) return hit;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "tsfpga-native-"));
  const rt = runtimeUrl();
  const done = new Map<string, string>();
  const emit = (src: string): string => {
    const seen = done.get(src);
    if (seen) return seen;
    const rel = path.relative(path.dirname(abs), src).replace(/\.ts$/, ".mjs").replace(/^(\.\.\/)+/, (m) => m.replace(/\.\./g, "up"));
    const dest = path.join(out, rel);
    done.set(src, dest);
    const text = fs.readFileSync(src, "utf8");
    const js = ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false }, fileName: src }).outputText;
    const rewritten = js.replace(/(from\s+|import\s*\(\s*)(["'])([^"']+)\2/g, (m, pre: string, q: string, spec: string) => {
      if (spec === "tsfpga") return `${pre}${q}${rt}${q}`;
      if (spec.startsWith(".")) {
        const target = path.resolve(path.dirname(src), spec.replace(/\.js$/, ".ts").replace(/(?<!\.ts)$/, ""));
        const tsPath = fs.existsSync(target) ? target : `${target}.ts`;
        return `${pre}${q}${pathToFileURL(emit(tsPath)).href}${q}`;
      }
      return m;
    });
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, rewritten);
    return dest;
  };
  // The transpiled files are needed only while the import loads them: removed right after (or on an interrupt).
  removeOnExit(out);
  try {
    const entry = emit(abs);
    const mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    cache.set(abs, mod);
    return mod;
  } finally {
    release(out);
  }
}

export async function nativeFunction(file: string, name: string): Promise<(...args: unknown[]) => unknown> {
  const mod = await loadNative(file);
  const f = mod[name];
  if (typeof f !== "function") throw new Error(`${file}: no exported function '${name}'`);
  return f as (...args: unknown[]) => unknown;
}
