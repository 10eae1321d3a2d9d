// ITCH 5.0 message table: every message type in specs/itch50.md with its length and full field
// layout (name, camelCase key, offset, size, kind). Layouts of the book-affecting/core messages come
// from the spec's field table; the "other" types (Y L V W K J h N O) list only lengths there, so
// their field breakdown follows Nasdaq's TotalView-ITCH 5.0 document and is checked here only in that
// the fields tile the message exactly (see test/itch-spec.test.ts). Everything else in the tools
// (length inference, generic codec, synth, stat) keys off this one table.

/** uint: big-endian unsigned; alpha: ASCII space-padded; price4/price8: uint with 4/8 implied decimals. */
export type FieldKind = "alpha" | "uint" | "price4" | "price8" | "timestamp";

export interface ItchField {
  name: string;
  key: string;
  offset: number;
  size: number;
  kind: FieldKind;
}

export interface ItchMessageSpec {
  type: string;
  name: string;
  length: number;
  /** All fields, header included, in offset order. */
  fields: readonly ItchField[];
}

type Row = [name: string, size: number, kind?: FieldKind];

function camel(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join("");
}

const HEADER: Row[] = [
  ["Message Type", 1, "alpha"],
  ["Stock Locate", 2],
  ["Tracking Number", 2],
  ["Timestamp", 6, "timestamp"],
];

function msg(type: string, name: string, length: number, rows: Row[]): ItchMessageSpec {
  const fields: ItchField[] = [];
  let offset = 0;
  for (const [fname, size, kind] of [...HEADER, ...rows]) {
    fields.push({ name: fname, key: camel(fname), offset, size, kind: kind ?? "uint" });
    offset += size;
  }
  if (offset !== length) throw new Error(`ITCH table: ${type} fields cover ${offset} bytes, length is ${length}`);
  return { type, name, length, fields };
}

const A = "alpha" as const;
const P4 = "price4" as const;
const P8 = "price8" as const;
const ADD: Row[] = [["Order Reference Number", 8], ["Buy/Sell", 1, A], ["Shares", 4], ["Stock", 8, A], ["Price", 4, P4]];

const TABLE: ItchMessageSpec[] = [
  msg("S", "System Event", 12, [["Event Code", 1, A]]),
  msg("R", "Stock Directory", 39, [
    ["Stock", 8, A], ["Market Category", 1, A], ["Financial Status", 1, A], ["Round Lot Size", 4],
    ["Round Lots Only", 1, A], ["Issue Classification", 1, A], ["Issue Sub-Type", 2, A], ["Authenticity", 1, A],
    ["Short Sale Threshold", 1, A], ["IPO Flag", 1, A], ["LULD Ref Price Tier", 1, A], ["ETP Flag", 1, A],
    ["ETP Leverage Factor", 4], ["Inverse Indicator", 1, A],
  ]),
  msg("H", "Stock Trading Action", 25, [["Stock", 8, A], ["Trading State", 1, A], ["Reserved", 1, A], ["Reason", 4, A]]),
  msg("A", "Add Order, no MPID", 36, ADD),
  msg("F", "Add Order with MPID", 40, [...ADD, ["Attribution", 4, A]]),
  msg("E", "Order Executed", 31, [["Order Reference Number", 8], ["Executed Shares", 4], ["Match Number", 8]]),
  msg("C", "Order Executed with Price", 36, [
    ["Order Reference Number", 8], ["Executed Shares", 4], ["Match Number", 8], ["Printable", 1, A], ["Execution Price", 4, P4],
  ]),
  msg("X", "Order Cancel", 23, [["Order Reference Number", 8], ["Cancelled Shares", 4]]),
  msg("D", "Order Delete", 19, [["Order Reference Number", 8]]),
  msg("U", "Order Replace", 35, [
    ["Original Order Reference Number", 8], ["New Order Reference Number", 8], ["Shares", 4], ["Price", 4, P4],
  ]),
  msg("P", "Trade (non-cross)", 44, [
    ["Order Reference Number", 8], ["Buy/Sell", 1, A], ["Shares", 4], ["Stock", 8, A], ["Price", 4, P4], ["Match Number", 8],
  ]),
  msg("Q", "Cross Trade", 40, [["Shares", 8], ["Stock", 8, A], ["Cross Price", 4, P4], ["Match Number", 8], ["Cross Type", 1, A]]),
  msg("B", "Broken Trade", 19, [["Match Number", 8]]),
  msg("I", "Net Order Imbalance Indicator", 50, [
    ["Paired Shares", 8], ["Imbalance Shares", 8], ["Imbalance Direction", 1, A], ["Stock", 8, A], ["Far Price", 4, P4],
    ["Near Price", 4, P4], ["Current Reference Price", 4, P4], ["Cross Type", 1, A], ["Price Variation Indicator", 1, A],
  ]),
  msg("Y", "Reg SHO Restriction", 20, [["Stock", 8, A], ["Reg SHO Action", 1, A]]),
  msg("L", "Market Participant Position", 26, [
    ["MPID", 4, A], ["Stock", 8, A], ["Primary Market Maker", 1, A], ["Market Maker Mode", 1, A], ["Market Participant State", 1, A],
  ]),
  msg("V", "MWCB Decline Level", 35, [["Level 1", 8, P8], ["Level 2", 8, P8], ["Level 3", 8, P8]]),
  msg("W", "MWCB Status", 12, [["Breached Level", 1, A]]),
  msg("K", "IPO Quoting Period Update", 28, [
    ["Stock", 8, A], ["IPO Quotation Release Time", 4], ["IPO Quotation Release Qualifier", 1, A], ["IPO Price", 4, P4],
  ]),
  msg("J", "LULD Auction Collar", 35, [
    ["Stock", 8, A], ["Auction Collar Reference Price", 4, P4], ["Upper Auction Collar Price", 4, P4],
    ["Lower Auction Collar Price", 4, P4], ["Auction Collar Extension", 4],
  ]),
  msg("h", "Operational Halt", 21, [["Stock", 8, A], ["Market Code", 1, A], ["Operational Halt Action", 1, A]]),
  msg("N", "Retail Price Improvement Indicator", 20, [["Stock", 8, A], ["Interest Flag", 1, A]]),
  msg("O", "Direct Listing with Capital Raise Price Discovery", 48, [
    ["Stock", 8, A], ["Open Eligibility Status", 1, A], ["Minimum Allowable Price", 4, P4], ["Maximum Allowable Price", 4, P4],
    ["Near Execution Price", 4, P4], ["Near Execution Time", 8], ["Lower Price Range Collar", 4, P4], ["Upper Price Range Collar", 4, P4],
  ]),
];

/** Message specs keyed by type letter. */
export const ITCH_MESSAGES: Readonly<Record<string, ItchMessageSpec>> = Object.fromEntries(TABLE.map((m) => [m.type, m]));

/** All type letters in table order. */
export const ITCH_TYPES: readonly string[] = TABLE.map((m) => m.type);

const LENGTH_BY_BYTE = new Int16Array(256).fill(-1);
for (const m of TABLE) LENGTH_BY_BYTE[m.type.charCodeAt(0)] = m.length;

/** Length of a message from its type byte, or -1 for an unknown type. */
export function itchMessageLength(typeByte: number): number {
  return LENGTH_BY_BYTE[typeByte & 255]!;
}
