/**
 * Native-execution tests for examples/basics: each example function is run in Node with the tsfpga
 * runtime (the meaning a dialect program has by definition) and checked against hand-computed values
 * and independent references (Buffer's big-endian readers, zlib's CRC-32, plain arithmetic). The
 * compiled hardware must later reproduce exactly these results. The tests that read the sample ITCH
 * file under ../shared skip with a visible notice when that directory is absent.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync, readFileSync } from "node:fs";
import * as zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { u3, u4, u8, u12, u16, u24, u32, u40, i16, Vec } from "tsfpga";
import {
  Side,
  be16,
  be32,
  be48,
  be64,
  itchMessageLength,
  parseAddOrder,
  positionDelta,
  sideOf,
  symbol4,
} from "../examples/basics/itch_fields.js";
import {
  buyWouldCross,
  isCrossedOrLocked,
  maxPrice8,
  midPrice,
  minPrice8,
  notional,
  satAddI16,
  satAddU16,
  satSubU16,
  spreadTicks,
} from "../examples/basics/prices.js";
import {
  crc32Finish,
  crc32Of4,
  crc32Step,
  crc32StepNibbles,
  ipv4HeaderChecksum,
  onesComplementAdd,
  onesComplementFinish,
} from "../examples/basics/checksums.js";
import {
  hexDigit,
  hexDigitOf,
  popcount32,
  priorityEncode16,
  reverse32,
  reverse8,
  signExtend12,
  signExtend24,
  signExtend40,
  trailingZeros32,
} from "../examples/basics/bitops.js";

const bytes = (xs: number[]): u8[] => xs.map((x) => u8(x));
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const vec = <N extends number>(xs: number[], n: N): Vec<u8, N> => {
  expect(xs.length).toBe(n);
  return bytes(xs) as unknown as Vec<u8, N>;
};

/** A real Add Order from the sample file ex20101224.TEST_ITCH_50 (the message at byte offset 272): BOB, buy 1000 @ 5.3167. */
const REAL_ADD_ORDER = [
  0x41, 0x00, 0x02, 0x00, 0x00, 0x1c, 0x52, 0xa9, 0x5f, 0xed, 0x47, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x64, 0x42, 0x00, 0x00, 0x03, 0xe8, 0x42, 0x4f, 0x42, 0x20, 0x20, 0x20, 0x20, 0x20, 0x00, 0x00,
  0xcf, 0xaf,
];

/** A synthetic Add Order with the top bit of most fields set, to exercise sign/width pitfalls. */
const EDGE_ADD_ORDER = [
  ...ascii("A"),
  0xbe, 0xef, // locate 0xBEEF
  0x80, 0x01, // tracking 0x8001
  0x4e, 0x94, 0x91, 0x4e, 0xff, 0xff, // timestamp 0x4E94914EFFFF (just under 24 h in ns)
  0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // order reference 0x8000000000000001
  ...ascii("S"),
  0xff, 0xff, 0xff, 0xff, // shares 0xFFFFFFFF
  ...ascii("CHAR    "),
  0x77, 0x35, 0x94, 0x00, // price 200,000.0000 (the Price(4) maximum)
];

