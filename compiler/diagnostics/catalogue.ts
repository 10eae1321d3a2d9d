/**
 * The diagnostics catalogue: every message tsfpga can show a user, in one place, each with a
 * unique code (TSF1xxx: dialect constructs, TSF2xxx: types and widths, TSF3xxx: values and
 * ranges, TSF4xxx: scheduling and hardware), its text and a suggestion. Code elsewhere refers to
 * entries by key, never by literal text, and every code has a test case in test/diagnostics/.
 */

export interface DiagDef {
  readonly code: number;
  readonly message: string;
  readonly suggestion: string;
}

export const CATALOGUE = {
  // --- constructs outside the dialect ---------------------------------------------------------
  class: { code: 1001, message: "classes are not part of the dialect", suggestion: "use a record type (interface) and plain functions" },
  closure: { code: 1002, message: "closures, arrow functions and function expressions are not part of the dialect", suggestion: "declare a top-level function and call it" },
  exception: { code: 1003, message: "exceptions ('throw', 'try') are not part of the dialect", suggestion: "return a record with a valid/error flag instead" },
  async: { code: 1004, message: "async functions, 'await' and generators are not part of the dialect", suggestion: "hardware is synchronous: write a plain function" },
  allocation: { code: 1005, message: "dynamic allocation ('new', spreads) is not part of the dialect", suggestion: "use an array literal, fill(n, v) or an object literal of fixed shape" },
  string: { code: 1006, message: "strings are not part of the dialect outside char(\"…\")", suggestion: "use char(\"A\") for a character code, or a const table of codes" },
  float: { code: 1007, message: "floating-point values are not part of the dialect", suggestion: "use integers, e.g. prices in 1/10000 units (ITCH Price(4))" },
  recursion: { code: 1008, message: "recursion is not allowed: '{0}' calls itself (through {1})", suggestion: "hardware has no stack: write the recursion as a bounded loop" },
  unboundedLoop: { code: 1009, message: "loop does not end within {0} iterations at compile time", suggestion: "loops are unrolled: the trip count must be a compile-time constant (e.g. for (let i = 0; i < 8; i++))" },
  loopCondition: { code: 1010, message: "loop condition is not known at compile time", suggestion: "loops are unrolled: make the condition depend only on compile-time values, and use 'if (…) break' for run-time exits" },
  badImport: { code: 1011, message: "import of '{0}' is not allowed", suggestion: "import only from \"tsfpga\" and relative dialect files (./x.js)" },
  global: { code: 1012, message: "'{0}' is not available in the dialect", suggestion: "{1}" }, // {1}: what to write instead (diagnostics/hints.ts)
  construct: { code: 1013, message: "{0} is not part of the dialect", suggestion: "{1}" }, // {1}: what to write instead (diagnostics/hints.ts)
  anyType: { code: 1014, message: "'{0}' type is not allowed", suggestion: "give the value a dialect type such as u8, boolean or a record" },
  nullish: { code: 1015, message: "null and undefined are not part of the dialect", suggestion: "use a valid flag (boolean) beside the value" },
  thisKeyword: { code: 1016, message: "'this' is not part of the dialect", suggestion: "pass the value as a parameter" },
  optionalChain: { code: 1017, message: "optional chaining and '??' are not part of the dialect", suggestion: "every value exists in hardware: use a valid flag" },
  fallthrough: { code: 1018, message: "switch case falls through into the next case", suggestion: "end the case with 'break' or 'return' (empty cases may share a body)" },
  caseNotConst: { code: 1019, message: "switch case label is not a compile-time constant", suggestion: "use a literal, a const or a const enum member" },
  mutateParam: { code: 1020, message: "parameter '{0}' is read-only in the dialect", suggestion: "copy it into a local first: const x = { ...p } is not allowed either; build a new record or array literal" },
  aliasMutable: { code: 1021, message: "'{0}' is mutated, so it cannot be copied or stored here", suggestion: "JavaScript arrays and objects are references: build a fresh literal for the copy" },
  mutateNonLocal: { code: 1022, message: "only local records and arrays created by a literal or fill() can be mutated", suggestion: "build a new value instead of changing this one" },
  memUse: { code: 1030, message: "{0} is not how a memory (Mem) is used", suggestion: "a Mem is a field of a kernel's state, declared in the initial state with mem(n, fill): the step function reads it with s.f.get(i), writes it with s.f.set(i, v) (a statement) and passes the same s.f on in its next state" },
  notAFunction: { code: 1023, message: "'{0}' is not a dialect function or intrinsic", suggestion: "call functions declared in dialect files, or the tsfpga intrinsics" },
  // --- types and widths --------------------------------------------------------------------------
  widthRequired: { code: 2001, message: "{0} needs a width: plain '{1}' is not allowed here", suggestion: "use a sized type such as u8, u32, i64 or u64" },
  unsupportedType: { code: 2002, message: "type '{0}' has no hardware representation", suggestion: "use integers (uN/iN), boolean, records of those, or fixed-length arrays (tuples / Vec<T, N>)" },
  booleanRequired: { code: 2003, message: "a condition must be a boolean, not {0}", suggestion: "compare explicitly, e.g. x !== 0" },
  heteroTuple: { code: 2004, message: "tuples must have one element type", suggestion: "use a record for values of different types" },
  // --- values and ranges -------------------------------------------------------------------------
  unsafeNumber: { code: 3001, message: "'{0}' may reach {1}, beyond 2^53 where JavaScript numbers lose bits", suggestion: "compute it on bigints, which are exact: {2}" }, // {2}: the expression rewritten (diagnostics/hints.ts)
  numberDivision: { code: 3002, message: "'/' on numbers yields fractions in JavaScript", suggestion: "use div(a, b) (truncates toward zero), or bigint operands" },
  divisorNotConst: { code: 3003, message: "the divisor must be a non-zero compile-time constant", suggestion: "divide by a constant, or shift by a power of two" },
  indexRange: { code: 3004, message: "index may be {0}, outside 0..{1}", suggestion: "{2} (out-of-range reads are undefined in JavaScript)" }, // {2}: guarded forms for this index (lower.ts checkIndex)
  notConst: { code: 3005, message: "{0} must be a compile-time constant", suggestion: "use a literal or a const computed from literals" },
  negativeShift: { code: 3006, message: "bigint shift amount may be negative", suggestion: "a negative bigint shift reverses direction in JavaScript: make the amount unsigned" },
  bigintUnsignedShift: { code: 3007, message: "'>>>' is not defined on bigint", suggestion: "use '>>' (bigints are exact, so '>>' of a non-negative value is a logical shift)" },
  badArgument: { code: 3008, message: "{0}", suggestion: "give each argument as a JSON number, a decimal string (for > 32 bits), a boolean, an array or an object" },
  tooWide: { code: 3009, message: "intermediate value needs {0} bits (more than {1})", suggestion: "narrow it explicitly with a type constructor such as u64(…)" },
  uninitialized: { code: 3010, message: "'{0}' is used before it is assigned on every path", suggestion: "initialise it where it is declared" },
  missingReturn: { code: 3011, message: "'{0}' does not return a value on every path", suggestion: "add a final return" },
  badConstant: { code: 3012, message: "{0} is {1}, but it must be {2}", suggestion: "{3}" },
  // --- scheduling and hardware -------------------------------------------------------------------
  clockUnreachable: { code: 4001, message: "{0} alone takes {1} ns, longer than the {2} ns usable in a cycle at {3} MHz (the fastest clock it allows is {4} MHz)", suggestion: "lower --clock-mhz, or split the operation (narrower widths, fewer mux inputs)" },
  stateLoopTooSlow: { code: 4003, message: "kernel '{0}': the state update takes {1} ns after the state register, longer than the {2} ns usable in one cycle at {3} MHz (one beat per cycle needs it in one cycle; the fastest clock for this kernel is {4} MHz)", suggestion: "lower --clock-mhz, or shorten what the next state computes from the current state (logic that reads only the beat and the configuration already runs in input stages ahead of the loop): move work into the output (it is pipelined) or split the state into simpler parts" },
  noTop: { code: 4002, message: "no function '{0}' is exported from {1}", suggestion: "name an exported function with --top" },
  chooseTop: { code: 4004, message: "{0} has {1} ({2}), so --top must name one", suggestion: "e.g. --top {3}" },
  nothingToCompile: { code: 4005, message: "{0} exports no function and declares no kernel", suggestion: "export a function, or declare a kernel: export const k = kernel(INIT, step)" },
  pipelineFloor: { code: 4007, message: "at {0} MHz this schedule has {1} stages, and the {2} delay model puts the shortest period of such a pipeline (the valid/ready handshake through every stage and the routing of {3} port bits) at {4} ns with its {5}% guard, longer than the {6} ns period (this schedule allows {7} MHz)", suggestion: "lower --clock-mhz: fewer, longer stages shorten the handshake path" },
  clockTooFast: { code: 4006, message: "at {0} MHz the period is {1} ns, no more than the {2} ns every register stage needs, so no operation fits in a cycle", suggestion: "the fastest clock for this design is {3} MHz (no design can run faster than {4} MHz): choose --clock-mhz {3} or lower" },
  memPorts: { code: 4020, message: "memory '{0}' is {1} {2} times in one step, but its block RAM has one read port and one write port", suggestion: "{3}" },
  memAddrState: { code: 4021, message: "the address of this read of memory '{0}' depends on the kernel state, so the read cannot be issued in the cycle before the step", suggestion: "compute the read address from the input and the configuration only (a block RAM answers one cycle after it is addressed); read once, then choose with the state after the read" },
  // --- internal ----------------------------------------------------------------------------------
  internal: { code: 9001, message: "internal compiler error: {0}", suggestion: "please report this with the input file" },
} as const satisfies Record<string, DiagDef>;

export type DiagKey = keyof typeof CATALOGUE;

export function formatMessage(key: DiagKey, args: readonly (string | number | bigint)[]): string {
  return CATALOGUE[key].message.replace(/\{(\d+)\}/g, (_m, i) => String(args[Number(i)] ?? ""));
}
export function formatSuggestion(key: DiagKey, args: readonly (string | number | bigint)[]): string {
  return CATALOGUE[key].suggestion.replace(/\{(\d+)\}/g, (_m, i) => String(args[Number(i)] ?? ""));
}
