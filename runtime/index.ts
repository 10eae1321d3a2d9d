/**
 * The tsfpga runtime: what dialect programs import from "tsfpga". It declares the integer
 * types (u1…u64, i2…i64) as branded number/bigint types and gives each a portable JavaScript
 * implementation, so a dialect program runs unchanged in Node. Widths ≤ 32 are number-backed,
 * 33…64 bigint-backed. Every function here is also an intrinsic the compiler recognises by name;
 * docs/dialect.md is the normative description of what each one means.
 */

type Wide = 33 | 34 | 35 | 36 | 37 | 38 | 39 | 40 | 41 | 42 | 43 | 44 | 45 | 46 | 47 | 48 | 49 | 50 | 51 | 52 | 53 | 54 | 55 | 56 | 57 | 58 | 59 | 60 | 61 | 62 | 63 | 64;
type Backing<N extends number> = N extends Wide ? bigint : number;

/** An unsigned integer of N bits. Arithmetic on it yields plain number/bigint: narrow with uN(…). */
export type UInt<N extends number> = Backing<N> & { readonly __tsfpga_uint: N };
/** A two's-complement signed integer of N bits. */
export type SInt<N extends number> = Backing<N> & { readonly __tsfpga_sint: N };

/** A fixed-length array of N elements (a TypeScript tuple type). */
export type Vec<T, N extends number, R extends T[] = []> = R["length"] extends N ? R : Vec<T, N, [...R, T]>;

type Num = number | bigint | boolean;

function toBig(x: Num): bigint {
  return typeof x === "bigint" ? x : BigInt(typeof x === "boolean" ? (x ? 1 : 0) : x);
}

function check(x: Num, name: string): void {
  if (typeof x === "number" && !Number.isSafeInteger(x)) {
    throw new RangeError(`${name}: ${x} is not an exact integer`);
  }
}

function unsignedNumber(n: number): (x: Num) => number {
  const mask = n === 32 ? 0 : 2 ** n - 1;
  return (x: Num) => {
    if (typeof x === "number") {
      check(x, `u${n}`);
      return n === 32 ? x >>> 0 : x & mask;
    }
    if (typeof x === "boolean") return x ? 1 : 0;
    return Number(BigInt.asUintN(n, x));
  };
}

function signedNumber(n: number): (x: Num) => number {
  const sh = 32 - n;
  return (x: Num) => {
    if (typeof x === "number") {
      check(x, `i${n}`);
      return (x << sh) >> sh;
    }
    if (typeof x === "boolean") return x ? (n === 1 ? -1 : 1) : 0;
    return Number(BigInt.asIntN(n, x));
  };
}

function unsignedBig(n: number): (x: Num) => bigint {
  return (x: Num) => (check(x, `u${n}`), BigInt.asUintN(n, toBig(x)));
}

function signedBig(n: number): (x: Num) => bigint {
  return (x: Num) => (check(x, `i${n}`), BigInt.asIntN(n, toBig(x)));
}

/** Generic constructors: uint(N)(x) / sint(N)(x) wrap x to N bits (for N known at compile time). */
export function uint<N extends number>(n: N): (x: Num) => UInt<N> {
  return (n > 32 ? unsignedBig(n) : unsignedNumber(n)) as (x: Num) => UInt<N>;
}
export function sint<N extends number>(n: N): (x: Num) => SInt<N> {
  return (n > 32 ? signedBig(n) : signedNumber(n)) as (x: Num) => SInt<N>;
}

