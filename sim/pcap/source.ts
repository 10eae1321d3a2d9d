// Byte sources for the capture readers: a window onto the input that the parsers ask to cover an
// absolute byte range before reading it. MemorySource is a whole buffer (zero copy); FileSource
// reads a file in large chunks with constant memory, so captures larger than memory (or than Node's
// 2 GB readFileSync limit) stream. Frames from a FileSource are views into its window: valid only
// until the reader advances.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export interface ByteSource {
  /** Current window; bytes[i] is the file byte at absolute offset `base + i`. */
  bytes: Uint8Array;
  view: DataView;
  base: number;
  /** Total size of the input in bytes. */
  size: number;
  /** Makes [offset, offset + n) available in the window; false if the input ends first. */
  ensure(offset: number, n: number): boolean;
  close(): void;
}

export class MemorySource implements ByteSource {
  readonly view: DataView;
  readonly base = 0;
  readonly size: number;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.size = bytes.length;
  }
  ensure(offset: number, n: number): boolean {
    return offset + n <= this.size;
  }
  close(): void {}
}

export class FileSource implements ByteSource {
  bytes: Uint8Array;
  view: DataView;
  base = 0;
  readonly size: number;
  private filled = 0;
  private readonly fd: number;

  constructor(path: string, private readonly chunkSize = 16 << 20) {
    this.fd = openSync(path, "r");
    this.size = fstatSync(this.fd).size;
    this.bytes = new Uint8Array(Math.min(chunkSize, Math.max(this.size, 1)));
    this.view = new DataView(this.bytes.buffer);
  }

  ensure(offset: number, n: number): boolean {
    if (offset + n > this.size) return false;
    if (offset >= this.base && offset + n <= this.base + this.filled) return true;
    const cap = Math.max(this.chunkSize, n);
    if (cap > this.bytes.length) {
      this.bytes = new Uint8Array(cap);
      this.view = new DataView(this.bytes.buffer);
    }
    this.base = offset;
    this.filled = 0;
    const want = Math.min(this.bytes.length, this.size - offset);
    while (this.filled < want) {
      const got = readSync(this.fd, this.bytes, this.filled, want - this.filled, offset + this.filled);
      if (got === 0) break;
      this.filled += got;
    }
    return this.filled >= n;
  }

  close(): void {
    closeSync(this.fd);
  }
}