describe("itch_fields", () => {
  it("reads big-endian integers", () => {
    expect(be16(u8(0x12), u8(0x34))).toBe(0x1234);
    expect(be16(u8(0xff), u8(0xfe))).toBe(0xfffe);
    expect(be32(u8(0x80), u8(0), u8(0), u8(1))).toBe(0x80000001);
    expect(be32(u8(0xff), u8(0xff), u8(0xff), u8(0xff))).toBe(0xffffffff);
    expect(be48(vec([0x80, 0, 0, 0, 0, 1], 6))).toBe(0x800000000001n);
    expect(be64(vec([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 8))).toBe(0xffffffffffffffffn);
    expect(be64(vec([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef], 8))).toBe(0x0123456789abcdefn);
  });

  it("agrees with Buffer's big-endian readers on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (a) => {
        const buf = Buffer.from(a);
        const b = bytes([...a]);
        expect(be16(b[0], b[1])).toBe(buf.readUInt16BE(0));
        expect(be32(b[0], b[1], b[2], b[3])).toBe(buf.readUInt32BE(0));
        expect(be48(b.slice(0, 6) as Vec<u8, 6>)).toBe(BigInt(buf.readUIntBE(0, 6)));
        expect(be64(b as Vec<u8, 8>)).toBe(buf.readBigUInt64BE(0));
      }),
    );
  });

  it("decodes a real Add Order", () => {
    expect(parseAddOrder(vec(REAL_ADD_ORDER, 36))).toEqual({
      type: 0x41,
      locate: 2,
      tracking: 0,
      timestamp: 0x1c52a95fed47n, // 31,141,354,532,167 ns = 08:39:01.354532167
      orderRef: 100n,
      side: 0x42,
      shares: 1000,
      stock: 0x424f422020202020n, // "BOB     "
      price: 53167, // $5.3167
    });
  });

  it("decodes an Add Order whose fields have their top bits set", () => {
    const o = parseAddOrder(vec(EDGE_ADD_ORDER, 36));
    expect(o).toEqual({
      type: 65,
      locate: 0xbeef,
      tracking: 0x8001,
      timestamp: 0x4e94914effffn,
      orderRef: 0x8000000000000001n,
      side: 83,
      shares: 0xffffffff,
      stock: 0x4348415220202020n,
      price: 2_000_000_000,
    });
    expect(sideOf(o.side)).toBe(Side.Sell);
    expect(o.stock).toBe(symbol4(u8(0x43), u8(0x48), u8(0x41), u8(0x52)));
  });

  it("maps the side indicator and signs a fill", () => {
    expect(sideOf(u8(66))).toBe(Side.Buy);
    expect(sideOf(u8(83))).toBe(Side.Sell);
    expect(positionDelta(Side.Buy, u32(100))).toBe(100n);
    expect(positionDelta(Side.Sell, u32(100))).toBe(-100n);
    expect(positionDelta(Side.Sell, u32(0xffffffff))).toBe(-4294967295n);
    expect(positionDelta(Side.Sell, u32(0))).toBe(0n);
  });

  it("packs a space-padded symbol", () => {
    expect(symbol4(u8(0x42), u8(0x4f), u8(0x42), u8(0x20))).toBe(0x424f422020202020n);
  });

  it("knows the length of every ITCH 5.0 message type", () => {
    const lengths: Record<string, number> = {
      S: 12, R: 39, H: 25, Y: 20, L: 26, V: 35, W: 12, K: 28, J: 35, h: 21, A: 36, F: 40, E: 31,
      C: 36, X: 23, D: 19, U: 35, P: 44, Q: 40, B: 19, I: 50, N: 20, O: 48,
    };
    for (const [t, len] of Object.entries(lengths)) {
      expect(itchMessageLength(u8(t.charCodeAt(0))), t).toBe(len);
    }
    for (const t of ["Z", "a", " ", "\0"]) expect(itchMessageLength(u8(t.charCodeAt(0)))).toBe(0);
  });
});