export type u1 = UInt<1>; export const u1 = uint(1);
export type u2 = UInt<2>; export const u2 = uint(2);
export type u3 = UInt<3>; export const u3 = uint(3);
export type u4 = UInt<4>; export const u4 = uint(4);
export type u5 = UInt<5>; export const u5 = uint(5);
export type u6 = UInt<6>; export const u6 = uint(6);
export type u7 = UInt<7>; export const u7 = uint(7);
export type u8 = UInt<8>; export const u8 = uint(8);
export type u9 = UInt<9>; export const u9 = uint(9);
export type u10 = UInt<10>; export const u10 = uint(10);
export type u11 = UInt<11>; export const u11 = uint(11);
export type u12 = UInt<12>; export const u12 = uint(12);
export type u13 = UInt<13>; export const u13 = uint(13);
export type u14 = UInt<14>; export const u14 = uint(14);
export type u15 = UInt<15>; export const u15 = uint(15);
export type u16 = UInt<16>; export const u16 = uint(16);
export type u17 = UInt<17>; export const u17 = uint(17);
export type u18 = UInt<18>; export const u18 = uint(18);
export type u19 = UInt<19>; export const u19 = uint(19);
export type u20 = UInt<20>; export const u20 = uint(20);
export type u21 = UInt<21>; export const u21 = uint(21);
export type u22 = UInt<22>; export const u22 = uint(22);
export type u23 = UInt<23>; export const u23 = uint(23);
export type u24 = UInt<24>; export const u24 = uint(24);
export type u25 = UInt<25>; export const u25 = uint(25);
export type u26 = UInt<26>; export const u26 = uint(26);
export type u27 = UInt<27>; export const u27 = uint(27);
export type u28 = UInt<28>; export const u28 = uint(28);
export type u29 = UInt<29>; export const u29 = uint(29);
export type u30 = UInt<30>; export const u30 = uint(30);
export type u31 = UInt<31>; export const u31 = uint(31);
export type u32 = UInt<32>; export const u32 = uint(32);
export type u33 = UInt<33>; export const u33 = uint(33);
export type u34 = UInt<34>; export const u34 = uint(34);
export type u35 = UInt<35>; export const u35 = uint(35);
export type u36 = UInt<36>; export const u36 = uint(36);
export type u37 = UInt<37>; export const u37 = uint(37);
export type u38 = UInt<38>; export const u38 = uint(38);
export type u39 = UInt<39>; export const u39 = uint(39);
export type u40 = UInt<40>; export const u40 = uint(40);
export type u41 = UInt<41>; export const u41 = uint(41);
export type u42 = UInt<42>; export const u42 = uint(42);
export type u43 = UInt<43>; export const u43 = uint(43);
export type u44 = UInt<44>; export const u44 = uint(44);
export type u45 = UInt<45>; export const u45 = uint(45);
export type u46 = UInt<46>; export const u46 = uint(46);
export type u47 = UInt<47>; export const u47 = uint(47);
export type u48 = UInt<48>; export const u48 = uint(48);
export type u49 = UInt<49>; export const u49 = uint(49);
export type u50 = UInt<50>; export const u50 = uint(50);
export type u51 = UInt<51>; export const u51 = uint(51);
export type u52 = UInt<52>; export const u52 = uint(52);
export type u53 = UInt<53>; export const u53 = uint(53);
export type u54 = UInt<54>; export const u54 = uint(54);
export type u55 = UInt<55>; export const u55 = uint(55);
export type u56 = UInt<56>; export const u56 = uint(56);
export type u57 = UInt<57>; export const u57 = uint(57);
export type u58 = UInt<58>; export const u58 = uint(58);
export type u59 = UInt<59>; export const u59 = uint(59);
export type u60 = UInt<60>; export const u60 = uint(60);
export type u61 = UInt<61>; export const u61 = uint(61);
export type u62 = UInt<62>; export const u62 = uint(62);
export type u63 = UInt<63>; export const u63 = uint(63);
export type u64 = UInt<64>; export const u64 = uint(64);
export type i2 = SInt<2>; export const i2 = sint(2);
export type i3 = SInt<3>; export const i3 = sint(3);
export type i4 = SInt<4>; export const i4 = sint(4);
export type i5 = SInt<5>; export const i5 = sint(5);
export type i6 = SInt<6>; export const i6 = sint(6);
export type i7 = SInt<7>; export const i7 = sint(7);
export type i8 = SInt<8>; export const i8 = sint(8);
export type i9 = SInt<9>; export const i9 = sint(9);
export type i10 = SInt<10>; export const i10 = sint(10);
export type i11 = SInt<11>; export const i11 = sint(11);
export type i12 = SInt<12>; export const i12 = sint(12);
export type i13 = SInt<13>; export const i13 = sint(13);
export type i14 = SInt<14>; export const i14 = sint(14);
export type i15 = SInt<15>; export const i15 = sint(15);
export type i16 = SInt<16>; export const i16 = sint(16);
export type i17 = SInt<17>; export const i17 = sint(17);
export type i18 = SInt<18>; export const i18 = sint(18);
export type i19 = SInt<19>; export const i19 = sint(19);
export type i20 = SInt<20>; export const i20 = sint(20);
export type i21 = SInt<21>; export const i21 = sint(21);
export type i22 = SInt<22>; export const i22 = sint(22);
export type i23 = SInt<23>; export const i23 = sint(23);
export type i24 = SInt<24>; export const i24 = sint(24);
export type i25 = SInt<25>; export const i25 = sint(25);
export type i26 = SInt<26>; export const i26 = sint(26);
export type i27 = SInt<27>; export const i27 = sint(27);
export type i28 = SInt<28>; export const i28 = sint(28);
export type i29 = SInt<29>; export const i29 = sint(29);
export type i30 = SInt<30>; export const i30 = sint(30);
export type i31 = SInt<31>; export const i31 = sint(31);
export type i32 = SInt<32>; export const i32 = sint(32);
export type i33 = SInt<33>; export const i33 = sint(33);
export type i34 = SInt<34>; export const i34 = sint(34);
export type i35 = SInt<35>; export const i35 = sint(35);
export type i36 = SInt<36>; export const i36 = sint(36);
export type i37 = SInt<37>; export const i37 = sint(37);
export type i38 = SInt<38>; export const i38 = sint(38);
export type i39 = SInt<39>; export const i39 = sint(39);
export type i40 = SInt<40>; export const i40 = sint(40);
export type i41 = SInt<41>; export const i41 = sint(41);
export type i42 = SInt<42>; export const i42 = sint(42);
export type i43 = SInt<43>; export const i43 = sint(43);
export type i44 = SInt<44>; export const i44 = sint(44);
export type i45 = SInt<45>; export const i45 = sint(45);
export type i46 = SInt<46>; export const i46 = sint(46);
export type i47 = SInt<47>; export const i47 = sint(47);
export type i48 = SInt<48>; export const i48 = sint(48);
export type i49 = SInt<49>; export const i49 = sint(49);
export type i50 = SInt<50>; export const i50 = sint(50);
export type i51 = SInt<51>; export const i51 = sint(51);
export type i52 = SInt<52>; export const i52 = sint(52);
export type i53 = SInt<53>; export const i53 = sint(53);
export type i54 = SInt<54>; export const i54 = sint(54);
export type i55 = SInt<55>; export const i55 = sint(55);
export type i56 = SInt<56>; export const i56 = sint(56);
export type i57 = SInt<57>; export const i57 = sint(57);
export type i58 = SInt<58>; export const i58 = sint(58);
export type i59 = SInt<59>; export const i59 = sint(59);
export type i60 = SInt<60>; export const i60 = sint(60);
export type i61 = SInt<61>; export const i61 = sint(61);
export type i62 = SInt<62>; export const i62 = sint(62);
export type i63 = SInt<63>; export const i63 = sint(63);
export type i64 = SInt<64>; export const i64 = sint(64);

