// Capture reader: classic libpcap (both byte orders, microsecond or nanosecond timestamps) and
// pcapng (delegated to pcapng.ts). Frames are yielded lazily as subarray views (no copy per frame)
// of a byte source: a buffer already in memory, or a file streamed in large chunks (files above
// STREAM_THRESHOLD, or on request), whose frame views are valid only until the iterator advances.
// Only Ethernet (linktype 1) is accepted. Any structural problem throws PcapError naming the file
// and the byte offset.
import { readFileSync, statSync } from "node:fs";
import { FileSource, MemorySource, type ByteSource } from "./source.js";
import { PcapError } from "./error.js";
import { pcapngResolution, readPcapngFrames } from "./pcapng.js";
import { LINKTYPE_ETHERNET, linktypeMessage } from "./linktype.js";
export { LINKTYPE_ETHERNET } from "./linktype.js";

/** One captured frame. `data` is a view into the capture buffer; copy it if you keep the buffer alive. */
export interface PcapFrame {
  /** 0-based position of the frame in the file. */
  index: number;
  /** Capture timestamp in nanoseconds since the Unix epoch. */
  tsNs: bigint;
  /** Captured bytes (may be shorter than origLen when the capture was sliced by snaplen). */
  data: Uint8Array;
  /** Length of the frame on the wire. */
  origLen: number;
  /** Byte offset of the record (pcap) or block (pcapng) in the file. */
  fileOffset: number;
}

export interface CaptureInfo {
  format: "pcap" | "pcapng";
  littleEndian: boolean;
  /** Timestamp resolution of the file header (pcapng: of the first interface): "us", "ns", or for
   *  pcapng any if_tsresol as "ms", "s", "1e-N s", "2^-N s". */
  tsResolution: string;
  linktype: number;
  snaplen: number;
}

const PCAP_HEADER = 24;
const PCAP_RECORD = 16;
/** Largest record accepted even when the header's snaplen is smaller (some writers lie). */
const MAX_RECORD = 262_144;

/** Bytes read ahead of a streamed file's frames to parse its header. */
const HEAD_BYTES = 65536;

/** Files larger than this are streamed by readCaptureFile instead of read whole. */
export const STREAM_THRESHOLD = 1 << 30;

export class Capture implements Iterable<PcapFrame> {
  constructor(
    readonly file: string,
    /** The whole capture when it is held in memory; undefined when it is streamed from `file`. */
    readonly bytes: Uint8Array | undefined,
    readonly info: CaptureInfo,
    private readonly streamChunkSize = 16 << 20,
  ) {}

  [Symbol.iterator](): Iterator<PcapFrame> {
    return this.frames();
  }

  /** Iterates the frames; each call starts again from the beginning. */
  *frames(): Generator<PcapFrame, void, undefined> {
    const src = this.bytes ? new MemorySource(this.bytes) : new FileSource(this.file, this.streamChunkSize);
    try {
      yield* this.info.format === "pcap" ? readPcapFrames(this.file, src, this.info) : readPcapngFrames(this.file, src);
    } finally {
      src.close();
    }
  }
}

/** Parses the file header of a pcap or pcapng capture held in memory. */
export function openCapture(input: Uint8Array, file = "<buffer>"): Capture {
  // A plain Uint8Array view: its subarray() is much cheaper per frame than Buffer's.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return new Capture(file, bytes, parseFileHeader(bytes, file));
}

