/**
 * Start-up cost: commands that do not compile (`--version`, `--help`, every `pcap` command, the help
 * of every command) never load the TypeScript compiler, checked in the built CLI by a preload that
 * reports whether typescript.js was required (and shown to see it when `check` runs); nothing
 * imports TypeScript as an ES module (which costs a scan of its 9 MB source); the driver builds one
 * Program per unchanged file set and rebuilds from the old one after an edit; and `check --watch`
 * and `compile --watch` run again after an edit, report its problems and keep running. dist/ is
 * built first when it is missing.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { compileTop, checkFiles, watchedFiles } from "../compiler/driver.js";
import { createFrontend } from "../compiler/frontend/program.js";
import { ROOT } from "./helpers/ir-tools.js";

const run = promisify(execFile);
const BIN = path.join(ROOT, "bin", "tsfpga.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsfpga-startup-"));
const PROBE = path.join(tmp, "probe.cjs");
const TINY_PCAP = path.join(ROOT, "test", "fixtures", "pcap", "tiny-be-ns.pcap");

const TEN_LINES = `import { u8, u16 } from "tsfpga";

/** A weighted sum of three bytes. */
export function weighted(a: u8, b: u8, c: u8): u16 {
  const x = u16(a) + u16(b);
  const y = u16(c) * 2;
  return u16(x + y);
}
`;

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, "dist", "compiler", "cli", "main.js"))) execFileSync("npx", ["tsc", "-p", "."], { cwd: ROOT, stdio: "ignore" });
  // Reports at exit whether typescript.js was loaded (an ESM import of a CommonJS module goes
  // through the same require cache).
  fs.writeFileSync(PROBE, `process.on("exit", () => {
  const ts = Object.keys(require.cache).some((k) => k.includes("/node_modules/typescript/"));
  process.stderr.write("probe: typescript " + (ts ? "loaded" : "not loaded") + "\\n");
});\n`);
  fs.writeFileSync(path.join(tmp, "ten.ts"), TEN_LINES);
});

async function typescriptLoaded(...args: string[]): Promise<{ loaded: boolean; code: number; stdout: string }> {
  let r: { stdout: string; stderr: string; code: number };
  try {
    r = { ...(await run(process.execPath, ["--require", PROBE, BIN, ...args], { cwd: ROOT, encoding: "utf8" })), code: 0 };
  } catch (e) {
    r = e as { stdout: string; stderr: string; code: number };
  }
  const m = /probe: typescript (loaded|not loaded)/.exec(r.stderr);
  if (!m) throw new Error(`no probe line from tsfpga ${args.join(" ")}: ${r.stderr}`);
  return { loaded: m[1] === "loaded", code: r.code, stdout: r.stdout };
}

describe("commands that do not compile never load TypeScript", () => {
  const cases: string[][] = [
    ["--version"], ["--help"], ["help"], ["pcap", "--help"], ["pcap", "stat", TINY_PCAP],
    ["check", "--help"], ["compile", "--help"], ["ir", "--help"], ["run", "--help"], ["simulate", "--help"], ["testbench", "--help"],
  ];
  it.each(cases.map((c) => [c.join(" "), c] as const))("tsfpga %s", async (_name, args) => {
    const r = await typescriptLoaded(...args);
    expect(r.code).toBe(0);
    expect(r.loaded).toBe(false);
  });

  it("the probe sees TypeScript when check runs", async () => {
    const r = await typescriptLoaded("check", path.join(tmp, "ten.ts"));
    expect(r.stdout).toMatch(/no problems/);
    expect(r.loaded).toBe(true);
  });

  it("no module imports typescript as an ES module (only `import ts = require(...)` or `import type`)", () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) { if (e.name !== "node_modules") walk(p); continue; }
        if (!e.name.endsWith(".ts")) continue;
        const text = fs.readFileSync(p, "utf8");
        if (/^\s*(import|export)\s+(?!type\b)[^;]*?\bfrom\s+["']typescript["']/m.test(text) || /\bimport\(\s*["']typescript["']\s*\)/.test(text)) offenders.push(path.relative(ROOT, p));
      }
    };
    for (const d of ["compiler", "sim", "runtime", "bench"]) walk(path.join(ROOT, d));
    expect(offenders).toEqual([]);
  });
});

describe("one Program per unchanged file set", () => {
  it("the same files give the same front end; an edit rebuilds it from the old Program", () => {
    const file = path.join(tmp, "reuse.ts");
    fs.writeFileSync(file, TEN_LINES);
    const a = createFrontend([file]);
    expect(createFrontend([file])).toBe(a);
    fs.writeFileSync(file, TEN_LINES.replace("u16(c) * 2", "u16(c) * 2 + missing"));
    const b = createFrontend([file]);
    expect(b).not.toBe(a);
    expect(b.tsDiagnostics.map((d) => d.code)).toEqual(["TS2304"]);
    // The unchanged runtime is the old Program's parse, not a new one.
    expect(b.runtimeFile).toBe(a.runtimeFile);
    expect(watchedFiles([file])).toEqual([path.resolve(file)]);
  });

  it("checking and compiling several tops of one file use one Program", () => {
    const file = path.join(tmp, "tops.ts");
    fs.writeFileSync(file, `${TEN_LINES}\nexport function other(a: u8): u8 { return a; }\n`);
    const checked = checkFiles([file]);
    expect(checked.diagnostics).toEqual([]);
    expect(compileTop(file, "weighted").fn?.name).toBe("weighted");
    expect(compileTop(file, "other").fn?.name).toBe("other");
    expect(createFrontend([file]).program).toBe(checked.lowering.fe.program);
  });
});

describe("check --watch and compile --watch", () => {
  let child: ChildProcess | undefined;
  afterEach(() => { child?.kill(); child = undefined; });

  /** Starts `tsfpga <args>`; `waitFor` resolves when its output after `from` matches. */
  function start(args: string[]): { proc: ChildProcess; out: () => string; waitFor: (re: RegExp, from: number) => Promise<void> } {
    const proc = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    child = proc;
    let out = "";
    proc.stdout!.on("data", (d) => { out += String(d); });
    proc.stderr!.on("data", (d) => { out += String(d); });
    const waitFor = (re: RegExp, from: number) => new Promise<void>((done, fail) => {
      const t0 = Date.now();
      const poll = setInterval(() => {
        if (re.test(out.slice(from))) { clearInterval(poll); done(); }
        else if (proc.exitCode !== null || Date.now() - t0 > 60_000) { clearInterval(poll); fail(new Error(`no ${re} in: ${out}`)); }
      }, 50);
    });
    return { proc, out: () => out, waitFor };
  }

  // Results go to stdout and the watch's status lines to stderr, so each is waited for on its own.
  it("compile --watch writes the design again after an edit", async () => {
    const file = path.join(tmp, "compiled.ts");
    const dir = path.join(tmp, "compiled-out");
    fs.writeFileSync(file, TEN_LINES);
    const { proc, out, waitFor } = start(["compile", "--watch", file, "-o", dir]);
    await waitFor(/ok in [\d.]+ s; watching 1 file/, 0);
    await waitFor(/weighted: \d+ stage\(s\)/, 0);
    const first = fs.readFileSync(path.join(dir, "weighted.v"), "utf8");
    const mark = out().length;
    fs.writeFileSync(file, TEN_LINES.replace("u16(c) * 2", "u16(c) * 3"));
    await waitFor(/changed: running again[^]*ok in [\d.]+ s; watching/, mark);
    await waitFor(/weighted: \d+ stage\(s\)/, mark);
    expect(fs.readFileSync(path.join(dir, "weighted.v"), "utf8")).not.toBe(first);
    expect(proc.exitCode).toBe(null);
  });

  it("check --watch reports the problems of each edit and keeps watching", async () => {
    const file = path.join(tmp, "watched.ts");
    fs.writeFileSync(file, TEN_LINES);
    const { proc, out, waitFor } = start(["check", "--watch", file]);
    await waitFor(/ok in [\d.]+ s; watching 1 file/, 0);
    await waitFor(/no problems/, 0);
    let mark = out().length;
    fs.writeFileSync(file, TEN_LINES.replace("u16(c) * 2", "u16(c) * 2 + missing"));
    await waitFor(/watched\.ts:6:\d+ - error TS2304: Cannot find name 'missing'[^]*failed \(exit status 1\)/, mark);
    mark = out().length;
    fs.writeFileSync(file, TEN_LINES);
    await waitFor(/changed: running again[^]*ok in [\d.]+ s; watching/, mark);
    await waitFor(/no problems/, mark);
    expect(proc.exitCode).toBe(null);
  });
});
