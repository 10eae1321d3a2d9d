/**
 * The delay model: an estimated combinational delay, in nanoseconds, for every IR op at its
 * width, keyed by the op table so a new op without an estimate is a compile error. The numbers
 * are estimates for a generic FPGA LUT6 + carry-chain + DSP fabric (see docs/delay-model.md for
 * where each figure comes from); they drive the scheduler, not sign-off timing. Operands that are
 * literals matter: a shift by a constant or a division by a power of two is wiring only.
 */
import type { Node } from "../ir/ir.js";
import type { OpName } from "../ir/ops.js";
import { flatWidth } from "../ir/types.js";

/** One LUT6 level including typical local routing. */
export const LUT_NS = 0.35;
/** Register clk-to-q + setup + clock uncertainty, subtracted from the period. */
export const REGISTER_MARGIN_NS = 0.45;
/** An unregistered DSP multiplier tile (about 18x18 → 36 bits). */
export const DSP_NS = 1.6;
/** Largest operand width one DSP tile multiplies. */
export const DSP_TILE_BITS = 17;

/** Carry-chain adder/subtractor/comparator of w bits: fixed entry/exit plus a per-bit ripple. */
export const carryNs = (w: number): number => 0.45 + 0.012 * w;
const log = (base: number, x: number) => (x <= 1 ? 0 : Math.ceil(Math.log(x) / Math.log(base) - 1e-9));
/** Levels of a LUT6 tree reducing n inputs (6 per LUT). */
const reduceLevels = (n: number) => Math.max(1, log(6, n));
/** Levels of 4:1 muxes (one LUT6 each) selecting one of n. */
const muxLevels = (n: number) => Math.max(1, log(4, n));

const width = (n: Node) => flatWidth(n.type);
const isLit = (n: Node | undefined) => n?.op === "literal";
const litValue = (n: Node) => BigInt(n.attrs.value);
const isPow2 = (v: bigint) => v > 0n && (v & (v - 1n)) === 0n;

/** Significant bits of an operand: a zero-extended value only carries its source bits. */
export function significantBits(n: Node): number {
  if (n.op === "zext") return significantBits(n.operands[0]);
  if (n.op === "literal") return Math.max(1, litValue(n).toString(2).length);
  return width(n);
}

function mulNs(n: Node): number {
  const [a, b] = n.operands;
  if ((isLit(a) && isPow2(litValue(a))) || (isLit(b) && isPow2(litValue(b)))) return 0;
  const ea = Math.min(significantBits(a), width(n));
  const eb = Math.min(significantBits(b), width(n));
  if (Math.min(ea, eb) <= 4) return LUT_NS * 2 + carryNs(width(n)); // shift-and-add in LUTs
  const tiles = Math.ceil(ea / DSP_TILE_BITS) * Math.ceil(eb / DSP_TILE_BITS);
  return DSP_NS + log(2, tiles) * carryNs(width(n));
}

function divNs(n: Node, signed: boolean): number {
  const d = n.operands[1];
  const w = width(n);
  if (isLit(d) && isPow2(litValue(d)) && (!signed || litValue(d) < 1n << BigInt(w - 1))) return signed ? carryNs(w) + LUT_NS : 0;
  return w * carryNs(w); // restoring array divider: one subtract-and-select row per quotient bit
}

const wiring = () => 0;
const lut = () => LUT_NS;
const arith = (n: Node) => carryNs(width(n));
const compare = (n: Node) => carryNs(width(n.operands[0]));
const shift = (n: Node) => (isLit(n.operands[1]) ? 0 : LUT_NS * muxLevels(width(n)) + LUT_NS);

/** Estimated delay of each op (ns) as a function of the node (its width and operands). */
export const DELAY: Record<OpName, (n: Node) => number> = {
  literal: wiring,
  param: wiring,
  add: arith,
  sub: arith,
  neg: arith,
  mul: mulNs,
  udiv: (n) => divNs(n, false),
  umod: (n) => divNs(n, false),
  sdiv: (n) => divNs(n, true),
  smod: (n) => divNs(n, true),
  and: lut,
  or: lut,
  xor: lut,
  not: wiring, // absorbed into the consuming LUT
  shl: shift,
  shrl: shift,
  shra: shift,
  eq: (n) => LUT_NS * reduceLevels(Math.ceil(width(n.operands[0]) / 3)),
  ne: (n) => LUT_NS * reduceLevels(Math.ceil(width(n.operands[0]) / 3)),
  ult: compare,
  ule: compare,
  slt: compare,
  sle: compare,
  zext: wiring,
  sext: wiring,
  slice: wiring,
  concat: wiring,
  sel: lut,
  record: wiring,
  field: wiring,
  setfield: wiring,
  array: wiring,
  index: (n) => {
    const arr = n.operands[0].type;
    return isLit(n.operands[1]) ? 0 : LUT_NS * muxLevels(arr.k === "array" ? arr.n : 1) + LUT_NS;
  },
  update: (n) => (isLit(n.operands[1]) ? 0 : 2 * LUT_NS),
  invoke: () => {
    throw new Error("internal: invoke reached the scheduler (functions are inlined first)");
  },
};

/** Estimated delay of one node, rounded to picoseconds. */
export function delayOf(n: Node): number {
  return Math.round(DELAY[n.op](n) * 1000) / 1000;
}
