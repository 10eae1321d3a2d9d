/**
 * Field extraction for Nasdaq TotalView-ITCH 5.0: big-endian 16/32/48/64-bit readers over byte
 * arrays, the Add Order ('A') message decoded from a fixed 36-byte array into a record, the side
 * indicator as a const enum, and the message length for each type letter (needed to skip messages a
 * handler does not decode). All integers in ITCH are big-endian unsigned; offsets follow the 5.0 spec.
 */
import { u8, u16, u32, u48, u64, i33, cat, wideCat, char, Vec } from "tsfpga";

/** The Buy/Sell indicator: the member values are the ASCII letters 'B' and 'S'. */
export const enum Side {
  Buy = 66,
  Sell = 83,
}

/** A decoded Add Order (no MPID attribution), 36 bytes on the wire. */
export interface AddOrder {
  type: u8;
  locate: u16;
  tracking: u16;
  timestamp: u48;
  orderRef: u64;
  side: u8;
  shares: u32;
  stock: u64;
  price: u32;
}

// Two bytes, most significant first, as a u16 (the OR of two non-overlapping fields).
export function be16(hi: u8, lo: u8): u16 {
  return u16((hi << 8) | lo);
}

// Four bytes, most significant first: `b0 << 24` is negative for b0 ≥ 0x80 (ToInt32), u32() rewraps it.
export function be32(b0: u8, b1: u8, b2: u8, b3: u8): u32 {
  return u32((b0 << 24) | (b1 << 16) | (b2 << 8) | b3);
}

// Six bytes, most significant first: a 16-bit high half concatenated above a 32-bit low half.
export function be48(b: Vec<u8, 6>): u48 {
  return u48(wideCat(be16(b[0], b[1]), be32(b[2], b[3], b[4], b[5]), 32));
}

// Eight bytes, most significant first, accumulated in a bigint (shifts of bigints are exact).
export function be64(b: Vec<u8, 8>): u64 {
  let acc = 0n;
  for (let i = 0; i < 8; i++) {
    acc = (acc << 8n) | u64(b[i]);
  }
  return u64(acc);
}

// Decodes an Add Order message (type letter at offset 0) into its fields.
export function parseAddOrder(m: Vec<u8, 36>): AddOrder {
  return {
    type: m[0],
    locate: be16(m[1], m[2]),
    tracking: be16(m[3], m[4]),
    timestamp: be48([m[5], m[6], m[7], m[8], m[9], m[10]]),
    orderRef: be64([m[11], m[12], m[13], m[14], m[15], m[16], m[17], m[18]]),
    side: m[19],
    shares: be32(m[20], m[21], m[22], m[23]),
    stock: be64([m[24], m[25], m[26], m[27], m[28], m[29], m[30], m[31]]),
    price: be32(m[32], m[33], m[34], m[35]),
  };
}

// The side of an order from its indicator byte: 'S' is a sell, anything else is treated as a buy.
export function sideOf(indicator: u8): Side {
  return indicator === char("S") ? Side.Sell : Side.Buy;
}

// The signed change in position for a fill of `qty` shares: +qty when buying, −qty when selling.
export function positionDelta(side: Side, qty: u32): i33 {
  return i33(side === Side.Buy ? qty : -qty);
}

// The 8-byte space-padded stock symbol as a u64 from up to four leading characters (the rest spaces).
export function symbol4(c0: u8, c1: u8, c2: u8, c3: u8): u64 {
  const space = char(" ");
  const fourSpaces = cat(cat(space, space, 8), cat(space, space, 8), 16); // 0x20202020, compile time
  return u64(wideCat(be32(c0, c1, c2, c3), fourSpaces, 32));
}

// The total length in bytes of an ITCH 5.0 message given its type letter; 0 for an unknown type.
export function itchMessageLength(type: u8): u8 {
  switch (type) {
    case char("S"):
    case char("W"):
      return u8(12);
    case char("R"):
      return u8(39);
    case char("H"):
      return u8(25);
    case char("Y"):
    case char("N"):
      return u8(20);
    case char("L"):
      return u8(26);
    case char("V"):
    case char("J"):
    case char("U"):
      return u8(35);
    case char("K"):
      return u8(28);
    case char("h"):
      return u8(21);
    case char("A"):
    case char("C"):
      return u8(36);
    case char("F"):
    case char("Q"):
      return u8(40);
    case char("E"):
      return u8(31);
    case char("X"):
      return u8(23);
    case char("D"):
    case char("B"):
      return u8(19);
    case char("P"):
      return u8(44);
    case char("I"):
      return u8(50);
    case char("O"):
      return u8(48);
    default:
      return u8(0);
  }
}
