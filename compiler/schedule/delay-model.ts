/**
 * The delay model: an estimated combinational delay, in nanoseconds, for every IR op at its
 * width, keyed by the op table so a new op without an estimate is a compile error. Each estimate
 * is a count of model terms (LUT levels, mux levels, carry-chain entries and bits, multiplier
 * tiles or rows) times the active model's coefficients. The default model is generic (a LUT6 +
 * carry-chain + DSP fabric, see docs/delay-model.md); a target's model (models/<target>.json) has
 * coefficients fitted by least squares on place-and-route results (`make calibrate`,
 * sim/pnr/calibrate.ts) and is made active for one compile by withDelayModel; it also has a stage
 * floor (wide ports, the handshake through every stage) and a guard, its measured worst
 * under-estimate, by which the scheduler's delays are multiplied so an accepted clock is met. The
 * numbers drive the scheduler, not sign-off timing. Operands that are literals matter: a shift by a constant or
 * a division by a power of two is wiring only.
 */
import type { Fn, Node } from "../ir/ir.js";
import type { OpName } from "../ir/ops.js";
import { flatWidth } from "../ir/types.js";

/** One LUT6 level including typical local routing (generic model). */
export const LUT_NS = 0.35;
/** An unregistered DSP multiplier tile (about 18x18 → 36 bits) (generic model). */
export const DSP_NS = 1.6;
/** Largest operand width one DSP tile multiplies. */
export const DSP_TILE_BITS = 17;

/** The coefficients a delay is made of (ns each). */
export interface DelayCoefficients {
  /** One LUT level of logic (and/or/xor/sel, compare trees), with its routing. */
  lut: number;
  /** One mux level of a variable index or shift, with its routing. */
  mux: number;
  /** Entering and leaving a carry chain (adders, subtractors, magnitude compares), with routing. */
  carryBase: number;
  /** Carry ripple per bit. */
  carryBit: number;
  /** What a magnitude compare adds to a carry chain: taking its carry out to logic (0 in the generic model). */
  compareOut: number;
  /** One DSP tile (hasDsp) or, without DSPs, one partial-product row of a LUT multiplier. */
  mul: number;
  /** The route into each op that has a delay at all (0 in the generic model, where LUT_NS includes it). */
  hop: number;
  /** A select's condition fanning out to every bit it selects: per log2 of the select's width (0 generic). */
  selFanout: number;
  /** Register clk-to-q + setup + clock uncertainty (and, fitted, the fixed routing into and out of a stage). */
  registerMargin: number;
  /**
   * What every stage's path grows by per bit of the design's ports: a larger design (its ports
   * registered around it) is spread wider, so its routes are longer (0 generic). Charged with the
   * register margin.
   */
  routePerBit: number;
  /**
   * The shortest period a stage reaches even with no logic (a register-to-register move of wide
   * buses: routing and the pipeline's enable fan-out); only the predicted fmax uses it (0 generic).
   */
  stageFloor: number;
  /** What the stage floor grows by per bit of the design's ports (wide buses route slower); prediction only (0 generic). */
  floorPerBit: number;
  /**
   * What the stage floor grows by per doubling of the pipeline's stages (each stage's ready
   * register is loaded from the valid bits of every later stage, a tree of their OR); 0 generic.
   */
  floorPerStageLog2: number;
  /**
   * The scheduling guard: a target model's measured worst under-estimate of a period, as a fraction.
   * The scheduler charges every delay and the register margin times (1 + guard), so a clock the
   * schedule accepts is one the model predicts with that margin to spare; the predicted fmax is the
   * unguarded estimate (0 generic).
   */
  guard: number;
}

/** A delay model: the fabric's structure and its coefficients. models/<target>.json holds one. */
export interface DelayModel {
  /** "generic" or the --target it was calibrated for. */
  name: string;
  description: string;
  /** LUT inputs (6 generic, 4 on iCE40/ECP5): sets the levels of compare trees. */
  lutInputs: number;
  /** Inputs of one mux level (4 in a LUT6, 2 in a LUT4). */
  muxWays: number;
  /** Whether multipliers map to DSP tiles (else to LUT rows). */
  hasDsp: boolean;
  ns: DelayCoefficients;
  /** How the coefficients were obtained (calibration designs, fit residuals); free-form. */
  calibration?: unknown;
}

export const GENERIC_MODEL: DelayModel = {
  name: "generic",
  description: "generic LUT6 + carry-chain + DSP fabric (estimates, not characterised on a device)",
  lutInputs: 6, muxWays: 4, hasDsp: true,
  ns: { lut: LUT_NS, mux: LUT_NS, carryBase: 0.45, carryBit: 0.012, compareOut: 0, mul: DSP_NS, hop: 0, selFanout: 0, registerMargin: 0.45, routePerBit: 0, stageFloor: 0, floorPerBit: 0, floorPerStageLog2: 0, guard: 0 },
};

