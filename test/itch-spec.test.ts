// ITCH 5.0 table and MoldUDP64 codec: the table covers every type named in specs/itch50.md with the
// spec's lengths and field offsets, fields tile each message exactly, the generic codec round-trips,
// length inference by type byte, and MoldUDP64 encode/decode including heartbeat, end of session and
// malformed packets (reason code + offset, never a throw).
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { ITCH_MESSAGES, ITCH_TYPES, itchMessageLength } from "../sim/itch/spec.js";
import { decodeItchMessage, encodeItchMessage } from "../sim/itch/codec.js";
import { decodeMoldPacket, encodeMoldEndOfSession, encodeMoldHeartbeat, encodeMoldPacket } from "../sim/itch/moldudp64.js";
import { InputError } from "../sim/pcap/error.js";

const SPEC = "../shared/specs/itch50.md";
const haveSpec = existsSync(SPEC);
if (!haveSpec) console.warn(`NOTICE: ${SPEC} not found — spec cross-check tests skipped`);

describe("ITCH 5.0 table", () => {
  it("has all 23 ITCH 5.0 types with their lengths", () => {
    const lengths = Object.fromEntries(ITCH_TYPES.map((t) => [t, ITCH_MESSAGES[t]!.length]));
    expect(lengths).toEqual({
      S: 12, R: 39, H: 25, A: 36, F: 40, E: 31, C: 36, X: 23, D: 19, U: 35, P: 44, Q: 40, B: 19, I: 50,
      Y: 20, L: 26, V: 35, W: 12, K: 28, J: 35, h: 21, N: 20, O: 48,
    });
  });

  it("fields tile every message from offset 0 to its length", () => {
    for (const t of ITCH_TYPES) {
      let off = 0;
      for (const f of ITCH_MESSAGES[t]!.fields) {
        expect(f.offset, `${t}.${f.key}`).toBe(off);
        off += f.size;
      }
      expect(off).toBe(ITCH_MESSAGES[t]!.length);
    }
  });

  it.skipIf(!haveSpec)("matches every type, length and name@offset:length in specs/itch50.md", () => {
    const text = readFileSync(SPEC, "utf8");
    const rows = [...text.matchAll(/^\| `(\w)` \| ([^|]+) \| (\d+)[^|]*\|(?: ([^|]*) \|)?/gm)];
    expect(rows.length).toBe(23);
    for (const [, type, , len, fieldText] of rows) {
      const spec = ITCH_MESSAGES[type!];
      expect(spec, type).toBeDefined();
      expect(spec!.length, type).toBe(Number(len));
      for (const [, name, off, size] of (fieldText ?? "").matchAll(/([A-Z][\w /-]*?)@(\d+):\**(\d+)/g)) {
        const f = spec!.fields.find((x) => x.offset === Number(off));
        expect(f, `${type} ${name}`).toBeDefined();
        expect(f!.name.toLowerCase(), `${type}@${off}`).toBe(name!.trim().toLowerCase());
        expect(f!.size, `${type} ${name}`).toBe(Number(size));
      }
    }
  });

  it("infers lengths by type byte, -1 for unknown", () => {
    expect(itchMessageLength("A".charCodeAt(0))).toBe(36);
    expect(itchMessageLength("h".charCodeAt(0))).toBe(21);
    expect(itchMessageLength("Z".charCodeAt(0))).toBe(-1);
    expect(itchMessageLength(0)).toBe(-1);
  });

  it("generic codec round-trips every type (fast-check, seeded)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ITCH_TYPES), fc.uint8Array({ minLength: 50, maxLength: 50 }), (t, raw) => {
        const spec = ITCH_MESSAGES[t]!;
        const bytes = raw.slice(0, spec.length);
        bytes[0] = t.charCodeAt(0);
        for (const f of spec.fields.slice(1)) if (f.kind === "alpha") for (let i = 0; i < f.size; i++) bytes[f.offset + i] = 0x20 + (bytes[f.offset + i]! % 95);
        const rec = decodeItchMessage(bytes)!;
        expect([...encodeItchMessage(t, rec)]).toEqual([...bytes]);
      }),
      { seed: 3, numRuns: 500 },
    );
  });
});

describe("MoldUDP64", () => {
  const msgs = [Uint8Array.of(0x53, 1, 2), Uint8Array.of(0x44, ...new Array(18).fill(7))];

  it("encodes and decodes data packets", () => {
    const p = encodeMoldPacket("000007525B", 484_311_999n, msgs);
    expect(p.length).toBe(20 + 2 + 3 + 2 + 19);
    expect(Buffer.from(p.subarray(0, 20)).toString("hex")).toBe("30303030303735323542" + "000000001cde03bf" + "0002");
    const d = decodeMoldPacket(p);
    expect(d.ok && d.packet).toMatchObject({ session: "000007525B", sequence: 484_311_999n, count: 2, kind: "data" });
    expect(d.ok && d.packet.messages.map((m) => [...m])).toEqual(msgs.map((m) => [...m]));
  });

  it("heartbeat and end of session", () => {
    expect(decodeMoldPacket(encodeMoldHeartbeat("S", 10n))).toMatchObject({ ok: true, packet: { kind: "heartbeat", sequence: 10n, count: 0, session: "S         " } });
    expect(decodeMoldPacket(encodeMoldEndOfSession("S", 11n))).toMatchObject({ ok: true, packet: { kind: "end-of-session", count: 0xffff } });
  });

  it("malformed packets give a reason and offset", () => {
    const p = encodeMoldPacket("ABCDEFGHIJ", 1n, msgs);
    expect(decodeMoldPacket(p.subarray(0, 19))).toEqual({ ok: false, reason: "truncated-header", offset: 19 });
    expect(decodeMoldPacket(p.subarray(0, p.length - 1))).toEqual({ ok: false, reason: "truncated-block", offset: 25 });
    expect(decodeMoldPacket(Uint8Array.of(...p, 0))).toEqual({ ok: false, reason: "trailing-bytes", offset: p.length });
    const bad = Uint8Array.from(p);
    bad[3] = 0x01;
    expect(decodeMoldPacket(bad)).toEqual({ ok: false, reason: "bad-session", offset: 3 });
  });

  it("never throws on random payloads (fast-check, seeded)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => void decodeMoldPacket(b)), { seed: 5, numRuns: 2000 });
  });

  it("rejects bad session names", () => {
    expect(() => encodeMoldPacket("ELEVENCHARS", 1n, [])).toThrow(InputError);
    expect(() => encodeMoldPacket("ünï", 1n, [])).toThrow(/printable ASCII/);
  });
});
