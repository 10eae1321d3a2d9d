// Classic pcap writer (little-endian by default; microsecond or nanosecond timestamps). Records are
// packed into one reusable output buffer and handed to a sink in large chunks, so writing millions
// of frames to disk streams with constant memory. `encodePcap` builds a whole file in memory for
// tests and fixtures; `createPcapFile` streams to a path with synchronous writes.
import { closeSync, openSync, writeSync } from "node:fs";
import { LINKTYPE_ETHERNET } from "./linktype.js";

export interface PcapWriterOptions {
  /** Nanosecond timestamps (magic a1b23c4d); default microseconds (a1b2c3d4). */
  nanosecond?: boolean;
  /** Default true. Big-endian output exists for reader tests. */
  littleEndian?: boolean;
  snaplen?: number;
  linktype?: number;
}

export interface FrameToWrite {
  tsNs: bigint;
  data: Uint8Array;
  origLen?: number;
}

const HEADER = 24;
const RECORD = 16;

export function encodePcapHeader(opts: PcapWriterOptions = {}): Uint8Array {
  const out = new Uint8Array(HEADER);
  const v = new DataView(out.buffer);
  const le = opts.littleEndian ?? true;
  v.setUint32(0, opts.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, opts.snaplen ?? 65535, le);
  v.setUint32(20, opts.linktype ?? LINKTYPE_ETHERNET, le);
  return out;
}

export class PcapWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private readonly le: boolean;
  private readonly nano: boolean;
  frames = 0;
  bytes = 0;

  constructor(
    private readonly sink: (chunk: Uint8Array) => void,
    opts: PcapWriterOptions = {},
    bufferSize = 1 << 20,
  ) {
    this.buf = new Uint8Array(bufferSize);
    this.view = new DataView(this.buf.buffer);
    this.le = opts.littleEndian ?? true;
    this.nano = opts.nanosecond ?? false;
    const header = encodePcapHeader(opts);
    this.buf.set(header, 0);
    this.pos = HEADER;
    this.bytes = HEADER;
  }

  /** Appends one record; `origLen` defaults to the captured length. */
  writeFrame(tsNs: bigint, data: Uint8Array, origLen = data.length): void {
    this.writeFrameWith(tsNs, data.length, (b, o) => b.set(data, o), origLen);
  }

  /** Appends one record of `len` bytes whose contents `fill` writes in place (no intermediate copy). */
  writeFrameWith(tsNs: bigint, len: number, fill: (buf: Uint8Array, offset: number) => void, origLen = len): void {
    const need = RECORD + len;
    if (this.pos + need > this.buf.length) {
      this.flush();
      if (need > this.buf.length) {
        this.buf = new Uint8Array(need * 2);
        this.view = new DataView(this.buf.buffer);
      }
    }
    const sec = tsNs / 1_000_000_000n;
    const nsPart = Number(tsNs - sec * 1_000_000_000n);
    const v = this.view;
    v.setUint32(this.pos, Number(sec), this.le);
    v.setUint32(this.pos + 4, this.nano ? nsPart : Math.floor(nsPart / 1000), this.le);
    v.setUint32(this.pos + 8, len, this.le);
    v.setUint32(this.pos + 12, origLen, this.le);
    fill(this.buf, this.pos + RECORD);
    this.pos += need;
    this.bytes += need;
    this.frames++;
  }

  flush(): void {
    if (this.pos > 0) this.sink(this.buf.slice(0, this.pos));
    this.pos = 0;
  }
}

/** Builds a complete pcap file in memory. */
export function encodePcap(frames: Iterable<FrameToWrite>, opts: PcapWriterOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new PcapWriter((c) => chunks.push(c), opts);
  for (const f of frames) w.writeFrame(f.tsNs, f.data, f.origLen ?? f.data.length);
  w.flush();
  return Buffer.concat(chunks);
}

/** A pcap writer streaming to a file; call close() when done. */
export interface PcapFile {
  writer: PcapWriter;
  close(): void;
}

export function createPcapFile(path: string, opts: PcapWriterOptions = {}): PcapFile {
  const fd = openSync(path, "w");
  const writer = new PcapWriter((c) => {
    let done = 0;
    while (done < c.length) done += writeSync(fd, c, done, c.length - done);
  }, opts, 4 << 20);
  return {
    writer,
    close() {
      writer.flush();
      closeSync(fd);
    },
  };
}