describe("prices", () => {
  it("computes the mid-price without losing the carry", () => {
    expect(midPrice(u32(100_000), u32(100_100))).toBe(100_050);
    expect(midPrice(u32(1), u32(2))).toBe(1);
    expect(midPrice(u32(0xffffffff), u32(0xffffffff))).toBe(0xffffffff);
    expect(midPrice(u32(0xffffffff), u32(0xfffffffd))).toBe(0xfffffffe);
  });

  it("computes the spread in cents, truncated toward zero", () => {
    expect(spreadTicks(u32(100_000), u32(100_300))).toBe(3);
    expect(spreadTicks(u32(100_000), u32(100_050))).toBe(0);
    expect(spreadTicks(u32(100_300), u32(100_000))).toBe(-3);
    expect(spreadTicks(u32(100_000), u32(99_950))).toBe(0);
    expect(spreadTicks(u32(100_000), u32(99_850))).toBe(-1);
    expect(spreadTicks(u32(0), u32(0xffffffff))).toBe(42_949_672);
  });

  it("detects crossed and locked books", () => {
    expect(isCrossedOrLocked(u32(100_000), u32(100_100))).toBe(false);
    expect(isCrossedOrLocked(u32(100_100), u32(100_100))).toBe(true);
    expect(isCrossedOrLocked(u32(100_200), u32(100_100))).toBe(true);
    expect(buyWouldCross(u32(100_100), u32(100_100), true)).toBe(true);
    expect(buyWouldCross(u32(100_100), u32(100_100), false)).toBe(false);
    expect(buyWouldCross(u32(100_000), u32(100_100), true)).toBe(false);
  });

  it("computes the notional exactly beyond 2^53", () => {
    expect(notional(u32(53167), u32(1000))).toBe(53_167_000n);
    expect(notional(u32(0x77359400), u32(0xffffffff))).toBe(8_589_934_590_000_000_000n);
    expect(notional(u32(0xffffffff), u32(0xffffffff))).toBe(0xfffffffe00000001n);
  });

  it("finds the best of eight levels, first on ties", () => {
    const p = [500, 300, 700, 300, 900, 100, 900, 200].map((x) => u32(x)) as Vec<u32, 8>;
    expect(minPrice8(p)).toEqual({ price: 100, level: 5 });
    expect(maxPrice8(p)).toEqual({ price: 900, level: 4 });
    const flat = Array(8).fill(u32(7)) as Vec<u32, 8>;
    expect(minPrice8(flat)).toEqual({ price: 7, level: 0 });
    expect(maxPrice8(flat)).toEqual({ price: 7, level: 0 });
    const top = [0, 0, 0, 0, 0, 0, 0, 0xffffffff].map((x) => u32(x)) as Vec<u32, 8>;
    expect(maxPrice8(top)).toEqual({ price: 0xffffffff, level: 7 });
  });

  it("saturates instead of wrapping", () => {
    expect(satAddU16(u16(1), u16(2))).toBe(3);
    expect(satAddU16(u16(0xfff0), u16(0x20))).toBe(0xffff);
    expect(satAddU16(u16(0xffff), u16(0xffff))).toBe(0xffff);
    expect(satSubU16(u16(7), u16(5))).toBe(2);
    expect(satSubU16(u16(5), u16(7))).toBe(0);
    expect(satAddI16(i16(-5), i16(3))).toBe(-2);
    expect(satAddI16(i16(32_000), i16(1_000))).toBe(32_767);
    expect(satAddI16(i16(-32_000), i16(-1_000))).toBe(-32_768);
    expect(satAddI16(i16(-32_768), i16(-32_768))).toBe(-32_768);
  });
});

