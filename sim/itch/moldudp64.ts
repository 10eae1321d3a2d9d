// MoldUDP64 downstream packets: encode (data, heartbeat, end of session) and decode. A packet is
// Session(10 ASCII) + Sequence(u64 BE, sequence of its first message) + Count(u16 BE) + Count blocks
// of u16 length + message. Count 0 is a heartbeat, 0xFFFF end of session (both carry the next
// expected sequence). Decoding never throws; it returns a reason code and the offset of the problem.
// A session byte must be printable ASCII or NUL (public per-type sample captures use an all-NUL
// session); any other control byte is `bad-session`. formatSession escapes NUL for printing.
import { InputError } from "../pcap/error.js";

export const MOLD_HEADER_LENGTH = 20;
export const MOLD_END_OF_SESSION = 0xffff;

export type MoldKind = "data" | "heartbeat" | "end-of-session";

export interface MoldPacket {
  session: string;
  sequence: bigint;
  count: number;
  kind: MoldKind;
  /** Message bodies (views into the payload); empty for heartbeat and end of session. */
  messages: Uint8Array[];
}

export type MoldRejectReason = "truncated-header" | "truncated-block" | "trailing-bytes" | "bad-session" | "empty-message";

export type MoldDecode = { ok: true; packet: MoldPacket } | { ok: false; reason: MoldRejectReason; offset: number };

/** Validates and space-pads a session name to its 10-byte wire form. */
export function moldSessionBytes(session: string): Uint8Array {
  if (session.length > 10 || !/^[\x20-\x7e]*$/.test(session)) {
    throw new InputError(`bad MoldUDP64 session "${session}" (at most 10 printable ASCII characters)`);
  }
  return Uint8Array.from(session.padEnd(10, " "), (c) => c.charCodeAt(0));
}

export function writeMoldHeader(out: Uint8Array, offset: number, session: Uint8Array, sequence: bigint, count: number): void {
  out.set(session, offset);
  const v = new DataView(out.buffer, out.byteOffset + offset + 10, 10);
  v.setBigUint64(0, sequence, false);
  v.setUint16(8, count, false);
}

export function encodeMoldPacket(session: string, sequence: bigint, messages: readonly Uint8Array[]): Uint8Array {
  if (messages.length >= MOLD_END_OF_SESSION) throw new RangeError("too many messages for one MoldUDP64 packet");
  let len = MOLD_HEADER_LENGTH;
  for (const m of messages) len += 2 + m.length;
  const out = new Uint8Array(len);
  writeMoldHeader(out, 0, moldSessionBytes(session), sequence, messages.length);
  let p = MOLD_HEADER_LENGTH;
  for (const m of messages) {
    out[p] = m.length >> 8;
    out[p + 1] = m.length & 255;
    out.set(m, p + 2);
    p += 2 + m.length;
  }
  return out;
}

export function encodeMoldHeartbeat(session: string, nextSequence: bigint): Uint8Array {
  return encodeMoldPacket(session, nextSequence, []);
}

export function encodeMoldEndOfSession(session: string, nextSequence: bigint): Uint8Array {
  const out = new Uint8Array(MOLD_HEADER_LENGTH);
  writeMoldHeader(out, 0, moldSessionBytes(session), nextSequence, MOLD_END_OF_SESSION);
  return out;
}

let lastSessionBytes = new Uint8Array(10);
let lastSession = "";

/** Session string of p[0..10), reusing the previous string when the bytes repeat (they nearly always do). */
function sessionOf(p: Uint8Array): string | number {
  let same = lastSession !== "";
  for (let i = 0; i < 10; i++) {
    const c = p[i]!;
    if ((c < 0x20 && c !== 0) || c > 0x7e) return i;
    if (c !== lastSessionBytes[i]) same = false;
  }
  if (!same) {
    lastSessionBytes = p.slice(0, 10);
    lastSession = String.fromCharCode(...lastSessionBytes);
  }
  return lastSession;
}

/** A session name for humans: NUL bytes shown as \0. */
export function formatSession(session: string): string {
  return session.replace(/\0/g, "\\0");
}

export function decodeMoldPacket(p: Uint8Array): MoldDecode {
  if (p.length < MOLD_HEADER_LENGTH) return { ok: false, reason: "truncated-header", offset: p.length };
  const session = sessionOf(p);
  if (typeof session === "number") return { ok: false, reason: "bad-session", offset: session };
  const hi = ((p[10]! << 24) | (p[11]! << 16) | (p[12]! << 8) | p[13]!) >>> 0;
  const lo = ((p[14]! << 24) | (p[15]! << 16) | (p[16]! << 8) | p[17]!) >>> 0;
  const sequence = hi < 0x200000 ? BigInt(hi * 4294967296 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
  const count = (p[18]! << 8) | p[19]!;
  if (count === 0 || count === MOLD_END_OF_SESSION) {
    if (p.length !== MOLD_HEADER_LENGTH) return { ok: false, reason: "trailing-bytes", offset: MOLD_HEADER_LENGTH };
    return { ok: true, packet: { session, sequence, count, kind: count === 0 ? "heartbeat" : "end-of-session", messages: [] } };
  }
  const messages: Uint8Array[] = new Array(count);
  let off = MOLD_HEADER_LENGTH;
  for (let i = 0; i < count; i++) {
    if (p.length - off < 2) return { ok: false, reason: "truncated-block", offset: off };
    const len = (p[off]! << 8) | p[off + 1]!;
    if (len === 0) return { ok: false, reason: "empty-message", offset: off };
    if (p.length - off - 2 < len) return { ok: false, reason: "truncated-block", offset: off };
    messages[i] = p.subarray(off + 2, off + 2 + len);
    off += 2 + len;
  }
  if (off !== p.length) return { ok: false, reason: "trailing-bytes", offset: off };
  return { ok: true, packet: { session, sequence, count, kind: "data", messages } };
}