/** Unsigned bit slice x[hi:lo] (hi ≥ lo, at most 32 bits wide) as a number. */
export function bits(x: number | bigint, hi: number, lo: number): number {
  const w = hi - lo + 1;
  if (typeof x === "number" && hi <= 31) return w === 32 ? x >>> 0 : (x >> lo) & (2 ** w - 1);
  return Number(BigInt.asUintN(w, toBig(x) >> BigInt(lo)));
}

/** Unsigned bit slice x[hi:lo] of any width up to 64 bits, as a bigint. */
export function wideBits(x: number | bigint, hi: number, lo: number): bigint {
  return BigInt.asUintN(hi - lo + 1, toBig(x) >> BigInt(lo));
}

/** Concatenation {hi, lo[loWidth-1:0]} = hi·2^loWidth + (lo mod 2^loWidth), as a number (≤ 32 bits). */
export function cat(hi: number | bigint, lo: number | bigint, loWidth: number): number {
  return Number(wideCat(hi, lo, loWidth));
}

/** Concatenation {hi, lo[loWidth-1:0]} as a bigint. */
export function wideCat(hi: number | bigint, lo: number | bigint, loWidth: number): bigint {
  return (toBig(hi) << BigInt(loWidth)) | BigInt.asUintN(loWidth, toBig(lo));
}

