/**
 * Output paths, checked before a command starts its work: an output directory is created one
 * level at a time (Node's recursive mkdir loops forever under /proc) and probed by writing a file
 * in it; an output file's folder must exist and accept a new file, and the path must not be a
 * folder. Every failure is a UserError naming the path with a plain reason, never a raw errno.
 */
import { closeSync, existsSync, mkdirSync, openSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UserError } from "./common.js";
import { writeFileAtomic } from "../../sim/cleanup.js";

/** A short reason for a file-system error (errno code → words), falling back to Node's message. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case "EACCES": case "EPERM": return "permission denied";
    case "EROFS": return "read-only file system";
    case "ENOENT": return "the file system does not allow creating it there";
    case "ENOTDIR": case "EEXIST": return "a file of that name is in the way (not a folder)";
    case "EISDIR": return "it is a folder, not a file";
    case "ENOSPC": return "no space left on the device";
    case "ENAMETOOLONG": return "the name is too long";
    default: return code ? `${code}` : String((e as Error)?.message ?? e);
  }
}

/** Create `dir` and its missing parents, then check a file can be written in it. */
export function prepareOutputDir(dir: string, what = "output folder"): void {
  const abs = resolve(dir);
  const missing: string[] = [];
  let p = abs;
  while (!existsSync(p)) {
    missing.unshift(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  if (!statSync(p).isDirectory()) {
    if (!missing.length) throw new UserError(`cannot use ${dir} as the ${what}: it is a file, not a folder`);
    throw new UserError(`cannot create the ${what} ${dir}: ${p} is a file, not a folder`);
  }
  for (const m of missing) {
    try { mkdirSync(m); } catch (e) { throw new UserError(`cannot create the ${what} ${dir}: ${fsReason(e)}`); }
  }
  const probe = join(abs, `.tsfpga-write-test-${process.pid}`);
  try {
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (e) {
    throw new UserError(`cannot write in the ${what} ${dir}: ${fsReason(e)}`);
  }
}

/**
 * Check that the file `path` can be written (created or replaced) before the work starts. A file
 * that did not exist is created empty by the check and removed again.
 */
export function checkOutputPath(path: string, what = "output file"): void {
  const abs = resolve(path);
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new UserError(`cannot write the ${what} ${path}: it is a folder, not a file`);
  const dir = dirname(abs);
  if (!existsSync(dir)) throw new UserError(`cannot write the ${what} ${path}: the folder ${dirname(path)} does not exist`);
  if (!statSync(dir).isDirectory()) throw new UserError(`cannot write the ${what} ${path}: ${dirname(path)} is not a folder`);
  const existed = existsSync(abs);
  try {
    closeSync(openSync(abs, "a"));
    if (!existed) unlinkSync(abs);
  } catch (e) {
    throw new UserError(`cannot write the ${what} ${path}: ${fsReason(e)}`);
  }
}

/**
 * Write a whole output file under a temporary name and rename it into place, so a run that fails
 * or is interrupted never leaves a partial file under the output's name; a failure is a UserError
 * naming the path.
 */
export function writeOutputFile(path: string, data: string | Uint8Array, what = "output file"): void {
  try { writeFileAtomic(path, data); } catch (e) { throw new UserError(`cannot write the ${what} ${path}: ${fsReason(e)}`); }
}
