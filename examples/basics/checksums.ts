/**
 * Checksums a network front end computes on the fly: the 16-bit ones'-complement sum of the IPv4
 * and UDP headers (one 16-bit word per step, plus a whole 20-byte IPv4 header), and the reflected
 * CRC-32 of Ethernet and zlib (polynomial 0xEDB88320), one byte per step, both bit by bit and with a
 * 16-entry nibble ROM. A CRC is crc32Finish(crc32Step(…crc32Step(0xFFFFFFFF, b0)…, bn)).
 */
import { u8, u16, u32, u64, Vec } from "tsfpga";
import { be16 } from "./itch_fields.js";

/** The CRC-32 register's initial value (all ones). */
const CRC32_INIT = u32(0xffffffff);

/** CRC-32 of each 4-bit value (four bitwise steps from 0): the ROM behind crc32StepNibbles. */
const CRC32_NIBBLE: Vec<u32, 16> = [
  u32(0x00000000), u32(0x1db71064), u32(0x3b6e20c8), u32(0x26d930ac),
  u32(0x76dc4190), u32(0x6b6b51f4), u32(0x4db26158), u32(0x5005713c),
  u32(0xedb88320), u32(0xf00f9344), u32(0xd6d6a3e8), u32(0xcb61b38c),
  u32(0x9b64c2b0), u32(0x86d3d2d4), u32(0xa00ae278), u32(0xbdbdf21c),
];

// Adds one 16-bit word to a ones'-complement running sum (the carry out of bit 15 wraps around).
export function onesComplementAdd(acc: u16, word: u16): u16 {
  const s = acc + word;
  return u16((s & 0xffff) + (s >> 16));
}

// The checksum field value for a finished ones'-complement sum: its bitwise complement.
export function onesComplementFinish(acc: u16): u16 {
  return u16(~acc);
}

// The IPv4 header checksum of a 20-byte header (bytes 10–11 zero); a valid filled-in header gives 0.
export function ipv4HeaderChecksum(h: Vec<u8, 20>): u16 {
  let acc = u16(0);
  for (let i = 0; i < 10; i++) {
    acc = onesComplementAdd(acc, be16(h[2 * i], h[2 * i + 1]));
  }
  return onesComplementFinish(acc);
}

// One byte of reflected CRC-32, eight shift/XOR steps (least significant bit first).
export function crc32Step(crc: u32, byte: u8): u32 {
  let c = u32(crc ^ byte);
  for (let i = 0; i < 8; i++) {
    c = u32((c & 1) !== 0 ? (c >>> 1) ^ 0xedb88320 : c >>> 1);
  }
  return c;
}

// The same byte step as crc32Step, done as two lookups in the 16-entry nibble ROM.
export function crc32StepNibbles(crc: u32, byte: u8): u32 {
  let c = u32(crc ^ byte);
  c = u32((c >>> 4) ^ CRC32_NIBBLE[c & 15]);
  c = u32((c >>> 4) ^ CRC32_NIBBLE[c & 15]);
  return c;
}

// The transmitted CRC-32 value from the register: its bitwise complement.
export function crc32Finish(crc: u32): u32 {
  return u32(~crc);
}

// The complete CRC-32 of a 4-byte word sent first byte first (initial value, four steps, complement).
export function crc32Of4(b: Vec<u8, 4>): u32 {
  let c = CRC32_INIT;
  for (let i = 0; i < 4; i++) {
    c = crc32Step(c, b[i]);
  }
  return crc32Finish(c);
}

// The complete CRC-32 of a 12-byte block sent first byte first (the bitwise step, unrolled).
export function crc32Of12(b: Vec<u8, 12>): u32 {
  let c = CRC32_INIT;
  for (let i = 0; i < 12; i++) {
    c = crc32Step(c, b[i]);
  }
  return crc32Finish(c);
}

// 32-bit FNV-1a of a 16-byte block: per byte, XOR it in, then multiply by the FNV prime mod 2^32.
export function fnv1aOf16(b: Vec<u8, 16>): u32 {
  let h = u64(0x811c9dc5);
  for (let i = 0; i < 16; i++) {
    h = u64(((h ^ u64(b[i])) * 0x01000193n) & 0xffff_ffffn);
  }
  return u32(h);
}
