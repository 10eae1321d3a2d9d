/**
 * Reads a JSON-lines file one line at a time (chunks of 1 MiB, nothing else held), for inputs of any
 * length: yields each non-blank line's parsed value with its 1-based line number. A line that is not
 * JSON throws InputError naming the file and line.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { InputError } from "./pcap/error.js";

export function* readJsonLines(path: string): Generator<{ value: unknown; line: number }> {
  let fd: number;
  try { fd = openSync(path, "r"); } catch (e) { throw new InputError(`${path}: cannot open: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  try {
    const buf = Buffer.alloc(1 << 20);
    let rest = "", line = 0;
    const parse = function* (text: string): Generator<{ value: unknown; line: number }> {
      line++;
      if (!text.trim()) return;
      let value: unknown;
      try { value = JSON.parse(text); } catch (e) { throw new InputError(`${path}:${line}: not JSON: ${(e as Error).message}`); }
      yield { value, line };
    };
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) {
      const text = rest + buf.toString("utf8", 0, n);
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        yield* parse(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    if (rest) yield* parse(rest);
  } finally {
    closeSync(fd);
  }
}
