/**
 * Watch mode for `check --watch` and `compile --watch`, as `tsc --watch` does it: the command runs
 * once, then again whenever one of the files it read changes (the files named and the local files
 * they import, as the driver reports them). The process keeps TypeScript loaded and the checked
 * program of the last run, so a new run parses only the edited files. Errors, the user's and the
 * tool's, are printed as usual and the watch goes on; only an interrupt (Ctrl-C) ends it.
 */
import { readFileSync, watch, type FSWatcher } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { guarded, UserError } from "./common.js";

type Body = () => Promise<number | void> | number | void;

/** Run `body` once as a command (`guarded`), or, with `watch`, again after every change of `roots`. */
export function watchOr(watching: boolean | undefined, roots: string[], body: Body): Promise<void> {
  return watching ? guarded(() => watchAndRerun(roots, body)) : guarded(body);
}

/** Quiet time after a change before running again: editors write a file in several steps. */
const SETTLE_MS = 100;

const clock = () => new Date().toTimeString().slice(0, 8);
/** A path as the user sees it: relative to the working folder when inside it. */
function shown(f: string): string {
  const rel = relative(process.cwd(), f);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : f;
}

function readOrUndefined(file: string): string | undefined {
  try { return readFileSync(file, "utf8"); } catch { return undefined; }
}

async function watchAndRerun(roots: string[], body: Body): Promise<never> {
  const { watchedFiles } = await import("../driver.js");
  const folders = new Map<string, FSWatcher>();
  let files = new Set(roots.map((f) => resolve(f)));
  let seen = new Map<string, string | undefined>();
  let running = false;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;

  const changedFiles = () => [...files].filter((f) => readOrUndefined(f) !== seen.get(f));

  function onEvent(): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) { pending = true; return; }
      const changed = changedFiles();
      if (changed.length) void run(`${changed.map(shown).join(", ")} changed`);
    }, SETTLE_MS);
  }

  // Folders, not files, are watched: an editor that saves by writing a new file and renaming it
  // over the old one would end a watch on the file itself.
  function watchFolders(): void {
    const wanted = new Set([...files].map((f) => dirname(f)));
    for (const [dir, w] of folders) if (!wanted.has(dir)) { w.close(); folders.delete(dir); }
    const failed: string[] = [];
    for (const dir of wanted) {
      if (folders.has(dir)) continue;
      try {
        const w = watch(dir, (_event, name) => { if (!name || files.has(join(dir, name.toString()))) onEvent(); });
        w.on("error", (e) => process.stderr.write(`tsfpga: watching ${shown(dir)}: ${e.message}\n`));
        folders.set(dir, w);
      } catch (e) {
        failed.push(`${shown(dir)} (${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such folder" : (e as Error).message})`);
      }
    }
    if (!folders.size) throw new UserError(`cannot watch ${failed.join(", ")}`);
    if (failed.length) process.stderr.write(`tsfpga: cannot watch ${failed.join(", ")}\n`);
  }

  async function run(why?: string): Promise<void> {
    running = true;
    if (why) process.stderr.write(`[${clock()}] ${why}: running again\n`);
    const before = new Map([...files].map((f) => [f, readOrUndefined(f)]));
    const t0 = performance.now();
    await guarded(body);
    const secs = ((performance.now() - t0) / 1000).toFixed(2);
    const code = Number(process.exitCode ?? 0);
    process.exitCode = 0;
    files = new Set([...roots.map((f) => resolve(f)), ...watchedFiles(roots)]);
    // What this run read; a file first seen now is taken as read now.
    seen = new Map([...files].map((f) => [f, before.has(f) ? before.get(f) : readOrUndefined(f)]));
    watchFolders();
    process.stderr.write(`[${clock()}] ${code ? `failed (exit status ${code})` : "ok"} in ${secs} s; watching ${files.size} file(s) for changes (Ctrl-C to stop)\n`);
    running = false;
    if (pending) { pending = false; onEvent(); }
  }

  await run();
  return new Promise<never>(() => {});
}