let active: DelayModel = GENERIC_MODEL;
/** Port bits of the design being compiled (set by withPortBits): the routing term of the margin. */
let designBits = 0;
const guarded = (m: DelayModel) => 1 + (m.ns.guard ?? 0);
/** A model's register margin for a design of `bits` port bits, unguarded: the fixed margin and the routing term. */
export const marginNs = (m: DelayModel, bits: number): number => m.ns.registerMargin + (m.ns.routePerBit ?? 0) * bits;
/**
 * Register clk-to-q + setup + clock uncertainty of the active model, with the routing term of the
 * design's port bits (times 1 + guard), subtracted from the period.
 */
export let REGISTER_MARGIN_NS = GENERIC_MODEL.ns.registerMargin;
const setMargin = () => (REGISTER_MARGIN_NS = marginNs(active, designBits) * guarded(active));

/** The model delays are computed with (GENERIC_MODEL unless inside withDelayModel). */
export function activeDelayModel(): DelayModel {
  return active;
}

/** Run `f` (synchronously) with `m` as the active model; the previous one is restored after. */
export function withDelayModel<T>(m: DelayModel, f: () => T): T {
  const prev = active;
  active = m;
  setMargin();
  try {
    return f();
  } finally {
    active = prev;
    setMargin();
  }
}

/** Run `f` (synchronously) compiling a design of `bits` port bits (the routing term of the register margin). */
export function withPortBits<T>(bits: number, f: () => T): T {
  const prev = designBits;
  designBits = bits;
  setMargin();
  try {
    return f();
  } finally {
    designBits = prev;
    setMargin();
  }
}

/** Carry-chain adder/subtractor/comparator of w bits: fixed entry/exit plus a per-bit ripple. */
export const carryNs = (w: number): number => active.ns.carryBase + active.ns.carryBit * w;
const log = (base: number, x: number) => (x <= 1 ? 0 : Math.ceil(Math.log(x) / Math.log(base) - 1e-9));
/** Levels of a LUT tree reducing n inputs. */
const reduceLevels = (n: number) => Math.max(1, log(active.lutInputs, n));
/** Levels of muxes selecting one of n. */
const muxLevels = (n: number) => Math.max(1, log(active.muxWays, n));

/** How many of each coefficient an op's delay is made of. */
export type Terms = Partial<Record<Exclude<keyof DelayCoefficients, "registerMargin" | "routePerBit" | "stageFloor" | "floorPerBit" | "floorPerStageLog2" | "guard">, number>>;

/** Bits of a function's ports: its parameters and its result (what the stage floor grows with). */
export const portBits = (fn: Fn): number => fn.params.reduce((s, p) => s + flatWidth(p.type), 0) + flatWidth(fn.ret.type);

/** The shortest period (ns) the active model predicts for a design of `stages` stages with `portBits` bits of ports. */
export const stageFloorNs = (portBits = 0, stages = 1): number =>
  active.ns.stageFloor + (active.ns.floorPerBit ?? 0) * portBits + (active.ns.floorPerStageLog2 ?? 0) * Math.log2(Math.max(1, stages));

/**
 * The fmax (MHz, rounded down to 0.1) the active model predicts for a slowest stage whose
 * scheduled (guarded) delay is `worstNs`, in a design of `stages` stages with `portBits` bits of
 * ports: the unguarded estimate, 1000 / max(delay + register margin, stage floor).
 */
export function predictedFmaxMhz(worstNs: number, portBits = 0, stages = 1): number {
  return Math.floor(10_000 / Math.max(worstNs / guarded(active) + marginNs(active, portBits), stageFloorNs(portBits, stages))) / 10;
}

/** The active model's guard factor (1 + guard): what the scheduler multiplies estimates by. */
export const guardFactor = (): number => guarded(active);
const carry = (w: number, times = 1): Terms => ({ carryBase: times, carryBit: times * w });
const plus = (a: Terms, b: Terms): Terms => {
  const r: Terms = { ...a };
  for (const [k, v] of Object.entries(b) as [keyof Terms, number][]) r[k] = (r[k] ?? 0) + v;
  return r;
};

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

function mulTerms(n: Node): Terms {
  const [a, b] = n.operands;
  if ((isLit(a) && isPow2(litValue(a))) || (isLit(b) && isPow2(litValue(b)))) return {};
  const ea = Math.min(significantBits(a), width(n));
  const eb = Math.min(significantBits(b), width(n));
  // Without DSPs (Yosys's maccmap): the partial-product rows of the narrower operand reduced in LUTs, then one carry chain.
  if (!active.hasDsp) return plus({ mul: Math.min(ea, eb) }, carry(width(n)));
  if (Math.min(ea, eb) <= 4) return plus({ lut: 2 }, carry(width(n))); // shift-and-add in LUTs
  const tiles = Math.ceil(ea / DSP_TILE_BITS) * Math.ceil(eb / DSP_TILE_BITS);
  return plus({ mul: 1 }, carry(width(n), log(2, tiles)));
}

