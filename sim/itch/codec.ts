// Generic ITCH 5.0 message codec driven by the table in spec.ts: decode any known message into a
// record keyed by camelCase field names (numbers for fields up to 4 bytes, bigint for 6/8-byte
// fields, strings for alpha fields), and encode such a record back into bytes. Used by tests, the
// synthetic feed's rare message types and `pcap stat`; the hot paths write bytes directly instead.
import { ITCH_MESSAGES, type ItchMessageSpec } from "./spec.js";

export type ItchValue = number | bigint | string;
export type ItchRecord = Record<string, ItchValue>;

export function decodeItchMessage(m: Uint8Array): ItchRecord | undefined {
  const spec = ITCH_MESSAGES[String.fromCharCode(m[0] ?? 0)];
  if (!spec || m.length < spec.length) return undefined;
  const rec: ItchRecord = {};
  for (const f of spec.fields) {
    if (f.kind === "alpha") {
      rec[f.key] = String.fromCharCode(...m.subarray(f.offset, f.offset + f.size));
    } else if (f.size <= 4) {
      let v = 0;
      for (let i = 0; i < f.size; i++) v = v * 256 + m[f.offset + i]!;
      rec[f.key] = v;
    } else {
      let v = 0n;
      for (let i = 0; i < f.size; i++) v = (v << 8n) | BigInt(m[f.offset + i]!);
      rec[f.key] = v;
    }
  }
  return rec;
}

/** Encodes a message; missing fields are zero (numbers) or spaces (alpha). */
export function encodeItchMessage(type: string, values: Readonly<Record<string, ItchValue>>): Uint8Array {
  const spec: ItchMessageSpec | undefined = ITCH_MESSAGES[type];
  if (!spec) throw new RangeError(`unknown ITCH message type "${type}"`);
  const out = new Uint8Array(spec.length);
  for (const f of spec.fields) {
    const v = f.key === "messageType" ? type : values[f.key];
    if (f.kind === "alpha") {
      const s = String(v ?? "").padEnd(f.size, " ");
      for (let i = 0; i < f.size; i++) out[f.offset + i] = s.charCodeAt(i) & 255;
    } else {
      let x = BigInt(v ?? 0);
      for (let i = f.size - 1; i >= 0; i--) {
        out[f.offset + i] = Number(x & 255n);
        x >>= 8n;
      }
    }
  }
  return out;
}
