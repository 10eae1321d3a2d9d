/**
 * Sets up a TypeScript Program over the user's dialect files plus the tsfpga runtime (which user
 * code imports as "tsfpga"), with the strict options the dialect relies on. Returns the program,
 * its type checker and TypeScript's own diagnostics converted to tsfpga's Diagnostic form. The last
 * few front ends are kept: asking again for the same files, unchanged on disk, returns the same
 * checked program (one Program per run however many tops are compiled), and a changed file set is
 * rebuilt from the old Program, which keeps every unchanged file's parse (watch mode).
 *
 * TypeScript is loaded with `import ts = require("typescript")` (compiled to createRequire), never
 * an ESM `import`, here and in every module that uses it: Node's ESM loader scans a CommonJS
 * module's whole source for its export names, which for the 9 MB typescript.js costs more CPU than
 * loading it (0.57 s against 0.20 s measured). One ESM import anywhere brings the scan back; a test
 * (test/startup.test.ts) checks there is none.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import ts = require("typescript"); // a require, not an ESM import: see above
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** The package root (the folder holding tsfpga's package.json), from source or from dist/. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, "package.json");
    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, "utf8")).name === "tsfpga") return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error("internal: cannot find the tsfpga package root");
    dir = up;
  }
}

export function runtimePath(): string {
  return path.join(packageRoot(), "runtime", "index.ts");
}

export const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts"],
  types: [],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
};

/** A checked program. It may be shared by later calls for the same files: treat it as read-only. */
export interface Frontend {
  program: ts.Program;
  checker: ts.TypeChecker;
  userFiles: ts.SourceFile[];
  runtimeFile: ts.SourceFile;
  tsDiagnostics: Diagnostic[];
}

/** Display path for a file: relative to the working directory when inside it. */
export function displayPath(fileName: string): string {
  const rel = path.relative(process.cwd(), fileName);
  return rel.startsWith("..") || path.isAbsolute(rel) ? fileName : rel;
}

export function convertTsDiagnostic(d: ts.Diagnostic): Diagnostic {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (!d.file || d.start === undefined) return { file: "<tsfpga>", line: 0, col: 0, length: 0, code: `TS${d.code}`, message };
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const sourceLine = d.file.text.split("\n")[line]?.replace(/\r$/, "");
  return { file: displayPath(d.file.fileName), line: line + 1, col: character + 1, length: d.length ?? 1, code: `TS${d.code}`, message, sourceLine };
}

/**
 * TypeScript's own lib .d.ts files never change: parse them once per process, not once per Program.
 * Any other file whose text is the same as in `oldProgram` is that program's parse of it, so
 * TypeScript reuses it (it compares source files by identity).
 */
const libFiles = new Map<string, ts.SourceFile>();
function cachingHost(options: ts.CompilerOptions, oldProgram: ts.Program | undefined): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, lang, onError, create) => {
    if (path.dirname(path.resolve(fileName)) !== libDir) {
      const prev = oldProgram?.getSourceFile(fileName);
      return prev && host.readFile(fileName) === prev.text ? prev : read(fileName, lang, onError, create);
    }
    const key = `${fileName}|${typeof lang === "object" ? lang.languageVersion : lang}`;
    let sf = libFiles.get(key);
    if (!sf) { sf = read(fileName, lang, onError, create); if (sf) libFiles.set(key, sf); }
    return sf;
  };
  return host;
}

/** Front ends kept for reuse, most recent last, keyed by working folder and root files. */
const recent = new Map<string, Frontend>();
const KEEP = 4;

/** True when every file the program read (the user's files and the runtime) is unchanged on disk. */
function unchangedOnDisk(fe: Frontend): boolean {
  for (const sf of fe.program.getSourceFiles()) {
    if (sf.isDeclarationFile) continue;
    let text: string;
    try { text = fs.readFileSync(sf.fileName, "utf8"); } catch { return false; }
    if (text !== sf.text) return false;
  }
  // A module that could not be resolved may exist now: never reuse a program that missed one.
  return !fe.tsDiagnostics.some((d) => d.code === "TS2307" || d.code === "TS2792");
}

/**
 * The checked program over `files` (plus what they import and the runtime). The same files,
 * unchanged on disk, give the same Frontend object; otherwise a new Program is built, reusing
 * the previous one for these files as TypeScript's `oldProgram`.
 */
export function createFrontend(files: string[]): Frontend {
  const runtime = runtimePath();
  const abs = files.map((f) => path.resolve(f));
  for (const f of abs) if (!fs.existsSync(f)) throw new FrontendInputError(`${displayPath(f)}: file not found`);
  const key = JSON.stringify([process.cwd(), ...abs]);
  const old = recent.get(key);
  recent.delete(key);
  const fe = old && unchangedOnDisk(old) ? old : buildFrontend(abs, runtime, old?.program);
  recent.set(key, fe);
  if (recent.size > KEEP) recent.delete(recent.keys().next().value!);
  return fe;
}

/**
 * The files the kept front end for `files` read, the runtime aside (the roots and every local file
 * they import); just the roots when there is none (a root was missing, or nothing was checked yet).
 */
export function frontendFiles(files: string[]): string[] {
  const abs = files.map((f) => path.resolve(f));
  const fe = recent.get(JSON.stringify([process.cwd(), ...abs]));
  return fe ? [...new Set([...abs, ...fe.userFiles.map((sf) => path.resolve(sf.fileName))])] : abs;
}

function buildFrontend(abs: string[], runtime: string, oldProgram: ts.Program | undefined): Frontend {
  const options: ts.CompilerOptions = { ...COMPILER_OPTIONS, paths: { tsfpga: [runtime] } };
  // The runtime is always a root: a file whose "tsfpga" import is broken still gets a checker
  // with the runtime loaded (and a diagnostic for the import), not an internal error.
  const program = ts.createProgram({ rootNames: [...abs, runtime], options, host: cachingHost(options, oldProgram), oldProgram });
  const checker = program.getTypeChecker();
  const userFiles = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && path.resolve(sf.fileName) !== runtime);
  const runtimeFile = program.getSourceFile(runtime);
  if (!runtimeFile) throw new Error("internal: runtime not loaded");
  const raw = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const sf of userFiles) raw.push(...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf));
  return { program, checker, userFiles, runtimeFile, tsDiagnostics: raw.map(convertTsDiagnostic) };
}

/** A problem with the command's input itself (missing file, bad arguments), shown without a trace. */
export class FrontendInputError extends Error {}