function parseFileHeader(bytes: Uint8Array, file: string): CaptureInfo {
  if (bytes.length < 4) throw new PcapError(file, 0, bytes.length === 0 ? "empty file" : "truncated file header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicBE = view.getUint32(0, false);
  if (magicBE === 0x0a0d0d0a) {
    const littleEndian = pcapngIsLittle(file, view);
    return { format: "pcapng", littleEndian, tsResolution: pcapngResolution(bytes, littleEndian), linktype: LINKTYPE_ETHERNET, snaplen: 0 };
  }
  let littleEndian: boolean;
  let nano: boolean;
  switch (magicBE) {
    case 0xa1b2c3d4: littleEndian = false; nano = false; break;
    case 0xa1b23c4d: littleEndian = false; nano = true; break;
    case 0xd4c3b2a1: littleEndian = true; nano = false; break;
    case 0x4d3cb2a1: littleEndian = true; nano = true; break;
    default:
      throw new PcapError(file, 0, `not a pcap or pcapng file (magic 0x${magicBE.toString(16).padStart(8, "0")})`);
  }
  if (bytes.length < PCAP_HEADER) throw new PcapError(file, bytes.length, "truncated pcap file header");
  const major = view.getUint16(4, littleEndian);
  if (major !== 2) throw new PcapError(file, 4, `unsupported pcap version ${major}`);
  const snaplen = view.getUint32(16, littleEndian);
  const linktype = view.getUint32(20, littleEndian) & 0x0fffffff;
  if (linktype !== LINKTYPE_ETHERNET) throw new PcapError(file, 20, linktypeMessage(linktype));
  return { format: "pcap", littleEndian, tsResolution: nano ? "ns" : "us", linktype, snaplen };
}

/**
 * Opens a capture file. Files up to STREAM_THRESHOLD bytes (or any size with stream: false) are read
 * whole and their frames are stable views; larger ones (or stream: true) are streamed in chunks.
 */
export function readCaptureFile(path: string, opts: { stream?: boolean; chunkSize?: number } = {}): Capture {
  try {
    const size = statSync(path).size;
    if (opts.stream ?? size > STREAM_THRESHOLD) {
      const src = new FileSource(path, HEAD_BYTES);
      try {
        // The file header, and for pcapng the first interface description (its if_tsresol).
        src.ensure(0, Math.min(size, HEAD_BYTES));
        const head = src.bytes.subarray(0, Math.min(size, HEAD_BYTES));
        return new Capture(path, undefined, parseFileHeader(Uint8Array.from(head), path), opts.chunkSize);
      } finally {
        src.close();
      }
    }
    return openCapture(readFileSync(path), path);
  } catch (e) {
    if (e instanceof PcapError) throw e;
    throw new PcapError(path, 0, `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** Convenience: all frames of an in-memory capture as an array. */
export function readAllFrames(bytes: Uint8Array, file = "<buffer>"): PcapFrame[] {
  return [...openCapture(bytes, file).frames()];
}

function pcapngIsLittle(file: string, view: DataView): boolean {
  if (view.byteLength < 12) throw new PcapError(file, view.byteLength, "truncated pcapng section header");
  const bom = view.getUint32(8, true);
  if (bom === 0x1a2b3c4d) return true;
  if (bom === 0x4d3c2b1a) return false;
  throw new PcapError(file, 8, "bad pcapng byte-order magic");
}

function* readPcapFrames(file: string, src: ByteSource, info: CaptureInfo): Generator<PcapFrame, void, undefined> {
  const le = info.littleEndian;
  const fracToNs = info.tsResolution === "ns" ? 1 : 1000;
  const fracLimit = info.tsResolution === "ns" ? 1_000_000_000 : 1_000_000;
  const maxLen = Math.max(info.snaplen, MAX_RECORD);
  const end = src.size;
  let off = PCAP_HEADER;
  let index = 0;
  while (off < end) {
    if (!src.ensure(off, PCAP_RECORD)) throw new PcapError(file, off, `truncated record header (${end - off} of ${PCAP_RECORD} bytes)`);
    const view = src.view;
    let r = off - src.base;
    const sec = view.getUint32(r, le);
    const frac = view.getUint32(r + 4, le);
    const capLen = view.getUint32(r + 8, le);
    const origLen = view.getUint32(r + 12, le);
    if (frac >= fracLimit) throw new PcapError(file, off + 4, `bad timestamp fraction ${frac} (corrupt record header)`);
    if (capLen > maxLen) throw new PcapError(file, off + 8, `captured length ${capLen} exceeds snaplen ${info.snaplen} (corrupt record header)`);
    if (origLen < capLen) throw new PcapError(file, off + 12, `original length ${origLen} is smaller than captured length ${capLen} (corrupt record header)`);
    const dataOff = off + PCAP_RECORD;
    if (!src.ensure(off, PCAP_RECORD + capLen)) throw new PcapError(file, dataOff, `truncated record data (${end - dataOff} of ${capLen} bytes)`);
    r = dataOff - src.base;
    const tsNs = BigInt(sec) * 1_000_000_000n + BigInt(frac * fracToNs);
    yield { index, tsNs, data: src.bytes.subarray(r, r + capLen), origLen, fileOffset: off };
    index++;
    off = dataOff + capLen;
  }
}
