/**
 * Bit-level building blocks for parsers and arbiters: population count, a priority encoder that
 * picks the highest pending request, bit reversal, sign extension of packed signed fields (both with
 * the sext intrinsic and with a shift pair), and a ROM that maps a nibble to its ASCII hex digit.
 */
import { u3, u4, u6, u8, u12, u16, u24, u32, i16, i32, i64, u40, sext, char, Vec } from "tsfpga";

/** The outcome of a priority encoder: whether any bit was set and the index of the highest one. */
export interface Grant {
  valid: boolean;
  index: u4;
}

/** ASCII codes of the sixteen hexadecimal digits, indexed by their value. */
const HEX_DIGITS: Vec<u8, 16> = [
  u8(char("0")), u8(char("1")), u8(char("2")), u8(char("3")),
  u8(char("4")), u8(char("5")), u8(char("6")), u8(char("7")),
  u8(char("8")), u8(char("9")), u8(char("A")), u8(char("B")),
  u8(char("C")), u8(char("D")), u8(char("E")), u8(char("F")),
];

// The number of set bits in a 32-bit word (0…32).
export function popcount32(x: u32): u6 {
  let n = 0;
  for (let i = 0; i < 32; i++) {
    n += (x >>> i) & 1;
  }
  return u6(n);
}

// The index of the highest set bit of a 16-bit request vector, with valid = false when none is set.
export function priorityEncode16(req: u16): Grant {
  for (let i = 15; i >= 0; i--) {
    if (((req >> i) & 1) !== 0) {
      return { valid: true, index: u4(i) };
    }
  }
  return { valid: false, index: u4(0) };
}

// The index of the lowest set bit of a 32-bit word (count of trailing zeros); 32 when x is 0.
export function trailingZeros32(x: u32): u6 {
  let n = 32;
  for (let i = 31; i >= 0; i--) {
    if (((x >>> i) & 1) !== 0) {
      n = i;
    }
  }
  return u6(n);
}

// The eight bits of a byte in reverse order (bit 0 becomes bit 7).
export function reverse8(x: u8): u8 {
  let r = 0;
  for (let i = 0; i < 8; i++) {
    r = (r << 1) | ((x >> i) & 1);
  }
  return u8(r);
}

// The 32 bits of a word in reverse order; the intermediate `r << 1` goes negative, u32() rewraps it.
export function reverse32(x: u32): u32 {
  let r = 0;
  for (let i = 0; i < 32; i++) {
    r = (r << 1) | ((x >>> i) & 1);
  }
  return u32(r);
}

// A 24-bit two's-complement field (e.g. a packed price offset) sign-extended to 32 bits.
export function signExtend24(x: u24): i32 {
  return i32(sext(x, 24));
}

// A 12-bit two's-complement field sign-extended by shifting it to the top of 32 bits and back.
export function signExtend12(x: u12): i16 {
  return i16((x << 20) >> 20);
}

// A 40-bit two's-complement field sign-extended to 64 bits (bigint-backed on both sides).
export function signExtend40(x: u40): i64 {
  return i64(sext(x, 40));
}

// The ASCII hex digit ('0'…'9', 'A'…'F') of a 4-bit value, read from a ROM.
export function hexDigit(n: u4): u8 {
  return HEX_DIGITS[n];
}

// The ASCII hex digit of nibble `k` (0 = least significant) of a 32-bit word: a masked dynamic index.
export function hexDigitOf(x: u32, k: u3): u8 {
  return HEX_DIGITS[(x >>> (4 * k)) & 15];
}
