// pcapng block reader used by read.ts. It walks Section Header, Interface Description, Enhanced
// Packet, Simple Packet and (obsolete) Packet blocks in either byte order, honours each interface's
// if_tsresol (decimal or binary) and if_tsoffset, skips every other block type, and yields frames as
// subarray views of its byte source. A section may switch byte order; each new section resets the
// interface table. Error offsets are absolute file offsets. Simple Packet Blocks carry no timestamp,
// so their frames have tsNs 0. pcapngResolution reads the first interface's resolution for labels.
import { PcapError } from "./error.js";
import { LINKTYPE_ETHERNET, linktypeMessage } from "./linktype.js";
import type { PcapFrame } from "./read.js";
import type { ByteSource } from "./source.js";

const SHB = 0x0a0d0d0a;
const IDB = 1;
const OPB = 2;
const SPB = 3;
const EPB = 6;

interface Iface {
  snaplen: number;
  /** Timestamp units → ns: ns = units * mul / div. */
  mul: bigint;
  div: bigint;
  offsetNs: bigint;
}

export function* readPcapngFrames(file: string, src: ByteSource): Generator<PcapFrame, void, undefined> {
  const end = src.size;
  let le = true;
  let ifaces: Iface[] = [];
  let index = 0;
  let off = 0;
  while (off < end) {
    if (!src.ensure(off, 12)) throw new PcapError(file, off, `truncated block header (${end - off} bytes left)`);
    let view = src.view;
    let r = off - src.base;
    let type = view.getUint32(r, le);
    if (type === SHB) {
      const bom = view.getUint32(r + 8, true);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new PcapError(file, off + 8, "bad pcapng byte-order magic");
      type = SHB;
      ifaces = [];
    }
    const len = view.getUint32(r + 4, le);
    if (len < 12 || len % 4 !== 0) throw new PcapError(file, off + 4, `bad block length ${len}`);
    if (!src.ensure(off, len)) throw new PcapError(file, off, `truncated block (type ${type}, ${end - off} of ${len} bytes)`);
    view = src.view;
    r = off - src.base;
    if (view.getUint32(r + len - 4, le) !== len) throw new PcapError(file, off + len - 4, "block trailing length does not match its header");
    const body = r + 8;
    const bodyEnd = r + len - 4;
    const at = (rel: number): number => rel - r + off;
    if (type === SHB) {
      if (len < 28) throw new PcapError(file, off, "truncated section header block");
      const major = view.getUint16(body + 4, le);
      if (major !== 1) throw new PcapError(file, at(body + 4), `unsupported pcapng version ${major}`);
    } else if (type === IDB) {
      if (len < 20) throw new PcapError(file, off, "truncated interface description block");
      const linktype = view.getUint16(body, le);
      if (linktype !== LINKTYPE_ETHERNET) throw new PcapError(file, at(body), linktypeMessage(linktype));
      ifaces.push(readIdbOptions(file, view, body + 8, bodyEnd, le, view.getUint32(body + 4, le), at));
    } else if (type === EPB || type === OPB) {
      if (len < 32) throw new PcapError(file, off, "truncated packet block");
      const ifId = type === EPB ? view.getUint32(body, le) : view.getUint16(body, le);
      const iface = ifaces[ifId];
      if (!iface) throw new PcapError(file, at(body), `packet refers to undeclared interface ${ifId}`);
      const units = (BigInt(view.getUint32(body + 4, le)) << 32n) | BigInt(view.getUint32(body + 8, le));
      const capLen = view.getUint32(body + 12, le);
      const origLen = view.getUint32(body + 16, le);
      const dataOff = body + 20;
      if (capLen > bodyEnd - dataOff) throw new PcapError(file, at(body + 12), `captured length ${capLen} exceeds its block`);
      const tsNs = (units * iface.mul) / iface.div + iface.offsetNs;
      yield { index: index++, tsNs, data: src.bytes.subarray(dataOff, dataOff + capLen), origLen, fileOffset: off };
    } else if (type === SPB) {
      const iface = ifaces[0];
      if (!iface) throw new PcapError(file, off, "simple packet block before any interface description");
      const origLen = view.getUint32(body, le);
      let capLen = Math.min(origLen, bodyEnd - (body + 4));
      if (iface.snaplen > 0) capLen = Math.min(capLen, iface.snaplen);
      yield { index: index++, tsNs: 0n, data: src.bytes.subarray(body + 4, body + 4 + capLen), origLen, fileOffset: off };
    }
    off += len;
  }
}

function readIdbOptions(file: string, view: DataView, start: number, end: number, le: boolean, snaplen: number, at: (rel: number) => number): Iface {
  const iface: Iface = { snaplen, mul: 1000n, div: 1n, offsetNs: 0n };
  let p = start;
  while (p + 4 <= end) {
    const code = view.getUint16(p, le);
    const olen = view.getUint16(p + 2, le);
    if (code === 0) break;
    if (p + 4 + olen > end) throw new PcapError(file, at(p), `interface option ${code} overruns its block`);
    if (code === 9 && olen >= 1) {
      const r = view.getUint8(p + 4);
      const exp = BigInt(r & 0x7f);
      if (r & 0x80) {
        iface.mul = 1_000_000_000n;
        iface.div = 1n << exp;
      } else if (exp <= 9n) {
        iface.mul = 10n ** (9n - exp);
        iface.div = 1n;
      } else {
        iface.mul = 1n;
        iface.div = 10n ** (exp - 9n);
      }
    } else if (code === 14 && olen >= 8) {
      iface.offsetNs = view.getBigInt64(p + 4, le) * 1_000_000_000n;
    }
    p += 4 + ((olen + 3) & ~3);
  }
  return iface;
}

/**
 * The timestamp resolution of the first interface described in `bytes` (the start of a pcapng
 * file): "us" (the pcapng default), "ns", "ms", "s", "1e-N s" or "2^-N s". Only the blocks wholly
 * inside `bytes` are read; a file with no interface description there reports the default.
 */
export function pcapngResolution(bytes: Uint8Array, le: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 0;
  while (off + 12 <= bytes.length) {
    const type = view.getUint32(off, le);
    const len = view.getUint32(off + 4, le);
    if (len < 12 || len % 4 !== 0 || off + len > bytes.length) break;
    if (type === IDB && len >= 20) {
      let p = off + 16;
      while (p + 4 <= off + len - 4) {
        const code = view.getUint16(p, le);
        const olen = view.getUint16(p + 2, le);
        if (code === 0) break;
        if (code === 9 && olen >= 1) return resolutionLabel(view.getUint8(p + 4));
        p += 4 + ((olen + 3) & ~3);
      }
      return "us";
    }
    off += len;
  }
  return "us";
}

function resolutionLabel(r: number): string {
  const exp = r & 0x7f;
  if (r & 0x80) return `2^-${exp} s`;
  return ({ 0: "s", 3: "ms", 6: "us", 9: "ns" } as Record<number, string>)[exp] ?? `1e-${exp} s`;
}

