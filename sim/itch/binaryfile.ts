// Streaming reader for Nasdaq ITCH BinaryFILE: a sequence of u16 big-endian length + message, where a
// zero length marks end of session. Reads the file in large chunks (constant memory for 10+ GB day
// files). With `zeroLengths` every length prefix is ignored when zero and the message length comes
// from its type byte (files like RITCH's TEST_ITCH_50 whose prefixes are all 0x0000). Problems throw
// ItchFileError with the byte offset; a zero prefix followed by more data explains the option.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { ItchFileError } from "../pcap/error.js";
import { itchMessageLength } from "./spec.js";

export interface BinaryFileOptions {
  /** Take each message's length from its type byte (prefixes are 0x0000 or equal to that length). */
  zeroLengths?: boolean;
  chunkSize?: number;
}

export interface BinaryFileMessage {
  /** File offset of the length prefix. */
  offset: number;
  /** The message bytes. A view into a reused buffer: valid only until the iterator advances. */
  data: Uint8Array;
}

/** Iterates the messages of a BinaryFILE on disk. */
export function* readBinaryFile(path: string, opts: BinaryFileOptions = {}): Generator<BinaryFileMessage, void, undefined> {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new ItchFileError(path, 0, `cannot open file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const size = fstatSync(fd).size;
    let buf = Buffer.alloc(opts.chunkSize ?? 8 << 20);
    let base = 0; // file offset of buf[0]
    let start = 0;
    let end = 0;
    let eof = false;
    /** Makes at least `n` bytes available at buf[start…] unless the file ends first. */
    const ensure = (n: number): boolean => {
      while (end - start < n && !eof) {
        if (start > 0) {
          buf.copy(buf, 0, start, end);
          end -= start;
          base += start;
          start = 0;
        }
        if (n > buf.length) {
          const bigger = Buffer.alloc(Math.max(buf.length * 2, end + n));
          buf.copy(bigger, 0, 0, end);
          buf = bigger;
        }
        const got = readSync(fd, buf, end, buf.length - end, base + end);
        if (got === 0) eof = true;
        end += got;
      }
      return end - start >= n;
    };
    for (;;) {
      if (!ensure(2)) {
        if (end === start) return;
        throw new ItchFileError(path, base + start, "truncated length prefix at end of file");
      }
      const at = base + start;
      const prefix = buf.readUInt16BE(start);
      let len = prefix;
      if (opts.zeroLengths) {
        if (!ensure(3)) throw new ItchFileError(path, at, "length prefix without a message at end of file");
        const type = buf[start + 2]!;
        len = itchMessageLength(type);
        if (len < 0) throw new ItchFileError(path, at + 2, `unknown ITCH message type ${describeType(type)}; cannot infer its length`);
        if (prefix !== 0 && prefix !== len) {
          throw new ItchFileError(path, at, `length prefix ${prefix} disagrees with the ${len}-byte length of type '${String.fromCharCode(type)}'`);
        }
      } else if (prefix === 0) {
        const rest = size - at - 2;
        if (rest <= 0) return;
        const next = ensure(3) ? buf[start + 2]! : -1;
        const hint = next >= 0 && itchMessageLength(next) > 0
          ? `the next byte is ITCH type '${String.fromCharCode(next)}', so this looks like a file whose length prefixes are all 0x0000: use the zero-lengths option (CLI: --zero-lengths) to take each length from the message type`
          : "if the length prefixes of this file are all 0x0000, use the zero-lengths option (CLI: --zero-lengths)";
        throw new ItchFileError(path, at, `zero length prefix (end of session) followed by ${rest} more bytes`, hint);
      }
      if (!ensure(2 + len)) {
        throw new ItchFileError(path, at, `truncated message: ${len} bytes announced, ${end - start - 2} left in the file`);
      }
      yield { offset: at, data: buf.subarray(start + 2, start + 2 + len) };
      start += 2 + len;
    }
  } finally {
    closeSync(fd);
  }
}

function describeType(b: number): string {
  return b >= 0x21 && b <= 0x7e ? `'${String.fromCharCode(b)}' (0x${b.toString(16)})` : `0x${b.toString(16).padStart(2, "0")}`;
}