describe("checksums", () => {
  // The classic worked example of an IPv4 header checksum: 0xB861.
  const IPV4_HEADER = [
    0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01,
    0xc0, 0xa8, 0x00, 0xc7,
  ];

  it("adds with end-around carry", () => {
    expect(onesComplementAdd(u16(0x1234), u16(0x1111))).toBe(0x2345);
    expect(onesComplementAdd(u16(0xffff), u16(0x0001))).toBe(0x0001);
    expect(onesComplementAdd(u16(0xfffe), u16(0x0001))).toBe(0xffff);
    expect(onesComplementAdd(u16(0xffff), u16(0xffff))).toBe(0xffff);
    expect(onesComplementFinish(u16(0x479e))).toBe(0xb861);
  });

  it("computes and verifies an IPv4 header checksum", () => {
    expect(ipv4HeaderChecksum(vec(IPV4_HEADER, 20))).toBe(0xb861);
    const filled = [...IPV4_HEADER];
    filled[10] = 0xb8;
    filled[11] = 0x61;
    expect(ipv4HeaderChecksum(vec(filled, 20))).toBe(0);
  });

  it('gives the CRC-32 check value 0xCBF43926 for "123456789"', () => {
    for (const step of [crc32Step, crc32StepNibbles]) {
      let c = u32(0xffffffff);
      for (const b of ascii("123456789")) c = step(c, u8(b));
      expect(crc32Finish(c)).toBe(0xcbf43926);
    }
    expect(crc32Finish(u32(0xffffffff))).toBe(0); // the empty message
    expect(crc32Of4(vec(ascii("1234"), 4))).toBe(0x9be3e0a3);
  });

  it("has a nibble-ROM step identical to the bitwise step", () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), fc.nat(0xff), (c, b) => {
        expect(crc32StepNibbles(u32(c), u8(b))).toBe(crc32Step(u32(c), u8(b)));
      }),
    );
  });

  const zlibCrc32 = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  it.skipIf(zlibCrc32 === undefined)("matches zlib's CRC-32 on random data", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        let c = u32(0xffffffff);
        for (const b of data) c = crc32Step(c, u8(b));
        expect(crc32Finish(c)).toBe(zlibCrc32!(data));
      }),
    );
  });
});

describe("bitops", () => {
  it("counts bits", () => {
    expect(popcount32(u32(0))).toBe(0);
    expect(popcount32(u32(0xffffffff))).toBe(32);
    expect(popcount32(u32(0x80000001))).toBe(2);
    expect(popcount32(u32(0xf0f0))).toBe(8);
    fc.assert(
      fc.property(fc.nat(0xffffffff), (x) => {
        expect(popcount32(u32(x))).toBe([...x.toString(2)].filter((c) => c === "1").length);
      }),
    );
  });

  it("encodes the highest pending request", () => {
    expect(priorityEncode16(u16(0))).toEqual({ valid: false, index: 0 });
    expect(priorityEncode16(u16(0x0001))).toEqual({ valid: true, index: 0 });
    expect(priorityEncode16(u16(0x8000))).toEqual({ valid: true, index: 15 });
    expect(priorityEncode16(u16(0x0a00))).toEqual({ valid: true, index: 11 });
    expect(priorityEncode16(u16(0xffff))).toEqual({ valid: true, index: 15 });
  });

  it("counts trailing zeros", () => {
    expect(trailingZeros32(u32(0))).toBe(32);
    expect(trailingZeros32(u32(1))).toBe(0);
    expect(trailingZeros32(u32(12))).toBe(2);
    expect(trailingZeros32(u32(0x80000000))).toBe(31);
    fc.assert(
      fc.property(fc.nat(0xffffffff), (x) => {
        expect(trailingZeros32(u32(x))).toBe(x === 0 ? 32 : 31 - Math.clz32(x & -x));
      }),
    );
  });

  it("reverses bits", () => {
    expect(reverse8(u8(0x01))).toBe(0x80);
    expect(reverse8(u8(0xb4))).toBe(0x2d);
    expect(reverse32(u32(1))).toBe(0x80000000);
    expect(reverse32(u32(0x12345678))).toBe(0x1e6a2c48);
    fc.assert(
      fc.property(fc.nat(0xffffffff), (x) => {
        expect(reverse32(reverse32(u32(x)))).toBe(x);
        expect(reverse32(u32(x)).toString(2).padStart(32, "0")).toBe(
          [...x.toString(2).padStart(32, "0")].reverse().join(""),
        );
      }),
    );
  });

  it("sign-extends packed fields", () => {
    expect(signExtend24(u24(0x7fffff))).toBe(8_388_607);
    expect(signExtend24(u24(0x800000))).toBe(-8_388_608);
    expect(signExtend24(u24(0xffffff))).toBe(-1);
    expect(signExtend12(u12(0x7ff))).toBe(2047);
    expect(signExtend12(u12(0x800))).toBe(-2048);
    expect(signExtend12(u12(0xfff))).toBe(-1);
    expect(signExtend40(u40(5n))).toBe(5n);
    expect(signExtend40(u40(0x8000000000n))).toBe(-549_755_813_888n);
    expect(signExtend40(u40(0xffffffffffn))).toBe(-1n);
  });

  it("looks up hex digits in a ROM", () => {
    const digits = "0123456789ABCDEF";
    for (let n = 0; n < 16; n++) expect(hexDigit(u4(n))).toBe(digits.charCodeAt(n));
    const word = 0xdeadbeef;
    const text = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => String.fromCharCode(hexDigitOf(u32(word), u3(k))));
    expect(text.reverse().join("")).toBe("DEADBEEF");
  });
});

