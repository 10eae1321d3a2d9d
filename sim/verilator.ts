// Cycle-accurate simulation of a generated module with Verilator: builds the C++
// harness (sim/harness/) against the design into a content-addressed cache directory
// (hash of Verilog text, signature, harness sources, flags and Verilator version), and
// runs it on a list of input transactions with seeded random bubbles and backpressure.
// The harness executable does the whole run in one process; this module only writes
// the input file, launches it, and parses the output, accept and summary records.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { inputSideband, outputSideband, type Signature } from "./signature.js";
import {
  HARNESS_SUPPORT_FILES,
  harnessDir,
  harnessValues,
  hdlLibraryDir,
  projectRoot,
  renderTemplate,
} from "./harness/render.js";
import type { HarnessMeta } from "./harness/run.js";
import { keep, killOnExit, release, removeOnExit } from "./cleanup.js";

export class VerilatorError extends Error {
  constructor(
    message: string,
    /** Compiler / tool output (stdout + stderr), when there is any. */
    readonly output = "",
  ) {
    super(output ? `${message}\n${output.trimEnd()}` : message);
    this.name = "VerilatorError";
  }
}

export interface BuildOptions {
  /** Cache root; default $TSFPGA_CACHE_DIR or <project>/build/.cache/verilator. */
  cacheDir?: string;
  /** Build the VCD-tracing variant (needed for runHarness tracePath). */
  trace?: boolean;
  /** Directories searched for instantiated modules (-y); default [hdl/]. */
  libraryDirs?: string[];
  /** Parallel C++ compile jobs; default 2. */
  jobs?: number;
  /** Extra verilator arguments (part of the cache key). */
  extraFlags?: string[];
  /** Gate-level check: build on the Yosys netlist for this FPGA family, with its cell models,
   * instead of on the RTL (sim/gate-level.ts). The first Verilog file is the design. */
  netlist?: "ice40" | "ecp5";
}

export interface HarnessBuild {
  exe: string;
  dir: string;
  hash: string;
  /** True when an existing build was reused. */
  cached: boolean;
  seconds: number;
}

interface Proc {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * With ccache on the PATH, C++ objects that every harness shares (the Verilator runtime, the
 * harness itself for equal widths) compile once per machine: a large part of each build.
 */
function buildEnv(): NodeJS.ProcessEnv {
  const hasCcache = (process.env.PATH ?? "").split(":").some((d) => d && existsSync(join(d, "ccache")));
  if (!hasCcache || process.env.OBJCACHE !== undefined) return process.env;
  const base = process.env.TSFPGA_CACHE_DIR ?? join(projectRoot(), "build/.cache");
  return { ...process.env, OBJCACHE: "ccache", CCACHE_DIR: process.env.CCACHE_DIR ?? join(base, "ccache"), CCACHE_BASEDIR: base, CCACHE_NOHASHDIR: "1" };
}

function run(cmd: string, args: string[], cwd?: string): Promise<Proc> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: buildEnv() });
    p.on("close", killOnExit(p));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on("data", (b: Buffer) => out.push(b));
    p.stderr.on("data", (b: Buffer) => err.push(b));
    p.on("error", rej);
    p.on("close", (code, signal) =>
      res({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
  });
}

let versionCache: string | undefined;
/** `verilator --version`, or a VerilatorError when it is not installed. */
export async function verilatorVersion(): Promise<string> {
  if (versionCache) return versionCache;
  try {
    const r = await run("verilator", ["--version"]);
    versionCache = r.stdout.trim();
    return versionCache;
  } catch {
    throw new VerilatorError("verilator not found on PATH (install it with: scripts/setup.sh hdl)");
  }
}

export function defaultCacheDir(): string {
  return process.env.TSFPGA_CACHE_DIR ?? join(projectRoot(), "build/.cache/verilator");
}

async function libraryFiles(dirs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const d of dirs) {
    const names = existsSync(d) ? await readdir(d) : [];
    files.push(...names.filter((n) => n.endsWith(".v") || n.endsWith(".sv")).sort().map((n) => join(d, n)));
  }
  return files;
}

function verilatorArgs(sig: Signature, files: string[], libDirs: string[], opts: BuildOptions): string[] {
  return [
    "--cc", "--exe", "--build", "-O3", "-Wno-fatal", "--no-timing",
    "-j", String(opts.jobs ?? 2),
    "--prefix", "Vdut", "--top-module", sig.module,
    "--Mdir", "obj", "-o", "tb",
    "-CFLAGS", "-std=c++17",
    ...(opts.trace ? ["--trace"] : []),
    ...libDirs.flatMap((d) => ["-y", d]),
    ...(opts.extraFlags ?? []),
    "harness.cpp",
    ...files,
  ];
}

interface Prepared {
  hash: string;
  source: string;
  support: string[];
  files: string[];
  libDirs: string[];
}

