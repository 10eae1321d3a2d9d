/**
 * Clean-up of temporary files and folders, whatever way a run ends: paths registered here are
 * removed when their owner releases them (normally in a `finally`), and also on SIGINT/SIGTERM
 * (then the process exits 130/143) or at exit; the signal handlers are in place only while
 * something is registered. `AtomicOutput` writes an output file under a
 * temporary name in the same folder, in bounded chunks, and renames it into place only on
 * success, so an interrupted or failed run never leaves a file that looks complete.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

const live = new Set<string>();
const children = new Set<{ kill(sig?: NodeJS.Signals): unknown }>();
let installed = false;

function removeAll(): void {
  for (const c of children) { try { c.kill("SIGKILL"); } catch { /* already gone */ } }
  for (const p of live) { try { rmSync(p, { recursive: true, force: true }); } catch { /* best effort */ } }
  live.clear();
}

const onSigint = () => { removeAll(); process.exit(130); };
const onSigterm = () => { removeAll(); process.exit(143); };

// The handlers are installed only while something is registered: a handler defers Ctrl-C until
// the event loop runs, which long synchronous work elsewhere must not suffer from.
function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", removeAll);
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
}

function uninstallWhenIdle(): void {
  if (!installed || live.size || children.size) return;
  installed = false;
  process.off("exit", removeAll);
  process.off("SIGINT", onSigint);
  process.off("SIGTERM", onSigterm);
}

/** Remove `path` (file or folder) if the process is interrupted before `release(path)`. */
export function removeOnExit(path: string): void {
  install();
  live.add(path);
}

/** Remove `path` now and forget it. */
export function release(path: string): void {
  live.delete(path);
  rmSync(path, { recursive: true, force: true });
  uninstallWhenIdle();
}

/** Forget `path` without removing it (it was renamed into place). */
export function keep(path: string): void {
  live.delete(path);
  uninstallWhenIdle();
}

/** Kill `child` if the process is interrupted while it runs; call the returned function when it ended. */
export function killOnExit(child: { kill(sig?: NodeJS.Signals): unknown }): () => void {
  install();
  children.add(child);
  return () => { children.delete(child); uninstallWhenIdle(); };
}

/** An output file written under a temporary name and renamed into place by `commit()`. */
export class AtomicOutput {
  private readonly tmp: string;
  private fd: number | undefined;
  private buf = "";

  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
    removeOnExit(this.tmp);
    this.fd = openSync(this.tmp, "w");
  }

  write(text: string): void {
    this.buf += text;
    if (this.buf.length >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buf && this.fd !== undefined) writeSync(this.fd, this.buf);
    this.buf = "";
  }

  /** Flush, close and rename into place. */
  commit(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    renameSync(this.tmp, this.path);
    keep(this.tmp);
  }

  /** Close and remove the temporary file (no-op after commit). */
  abort(): void {
    if (this.fd !== undefined) { try { closeSync(this.fd); } catch { /* closed */ } }
    this.fd = undefined;
    if (live.has(this.tmp)) release(this.tmp);
  }
}

/** Write a whole file atomically (temporary name, then rename). */
export function writeFileAtomic(path: string, data: string): void {
  const o = new AtomicOutput(path);
  try { o.write(data); o.commit(); } catch (e) { o.abort(); throw e; }
}