/** ../shared, seen from the project root (this file is in test/). */
const SHARED = fileURLToPath(new URL("../../shared/", import.meta.url));
const ITCH_FILE = `${SHARED}data/itch/ex20101224.TEST_ITCH_50`;
const haveItchFile = existsSync(ITCH_FILE);
if (!haveItchFile) {
  console.warn(`NOTICE: ${ITCH_FILE} is absent; the sample-file ITCH tests are skipped.`);
}

describe.skipIf(!haveItchFile)("itch_fields on the sample ITCH file (needs ../shared)", () => {
  it("walks all 12,012 messages by type length and decodes every Add Order", () => {
    const file = readFileSync(ITCH_FILE);
    const byType = new Map<string, number>();
    const bySide = new Map<number, number>();
    const byStock = new Map<bigint, number>();
    let pos = 0;
    let messages = 0;
    while (pos < file.length) {
      // BinaryFILE layout, but every length prefix in this file is zero: the type gives the length.
      expect(file.readUInt16BE(pos)).toBe(0);
      pos += 2;
      const len = itchMessageLength(u8(file[pos]!));
      expect(len, `unknown type at ${pos}`).toBeGreaterThan(0);
      const m = file.subarray(pos, pos + len);
      const type = String.fromCharCode(m[0]!);
      byType.set(type, (byType.get(type) ?? 0) + 1);
      if (type === "A" || type === "F") {
        // An F message is an A message followed by a 4-byte attribution.
        const o = parseAddOrder(vec([...m.subarray(0, 36)], 36));
        expect(o.locate).toBe(m.readUInt16BE(1));
        expect(o.tracking).toBe(m.readUInt16BE(3));
        expect(o.timestamp).toBe(BigInt(m.readUIntBE(5, 6)));
        expect(o.orderRef).toBe(m.readBigUInt64BE(11));
        expect(o.shares).toBe(m.readUInt32BE(20));
        expect(o.stock).toBe(m.readBigUInt64BE(24));
        expect(o.price).toBe(m.readUInt32BE(32));
        const side = sideOf(o.side);
        bySide.set(side, (bySide.get(side) ?? 0) + 1);
        byStock.set(o.stock, (byStock.get(o.stock) ?? 0) + 1);
      }
      pos += len;
      messages++;
    }
    expect(pos).toBe(file.length);
    expect(messages).toBe(12_012);
    expect(Object.fromEntries(byType)).toEqual({
      S: 6, R: 3, H: 3, A: 4_997, F: 3, E: 198, X: 45, D: 1_745, U: 12, P: 5_000,
    });
    expect(bySide.get(Side.Buy)).toBe(2_432);
    expect(bySide.get(Side.Sell)).toBe(2_568);
    const sym = (s: string) => symbol4(...(bytes(ascii(s.padEnd(4, " "))) as [u8, u8, u8, u8]));
    expect(byStock.get(sym("ALC"))).toBe(950);
    expect(byStock.get(sym("BOB"))).toBe(2_482);
    expect(byStock.get(sym("CHAR"))).toBe(1_568);
  });
});