function divTerms(n: Node, signed: boolean): Terms {
  const d = n.operands[1];
  const w = width(n);
  if (isLit(d) && isPow2(litValue(d)) && (!signed || litValue(d) < 1n << BigInt(w - 1))) return signed ? plus(carry(w), { lut: 1 }) : {};
  return carry(w, w); // restoring array divider: one subtract-and-select row per quotient bit
}

const wiring = (): Terms => ({});
const lut = (): Terms => ({ lut: 1 });
const arith = (n: Node) => carry(width(n));
/**
 * A magnitude compare: on the carry chain, with its carry out taken to logic. Against a literal,
 * synthesis folds it into a LUT tree over the operand's bits (`s > 0xffff` tests the bits above 15),
 * counted as an equality (the generic model keeps the carry chain).
 */
const compare = (n: Node): Terms =>
  active.lutInputs < 6 && n.operands.some(isLit) ? equal(n) : { ...carry(width(n.operands[0])), compareOut: 1 };
/** A select: one LUT level, and its condition drives every bit it selects (per 8 bits of its width). */
const select = (n: Node): Terms => ({ lut: 1, selFanout: width(n) / 8 });
const shift = (n: Node): Terms => (isLit(n.operands[1]) ? {} : { mux: muxLevels(width(n)), lut: 1 });
/** A table of constants (an array of literals): each output bit is a LUT function of the index bits. */
const isRom = (a: Node) => a.op === "array" && a.operands.every(isLit);
/**
 * Equality: each LUT compares ⌊k/2⌋ bit pairs, then an AND/OR tree of LUTs; a LUT6 tree's first
 * level also absorbs the compare (the generic estimate). With LUT4s the levels are counted like
 * the other 2-input ops the coefficients are fitted on (an xor tree): the compare, then log2 of
 * the width (so a 32-bit equality is 6, as its routed delay is that of a 64-input xor tree).
 * Against a literal it is a LUT4 tree over the operand's bits.
 */
const equal = (n: Node): Terms => {
  const w = width(n.operands[0]);
  if (active.lutInputs >= 6) return { lut: reduceLevels(Math.ceil(w / Math.floor(active.lutInputs / 2))) };
  return { lut: n.operands.some(isLit) ? reduceLevels(w) : 1 + Math.max(1, Math.ceil(Math.log2(w))) };
};

/** The terms of each op's delay as a function of the node (its width and operands). */
export const TERMS: Record<OpName, (n: Node) => Terms> = {
  literal: wiring,
  param: wiring,
  add: arith,
  sub: arith,
  neg: arith,
  mul: mulTerms,
  udiv: (n) => divTerms(n, false),
  umod: (n) => divTerms(n, false),
  sdiv: (n) => divTerms(n, true),
  smod: (n) => divTerms(n, true),
  and: lut,
  or: lut,
  xor: lut,
  not: wiring, // absorbed into the consuming LUT
  shl: shift,
  shrl: shift,
  shra: shift,
  eq: equal,
  ne: equal,
  ult: compare,
  ule: compare,
  slt: compare,
  sle: compare,
  zext: wiring,
  sext: wiring,
  slice: wiring,
  concat: wiring,
  sel: select,
  record: wiring,
  field: wiring,
  setfield: wiring,
  array: wiring,
  index: (n) => {
    const arr = n.operands[0].type;
    if (isLit(n.operands[1])) return {};
    // With LUT4s a constant table is a LUT tree over the index bits (16 entries: one LUT4 level).
    if (active.lutInputs < 6 && isRom(n.operands[0])) return { lut: reduceLevels(width(n.operands[1])) };
    return { mux: muxLevels(arr.k === "array" ? arr.n : 1), lut: 1 };
  },
  update: (n) => (isLit(n.operands[1]) ? {} : { lut: 2 }),
  invoke: () => {
    throw new Error("internal: invoke reached the scheduler (functions are inlined first)");
  },
  // The RAM's output register is read in the loop stage through the forwarding mux: a compare of
  // the registered read address with the last write's address, then one select (kernel-hw.ts).
  memread: (n) => plus(equal(n), { lut: 1 }),
};

/** Delay (ns) of a set of terms under a model. */
export function termsNs(t: Terms, m: DelayModel = active): number {
  let d = 0;
  for (const [k, v] of Object.entries(t) as [keyof Terms, number][]) d += v * (m.ns[k] ?? 0);
  return d;
}

/** The terms of one node's delay, with the hop into it when it has any delay. */
export function opTerms(n: Node): Terms {
  const t = TERMS[n.op](n);
  return Object.values(t).some((v) => v > 0) ? { ...t, hop: 1 } : t;
}

/** Estimated delay of each op (ns) under the active model as the scheduler charges it (times 1 + guard), as a function of the node. */
export const DELAY: Record<OpName, (n: Node) => number> = Object.fromEntries(
  (Object.keys(TERMS) as OpName[]).map((op) => [op, (n: Node) => termsNs(opTerms(n)) * guarded(active)]),
) as Record<OpName, (n: Node) => number>;

/** Estimated delay of one node, rounded to picoseconds. */
export function delayOf(n: Node): number {
  return Math.round(DELAY[n.op](n) * 1000) / 1000;
}