/** Sign extension: the low w bits of x read as a w-bit two's-complement number. */
export function sext(x: number, w: number): number;
export function sext(x: bigint, w: number): bigint;
export function sext(x: number | bigint, w: number): number | bigint {
  return typeof x === "bigint" ? BigInt.asIntN(w, x) : Number(BigInt.asIntN(w, BigInt(x)));
}

/** Zero extension: the low w bits of x read as an unsigned number. */
export function zext(x: number, w: number): number;
export function zext(x: bigint, w: number): bigint;
export function zext(x: number | bigint, w: number): number | bigint {
  return typeof x === "bigint" ? BigInt.asUintN(w, x) : Number(BigInt.asUintN(w, BigInt(x)));
}

/** Integer division truncating toward zero (number `/` yields fractions, so the dialect uses this). */
export function div(a: number, b: number): number {
  if (b === 0) throw new RangeError("div: division by zero");
  // Below 2^31 the correctly rounded quotient never crosses an integer; above, divide exactly.
  return Math.abs(a) < 2 ** 31 ? Math.trunc(a / b) + 0 : Number(BigInt(a) / BigInt(b)); // + 0: no -0
}

/** The character code of a one-character string literal: `char("A")` is 65. Compile-time only. */
export function char(s: string): number {
  if (s.length !== 1) throw new RangeError(`char: expected one character, got ${JSON.stringify(s)}`);
  return s.charCodeAt(0);
}

/** A fixed-length array of n copies of v: `fill(8, u8(0))`. n must be a compile-time constant. */
export function fill<T, N extends number>(n: N, v: T): Vec<T, N> {
  return new Array(n).fill(v) as Vec<T, N>;
}

// ---- Streaming kernels -------------------------------------------------------------------------

/**
 * One beat of a 64-bit AXI-Stream: `bytes[0]` is the first byte on the wire (tdata bits 7:0),
 * `keep` bit i says byte i is valid, `last` marks the final beat of a frame.
 */
export interface Beat {
  bytes: Vec<u8, 8>;
  keep: u8;
  last: boolean;
}

/** What a kernel's step function returns for one input beat: the next state and at most one output. */
export interface Step<S, O> {
  state: S;
  out: O;
  valid: boolean;
}

/**
 * A streaming kernel: state kept across cycles (reset to `init`), and a step function applied to
 * every accepted input beat with the run-time configuration `cfg` (held constant during a run).
 * When the step returns `valid`, `out` is emitted. This is the whole beat-by-beat meaning: the
 * software engines call `step` once per beat, the hardware does one step per accepted beat.
 */
export interface Kernel<S, I, C, O> {
  readonly init: S;
  readonly step: (state: S, input: I, cfg: C) => Step<S, O>;
}

/**
 * Hardware options of a kernel. `readable` names fields of the state that the hardware makes
 * readable: each becomes an output port `state_<field>` carrying the field's register (counters
 * that software reads, docs/backend.md "Readable state"). The software engines ignore it.
 */
export interface KernelOptions {
  readonly readable?: readonly string[];
  /**
   * Output stages (0 to 4, default 0): the part of the step's record that reads the state (not the
   * next state) is computed that many stages after the loop stage, in registers of its own, so the
   * record decode is not in the cycle of the state update. Each adds one cycle of record latency.
   */
  readonly outputStages?: number;
}

/** Declare a kernel (at module level): `export const feed = kernel(FEED_INIT, feedStep);` */
export function kernel<S, I, C, O>(init: S, step: (state: S, input: I, cfg: C) => Step<S, O>, options?: KernelOptions): Kernel<S, I, C, O> {
  void options;
  return { init, step };
}

// ---- Memories in kernel state ------------------------------------------------------------------

/**
 * A memory of N entries of type T, kept in a kernel's state (a block RAM in hardware). `get(i)`
 * reads entry i, `set(i, v)` writes it; the index must be provably 0…N−1 (as for a Vec). Reads in
 * a step see every write of earlier steps and, as in any JavaScript object, a write made earlier in
 * the same step. A step may write a memory at most once and read it at most once (docs/dialect.md
 * §9c). Declare it in the kernel's initial state with `mem(N, fillValue)`.
 */
