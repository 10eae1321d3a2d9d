/**
 * Clean-up of temporary files and folders, whatever way a run ends: paths registered here are
 * removed when their owner releases them (normally in a `finally`), and also on SIGINT/SIGTERM
 * (then the process exits 130/143) or at exit; the signal handlers are in place only while
 * something is registered. `AtomicOutput` writes an output file under a
 * temporary name in the same folder, in bounded chunks, and renames it into place only on
 * success, so an interrupted or failed run never leaves a file that looks complete.
 */
import { closeSync, openSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
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

/**
 * The temporary name an output is written under before it is renamed into place:
 * `.<name>.tmp-<pid>` in the output's folder. Temporaries that an earlier run of another process
 * left behind (killed while synchronous work kept its signal handlers from running) are removed
 * first, so an interrupted run costs disk space only until the next run writes the same output.
 */
export function temporaryNameFor(path: string): string {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.tmp-`;
  try {
    for (const f of readdirSync(dir)) {
      if (!f.startsWith(prefix)) continue;
      const pid = Number(f.slice(prefix.length));
      if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
      rmSync(join(dir, f), { force: true });
    }
  } catch { /* an unreadable folder fails later, where the output is written */ }
  return join(dir, `${prefix}${process.pid}`);
}

function processAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === "EPERM"; }
}

/** An output file written under a temporary name and renamed into place by `commit()`. */
export class AtomicOutput {
  private readonly tmp: string;
  private fd: number | undefined;
  private buf = "";

  constructor(readonly path: string) {
    this.tmp = temporaryNameFor(path);
    removeOnExit(this.tmp);
    this.fd = openSync(this.tmp, "w");
  }

  write(text: string): void {
    this.buf += text;
    if (this.buf.length >= 1 << 20) this.flush();
  }

  /** Write text or bytes as they are, after what is buffered. */
  writeBytes(data: string | Uint8Array): void {
    if (typeof data === "string") { this.write(data); return; }
    this.flush();
    if (this.fd !== undefined) writeSync(this.fd, data);
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
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const o = new AtomicOutput(path);
  try { o.writeBytes(data); o.commit(); } catch (e) { o.abort(); throw e; }
}