async function prepare(sig: Signature, verilogFiles: string[], opts: BuildOptions): Promise<Prepared> {
  const version = await verilatorVersion();
  const files = verilogFiles.map((f) => resolve(f));
  const libDirs = (opts.libraryDirs ?? [hdlLibraryDir()]).map((d) => resolve(d));
  const tdir = harnessDir();
  const template = await readFile(join(tdir, "harness.cpp.tmpl"), "utf8");
  const source = renderTemplate(template, harnessValues(sig, !!opts.trace));
  const support = await Promise.all(HARNESS_SUPPORT_FILES.map((f) => readFile(join(tdir, f), "utf8")));

  const h = createHash("sha256");
  const add = (label: string, text: string) => h.update(`${label}\0${text.length}\0${text}\0`);
  add("verilator", version);
  add("harness", source);
  support.forEach((s, i) => add(HARNESS_SUPPORT_FILES[i]!, s));
  add("signature", JSON.stringify(sig));
  add("flags", JSON.stringify(verilatorArgs(sig, [], [], opts)));
  for (const f of files) {
    try {
      add(`file:${basename(f)}`, await readFile(f, "utf8"));
    } catch (e) {
      throw new VerilatorError(`cannot read Verilog file ${f}: ${(e as Error).message}`);
    }
  }
  for (const f of await libraryFiles(libDirs)) add(`lib:${basename(f)}`, await readFile(f, "utf8"));
  return { hash: h.digest("hex").slice(0, 24), source, support, files, libDirs };
}

/** The cache key (directory name) a build of this design would use. */
export async function harnessCacheKey(sig: Signature, verilogFiles: string[], opts: BuildOptions = {}): Promise<string> {
  return (await prepare(sig, verilogFiles, opts)).hash;
}

/** Builds (or reuses) the harness executable; returns details including the cache flag. */
export async function buildHarnessDetailed(
  sig: Signature,
  verilogFiles: string[],
  opts: BuildOptions = {},
): Promise<HarnessBuild> {
  if (opts.netlist) {
    const { gateLevelSources } = await import("./gate-level.js");
    const g = await gateLevelSources(verilogFiles[0]!, sig.module, opts.netlist, { ...opts, netlist: undefined });
    return buildHarnessDetailed(sig, g.files, g.options);
  }
  const t0 = performance.now();
  const { hash, source, support, files, libDirs } = await prepare(sig, verilogFiles, opts);
  const root = resolve(opts.cacheDir ?? defaultCacheDir());
  const dir = join(root, hash);
  const exe = join(dir, "tb");
  if (existsSync(exe)) return { exe, dir, hash, cached: true, seconds: (performance.now() - t0) / 1000 };

  await mkdir(root, { recursive: true });
  const tmp = await mkdtemp(join(root, `${hash}.tmp-`));
  removeOnExit(tmp);
  try {
    await writeFile(join(tmp, "harness.cpp"), source);
    await Promise.all(HARNESS_SUPPORT_FILES.map((f, i) => writeFile(join(tmp, f), support[i]!)));
    const meta: HarnessMeta = {
      top: sig.module,
      inWidth: sig.input.tdataWidth,
      outWidth: sig.output.tdataWidth,
      inSideband: inputSideband(sig).map(({ name, width }) => ({ name, width })),
      outSideband: outputSideband(sig).map(({ name, width }) => ({ name, width })),
      config: sig.config ?? [],
      trace: !!opts.trace,
    };
    await writeFile(join(tmp, "harness.json"), JSON.stringify(meta, null, 2) + "\n");
    const args = verilatorArgs(sig, files, libDirs, opts);
    const r = await run("verilator", args, tmp);
    const log = `$ verilator ${args.join(" ")}\n${r.stdout}${r.stderr}`;
    await writeFile(join(tmp, "build.log"), log);
    if (r.code !== 0 || !existsSync(join(tmp, "obj", "tb"))) {
      const errors = (r.stderr || r.stdout).split("\n").filter((l) => /%Error|error:|Error \d/.test(l));
      throw new VerilatorError(
        `verilator build of ${sig.module} failed (exit ${r.code}); full log in ${join(tmp, "build.log")}`,
        (errors.length ? errors : (r.stderr || r.stdout).split("\n")).slice(0, 40).join("\n"),
      );
    }
    await rename(join(tmp, "obj", "tb"), join(tmp, "tb"));
    await rm(join(tmp, "obj"), { recursive: true, force: true });
    try {
      await rename(tmp, dir);
      keep(tmp);
    } catch {
      // Another process finished the same build first; use theirs.
      release(tmp);
    }
  } catch (e) {
    if (!(e instanceof VerilatorError)) release(tmp);
    else keep(tmp); // kept on purpose: build.log for inspection
    throw e;
  }
  return { exe, dir, hash, cached: false, seconds: (performance.now() - t0) / 1000 };
}

/** Builds (or reuses) the harness and returns the executable path. */
export async function buildHarness(sig: Signature, verilogFiles: string[], opts: BuildOptions = {}): Promise<string> {
  return (await buildHarnessDetailed(sig, verilogFiles, opts)).exe;
}

export * from "./harness/run.js";