export class Mem<T, N extends number> {
  declare readonly __tsfpga_mem: N;
  declare readonly __tsfpga_elem: T;
  private readonly data: T[];
  constructor(readonly size: N, readonly fillValue: T, readonly table?: readonly T[]) {
    this.data = new Array<T>(size).fill(fillValue);
    if (table && table.length > size) throw new RangeError(`mem: a table of ${table.length} entries for a memory of ${size}`);
    table?.forEach((v, i) => { this.data[i] = v; });
  }
  get(i: number): T {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`Mem.get: index ${i} outside 0…${this.size - 1}`);
    return this.data[i];
  }
  set(i: number, v: T): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`Mem.set: index ${i} outside 0…${this.size - 1}`);
    this.data[i] = v;
  }
  /** A new memory with the initial contents (every entry the fill value): what reset gives. */
  fresh(): Mem<T, N> {
    return new Mem(this.size, this.fillValue, this.table);
  }
  /** The entries that differ from the fill value, as [index, value] pairs in index order. */
  changed(): [number, T][] {
    const out: [number, T][] = [];
    const same = JSON.stringify(this.fillValue, big);
    this.data.forEach((v, i) => { if (JSON.stringify(v, big) !== same) out.push([i, v]); });
    return out;
  }
}

function big(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/**
 * A memory of n entries, each `fillValue` at reset: `mem(1024, u32(0))` (n from 2 to 65,536 and
 * beyond); with a table (a module-level Vec const), entries 0…table.length−1 start as the table's.
 */
export function mem<T, N extends number>(n: N, fillValue: T, table?: readonly T[]): Mem<T, N> {
  return new Mem(n, fillValue, table);
}

/** Whether a value holds a memory anywhere inside (records, arrays, pipeline state tuples). */
function holdsMem(v: unknown): boolean {
  if (v instanceof Mem) return true;
  if (Array.isArray(v)) return v.some(holdsMem);
  return v !== null && typeof v === "object" && Object.values(v).some(holdsMem);
}

/** A copy of a kernel state in which every memory (at any depth) is fresh, as after reset. */
export function freshState<S>(s: S): S {
  if (!holdsMem(s)) return s;
  if (s instanceof Mem) return s.fresh() as S;
  if (Array.isArray(s)) return s.map(freshState) as S;
  return Object.fromEntries(Object.entries(s as Record<string, unknown>).map(([k, v]) => [k, freshState(v)])) as S;
}

/** Run a kernel over inputs natively, beat by beat; returns the outputs and the final state. */
export function runKernel<S, I, C, O>(k: Kernel<S, I, C, O>, inputs: Iterable<I>, cfg: C, onOut?: (o: O, beatIndex: number) => void): S {
  let s = freshState(k.init);
  let i = 0;
  for (const x of inputs) {
    const r = k.step(s, x, cfg);
    s = r.state;
    if (r.valid && onOut) onOut(r.out, i);
    i++;
  }
  return s;
}

// ---- Pipelines of kernels ----------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKernel = Kernel<any, any, any, any>;

/**
 * A pipeline of kernels, itself a kernel: each stage's output records are the next stage's inputs.
 * Its state is the tuple of the stages' states and its configuration the tuple of theirs, in
 * stage order. One input steps the first kernel; when a stage emits a record, the next stage steps
 * on it at once; when the last stage emits, that record is the pipeline's output. A stage that
 * emits nothing ends the input's walk down the pipeline (later stages keep their state).
 */
export interface Pipeline<I, O> extends Kernel<unknown[], I, unknown[], O> {
  readonly stages: readonly AnyKernel[];
}

/** Declare a pipeline (at module level): `export const feedWatch = pipeline(feed, watch);` */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function pipeline<I, O>(first: Kernel<any, I, any, any>, ...rest: AnyKernel[]): Pipeline<I, O> {
  const stages: AnyKernel[] = [first, ...rest];
  return {
    stages,
    init: stages.map((k) => k.init),
    step(state: unknown[], input: I, cfg: unknown[]): Step<unknown[], O> {
      const next = state.slice();
      let v: unknown = input;
      for (let i = 0; i < stages.length; i++) {
        const r = stages[i].step(next[i], v, cfg === undefined ? undefined : cfg[i]);
        next[i] = r.state;
        if (!r.valid) return { state: next, out: undefined as unknown as O, valid: false };
        v = r.out;
      }
      return { state: next, out: v as O, valid: true };
    },
  };
}
