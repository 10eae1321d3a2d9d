/**
 * `make calibrate`: fits a target's delay model on place and route. It writes a set of small
 * designs (adders and compares at several widths, equality, XOR trees of several depths, n:1 muxes,
 * a barrel shift, multiplies, chains of k add-then-xor steps that show LUT packing and routing,
 * min trees, add trees, designs without logic and deep pipelines), compiles each (to one stage,
 * the pipelines excepted) with the target's structure, places and routes it on the target (seed 1,
 * ports registered as in `tsfpga synth`) and reads the post-route period. The model's prediction
 * for a design is its longest path as a sum of terms (LUT levels, mux levels, carry entries, carry
 * bits, multiplier tiles/rows, select fan-out) plus the register margin and its routing term (per
 * port bit), or the stage floor (fixed, per port bit, per stage) when longer; the coefficients are
 * fitted by non-negative least squares on the relative error, re-finding the longest path with the
 * new coefficients a few times, together with the routed designs outside the set recorded in
 * sim/pnr/calibration-points.json (a large design: the feed handler), and the guard is the worst
 * under-estimate left on both. The result goes to
 * compiler/schedule/models/<target>.json (with the measurements and each design's fit error);
 * `--refit` fits again from the saved measurements without routing, and `--add` routes only the
 * designs not yet measured. Usage: node dist/sim/pnr/calibrate.js [--refit | --add] [target ...]
 * (default ice40-hx8k and ecp5-25f, routed in parallel); `--terms <file> <target> <MHz>
 * [output stages]` prints a design's slowest path in model terms, as a point records it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { compileUnit } from "../../compiler/driver.js";
import type { Fn } from "../../compiler/ir/ir.js";
import { GENERIC_MODEL, marginNs, opTerms, portBits, stageFloorNs, termsNs, withDelayModel, withPortBits, type DelayCoefficients, type DelayModel, type Terms } from "../../compiler/schedule/delay-model.js";
import type { Node } from "../../compiler/ir/ir.js";
import { legaliseFn } from "../../compiler/schedule/legalise.js";
import { modelsDir } from "./models.js";
import { splitCarries } from "../../compiler/schedule/split-carry.js";
import { generateHardware, generateKernelHardware, kernelPortBits } from "../../compiler/verilog/backend.js";
import { kernelHardware, kernelPorts } from "../../compiler/verilog/kernel-hw.js";
import { loadDelayModel } from "./models.js";
import { DEVICES, projectRoot } from "./devices.js";
import { placeAndRoute } from "./place-route.js";

/**
 * A routed design outside the calibration set (too large or slow to route in `make calibrate`),
 * kept as data in sim/pnr/calibration-points.json with the commands that measured it: its median
 * period over seeds and its slowest stage's path in model terms (`--terms`). The fit and the guard
 * include it like a calibration design, so a clock `compile --target` accepts for it is one its
 * routed median meets.
 */
export interface RoutedPoint { target: string; design: string; source: string; command: string; seedsMhz: number[]; periodNs: number; stages: number; portBits: number; terms: Terms; termsCommand: string }

export const POINTS_FILE = join(projectRoot(), "sim", "pnr", "calibration-points.json");

/** The routed points of a target (none when the file has none). */
export function routedPoints(target: string): RoutedPoint[] {
  if (!existsSync(POINTS_FILE)) return [];
  return (JSON.parse(readFileSync(POINTS_FILE, "utf8")) as { points: RoutedPoint[] }).points.filter((p) => p.target === target);
}

/**
 * One calibration design: a function of the generated file, compiled for `clockMhz` (default 10:
 * one stage) with the generic coefficients and the target's structure (with or without DSPs).
 */
export interface CalDesign { name: string; body: string; clockMhz?: number }

const fold = (name: string, t: string, n: number, op: string, w: number) =>
  `export function ${name}(v: Vec<${t}, ${n}>): ${t} { let x: ${t} = v[0]; for (let i = 1; i < ${n}; i++) x = ${t}(x ${op} v[i]); return x; }`;

/** The design set: 33 designs (about 20 minutes for both targets in parallel here, summing the runs that measured them). */
export function calibrationDesigns(): CalDesign[] {
  const d: CalDesign[] = [];
  for (const w of [8, 16, 32, 64]) d.push({ name: `add${w}`, body: `export function add${w}(a: u${w}, b: u${w}): u${w} { return u${w}(a + b); }` });
  for (const w of [16, 48]) d.push({ name: `lt${w}`, body: `export function lt${w}(a: u${w}, b: u${w}): boolean { return a < b; }` });
  d.push({ name: "eq32", body: "export function eq32(a: u32, b: u32): boolean { return a === b; }" });
  for (const n of [4, 16, 64]) d.push({ name: `xor${n}`, body: fold(`xor${n}`, "u8", n, "^", 8) });
  for (const [n, k] of [[4, 2], [16, 4], [64, 6]]) d.push({ name: `mux${n}`, body: `export function mux${n}(v: Vec<u8, ${n}>, i: u${k}): u8 { return v[i]; }` });
  d.push({ name: "shr32", body: "export function shr32(x: u32, s: u5): u32 { return u32(x >>> s); }" });
  for (const w of [8, 16]) d.push({ name: `mul${w}`, body: `export function mul${w}(a: u${w}, b: u${w}): u${2 * w} { return u${2 * w}(a * b); }` });
  for (const k of [2, 4, 8])
    d.push({ name: `chain${k}`, body: `export function chain${k}(x0: u16, b: Vec<u16, ${k}>, c: Vec<u16, ${k}>): u16 { let x: u16 = x0; for (let i = 0; i < ${k}; i++) x = u16((x ^ c[i]) + b[i]); return x; }` });
  d.push({ name: "minOf8", body: "export function minOf8(p: Vec<u16, 8>): u16 { let m: u16 = p[0]; for (let i = 1; i < 8; i++) if (p[i] < m) m = p[i]; return m; }" });
  // Trees of short adds (each add pays the carry chain's entry and exit) and add-compare-select.
  d.push({ name: "sum8x8", body: "export function sum8x8(v: Vec<u8, 8>): u16 { let s = 0; for (let i = 0; i < 8; i++) s += v[i]; return u16(s); }" });
  d.push({ name: "popcnt16", body: "export function popcnt16(x: u16): u5 { let n = 0; for (let i = 0; i < 16; i++) n += (x >>> i) & 1; return u5(n); }" });
  // No logic: byte moves of 64 and 512 bits (the stage floor: routing and enable fan-out only).
  d.push({ name: "wire64", body: "export function wire64(b: Vec<u8, 8>): u64 { let a = 0n; for (let i = 0; i < 8; i++) a = (a << 8n) | u64(b[i]); return u64(a); }" });
  d.push({ name: "wire512", body: "export function wire512(v: Vec<u64, 8>): Vec<u64, 8> { return [v[7], v[6], v[5], v[4], v[3], v[2], v[1], v[0]]; }" });
  d.push({ name: "satAdd16", body: "export function satAdd16(a: u16, b: u16): u16 { const s = a + b; return u16(s > 0xffff ? 0xffff : s); }" });
  // Compare-and-select with the winner's index (the select of every price bit and index bit), and a wide add tree.
  d.push({ name: "minIdx8", body: "export function minIdx8(p: Vec<u32, 8>): u32 { let m: u32 = p[0]; let k = 0; for (let i = 1; i < 8; i++) if (p[i] < m) { m = p[i]; k = i; } return u32(m ^ k); }" });
  d.push({ name: "popcnt32", body: "export function popcnt32(x: u32): u6 { let n = 0; for (let i = 0; i < 32; i++) n += (x >>> i) & 1; return u6(n); }" });
  // A constant table indexed by a variable (a LUT function of the index bits).
  d.push({ name: "rom16", body: "const T: Vec<u8, 16> = [u8(3), u8(141), u8(77), u8(200), u8(19), u8(250), u8(64), u8(9), u8(181), u8(36), u8(222), u8(117), u8(5), u8(168), u8(90), u8(47)];\nexport function rom16(i: u4): u8 { return T[i]; }" });
  d.push({ name: "mul32x8", body: "export function mul32x8(a: u32, b: u8): u40 { return u40(a * b); }" });
  // Deep pipelines (compiled at 1000 MHz: one xor or 8-bit add per stage): the valid/ready handshake across many stages.
  for (const k of [4, 8, 12, 16])
    d.push({ name: `pipe${k}`, clockMhz: 1000, body: `export function pipe${k}(x0: u8, b: Vec<u8, ${k}>, c: Vec<u8, ${k}>): u8 { let x: u8 = x0; for (let i = 0; i < ${k}; i++) x = u8((x ^ c[i]) + b[i]); return x; }` });
  return d;
}

const TYPES = ["u2", "u4", "u5", "u6", "u8", "u16", "u32", "u40", "u48", "u64", "Vec"];

export function calibrationSource(designs: CalDesign[]): string {
  return `// Generated by sim/pnr/calibrate.ts: delay-model calibration designs.\nimport { ${TYPES.join(", ")} } from "tsfpga";\n${designs.map((x) => x.body).join("\n")}\n`;
}

/** One routed calibration design: its period, and its stages and port bits (the stage floor's terms). */
export interface Measurement { name: string; periodNs: number; fmaxMhz: number; logicNs: number; routingNs: number; luts: number; seconds: number; stages?: number; portBits?: number }

/** The fabric structure of a target (the coefficients are fitted). */
export function structureOf(target: string): Omit<DelayModel, "ns" | "name" | "description"> {
  const family = DEVICES[target].family;
  return { lutInputs: 4, muxWays: 2, hasDsp: family === "ecp5" || DEVICES[target].capacity.dsps > 0 };
}

/** The generic coefficients with a target's structure: what the calibration designs are compiled with. */
export const buildModel = (target: string): DelayModel => ({ ...GENERIC_MODEL, ...structureOf(target), name: `generic (${target} structure)` });

/** The function the backend schedules (legalised for the target's structure, carries split as at a slow clock). */
/**
 * Calibration designs are compiled without the demanded-bits pass: each is written to measure one
 * kind of op (a 17-bit compare, a barrel shift), which that pass would rebuild as something else.
 */
const CALIBRATION_PIPELINE = { skip: ["demanded-bits"] };

export function scheduledFn(file: string, name: string, target: string): Fn {
  const u = compileUnit(file, name, CALIBRATION_PIPELINE);
  if (!u.fn) throw new Error(`calibrate: ${name} does not compile: ${u.diagnostics.map((x) => x.message).join("; ")}`);
  return withDelayModel(buildModel(target), () => splitCarries(legaliseFn(u.fn!), 1000 / 10 - 0.45).fn);
}

const COEFS = ["lut", "mux", "carryBase", "carryBit", "compareOut", "mul", "hop", "selFanout"] as const;

/**
 * The longest path of `fn` under `m`: its delay (ns, without the register margin) and its terms.
 * Nodes for which `registered` holds start a path (a register's output), and only paths ending in
 * `ends` (default: any node) count.
 */
export function longestPath(fn: Fn, m: DelayModel, registered: (n: Node) => boolean = () => false, ends: (n: Node) => boolean = () => true): { ns: number; terms: Terms } {
  return withDelayModel(m, () => {
    const at = new Map<number, { ns: number; terms: Terms }>();
    let best = { ns: 0, terms: {} as Terms };
    for (const n of fn.nodes) {
      if (registered(n)) { at.set(n.id, { ns: 0, terms: {} }); continue; }
      let from = { ns: 0, terms: {} as Terms };
      for (const o of n.operands) { const a = at.get(o.id); if (a && a.ns > from.ns) from = a; }
      const t = n.op === "literal" ? {} : opTerms(n);
      const terms: Terms = { ...from.terms };
      for (const [k, v] of Object.entries(t) as [keyof Terms, number][]) terms[k] = (terms[k] ?? 0) + v;
      const r = { ns: from.ns + termsNs(t, m), terms };
      at.set(n.id, r);
      if (r.ns > best.ns && ends(n)) best = r;
    }
    return best;
  });
}

/** Solve A x = b (small, dense) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    if (Math.abs(M[c][c]) < 1e-12) { M[c][c] = 1e-12; }
    for (let r = 0; r < n; r++) if (r !== c) { const f = M[r][c] / M[c][c]; for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k]; }
  }
  return M.map((r, i) => r[n] / r[i]);
}

/** Non-negative least squares (active set by elimination): minimise Σ ((X x − y)/y)². */
export function nnls(X: number[][], y: number[]): number[] {
  const k = X[0].length;
  let free = Array.from({ length: k }, (_, i) => i).filter((j) => X.some((r) => r[j] !== 0));
  for (;;) {
    const A = free.map((a) => free.map((b) => X.reduce((s, r, i) => s + (r[a] * r[b]) / (y[i] * y[i]), 0)));
    const rhs = free.map((a) => X.reduce((s, r, i) => s + (r[a] * y[i]) / (y[i] * y[i]), 0));
    for (let i = 0; i < free.length; i++) A[i][i] += 1e-9;
    const sol = solve(A, rhs);
    const neg = sol.findIndex((v) => v < 0);
    const x = new Array(k).fill(0);
    if (neg < 0) { free.forEach((j, i) => (x[j] = sol[i])); return x; }
    free = free.filter((_, i) => i !== neg);
  }
}

/** Fit a target's model from measurements of the calibration designs. */
export function fitModel(target: string, fns: Map<string, Fn>, all: Measurement[], points: RoutedPoint[] = routedPoints(target)): DelayModel {
  const s = structureOf(target);
  // Designs without logic, and deep pipelines, set the stage floor; the others are fitted.
  const isFloor = (m: Measurement) => (m.stages ?? 1) > 1 || longestPath(fns.get(m.name)!, GENERIC_MODEL).ns === 0;
  const floors = all.filter(isFloor);
  const ms = all.filter((m) => !isFloor(m));
  // stageFloor + floorPerBit · port bits + floorPerStageLog2 · log2 stages, by the same non-negative least squares.
  const fx = floors.length ? nnls(floors.map((m) => [1, m.portBits ?? 0, Math.log2(m.stages ?? 1)]), floors.map((m) => m.periodNs)) : [0, 0, 0];
  let model: DelayModel = { name: target, description: "", ...s, ns: { ...GENERIC_MODEL.ns } };
  // Each row: the path's terms, the register margin and its routing term (port bits).
  const row = (t: Terms, bits: number) => [...COEFS.map((c) => t[c] ?? 0), 1, bits];
  for (let iter = 0; iter < 6; iter++) {
    const X = [...ms.map((m) => row(longestPath(fns.get(m.name)!, model).terms, m.portBits ?? 0)), ...points.map((p) => row(p.terms, p.portBits))];
    const x = nnls(X, [...ms.map((m) => m.periodNs), ...points.map((p) => p.periodNs)]);
    const ns = Object.fromEntries([...COEFS.map((c, i) => [c, x[i]]), ["registerMargin", x[COEFS.length]], ["routePerBit", x[COEFS.length + 1]], ["stageFloor", fx[0]], ["floorPerBit", fx[1]], ["floorPerStageLog2", fx[2]], ["guard", 0]]) as unknown as DelayCoefficients;
    // A coefficient no design exercised keeps the generic value scaled like the fitted LUT level.
    for (const c of COEFS) if (!ms.some((m) => (longestPath(fns.get(m.name)!, model).terms[c] ?? 0) > 0)) ns[c] = GENERIC_MODEL.ns[c] * (ns.lut / GENERIC_MODEL.ns.lut || 1);
    for (const c of Object.keys(ns) as (keyof DelayCoefficients)[]) ns[c] = Math.round(ns[c] * 100_000) / 100_000;
    model = { ...model, ns };
  }
  const predict = (ns: number, bits: number, stages: number, logic: boolean) =>
    Math.max(logic ? ns + marginNs(model, bits) : 0, withDelayModel(model, () => stageFloorNs(bits, stages)));
  const error = (predicted: number, measured: number) => ({ predictedNs: Math.round(predicted * 1000) / 1000, errorPct: Math.round(((predicted - measured) / measured) * 1000) / 10 });
  const rows = all.map((m) => {
    const p = longestPath(fns.get(m.name)!, model);
    const predicted = predict(p.ns, m.portBits ?? 0, m.stages ?? 1, !isFloor(m));
    return { design: m.name, stages: m.stages ?? 1, portBits: m.portBits ?? 0, measuredNs: m.periodNs, ...error(predicted, m.periodNs), terms: p.terms, luts: m.luts };
  });
  const pointRows = points.map((p) => ({ design: p.design, stages: p.stages, portBits: p.portBits, measuredNs: p.periodNs, ...error(predict(termsNs(p.terms, model), p.portBits, p.stages, true), p.periodNs), terms: p.terms, source: p.source, command: p.command, seedsMhz: p.seedsMhz }));
  const worst = Math.max(...rows.map((r) => Math.abs(r.errorPct)));
  // The guard: the worst under-estimate of a period on the calibration set and the routed points (rounded up to a percent).
  const under = (rs: { measuredNs: number; predictedNs: number }[]) => Math.ceil(Math.max(0, ...rs.map((r) => r.measuredNs / r.predictedNs - 1)) * 100) / 100;
  const guard = Math.max(under(rows), under(pointRows));
  model = { ...model, ns: { ...model.ns, guard } };
  const d = DEVICES[target];
  const guardWhy = guard === under(rows) ? "the worst under-estimate of the calibration set" : `the worst under-estimate, on ${pointRows.filter((r) => r.measuredNs / r.predictedNs - 1 > under(rows)).map((r) => r.design).join(", ")}; ${Math.round(under(rows) * 100)}% on the calibration set`;
  const on = points.length ? ` and ${points.map((p) => p.design).join(", ")} (routed outside the set: ${pointRows.map((r) => `${r.errorPct}%`).join(", ")})` : "";
  return {
    ...model,
    description: `${d.description}: coefficients fitted by least squares on post-route critical paths (nextpnr, seed 1) of ${ms.length} calibration designs${on} (the stage floor from ${floors.length} without logic or with deep pipelines); worst design error ${worst}%; scheduling guard ${Math.round(guard * 100)}% (${guardWhy})`,
    calibration: { date: new Date().toISOString().slice(0, 10), method: "sim/pnr/calibrate.ts: non-negative least squares on relative error of the longest path's terms + register margin + routing per port bit, on the calibration designs and the routed points of sim/pnr/calibration-points.json; stage floor fitted on designs without logic and deep pipelines", designs: rows, points: pointRows },
  };
}

/**
 * A kernel's routed point without its measurement: its state loop (the stage `compile --target`
 * accepts a clock by) in model terms under the target's current model, its port bits and stages,
 * compiled for `clockMhz` with `outputStages`. The measurement is `tsfpga synth` on the same
 * arguments (median of its seeds).
 */
export function pointTerms(file: string, target: string, clockMhz: number, outputStages?: number): Pick<RoutedPoint, "terms" | "portBits" | "stages"> {
  const u = compileUnit(file, undefined);
  if (!u.fn || !u.kernel) throw new Error(`calibrate --terms: ${file} is not a kernel (${u.diagnostics.map((x) => x.message).join("; ") || "a function"})`);
  const model = loadDelayModel(target);
  const bits = kernelPortBits(kernelPorts(u.fn, u.kernel));
  const hw = withDelayModel(model, () => generateKernelHardware(u.fn!, u.kernel!, { clockMhz, source: file, sourceHash: "", ...(outputStages !== undefined ? { outputStages } : {}) }));
  if (!hw.report) throw new Error(`calibrate --terms: ${file} at ${clockMhz} MHz: ${hw.diagnostics.map((x) => x.message).join("; ")}`);
  const kh = withDelayModel(model, () => withPortBits(bits, () => kernelHardware(legaliseFn(u.fn!), u.kernel!, clockMhz))).hw!;
  // The loop: what the next state and the memory writes read, from the state register on.
  const cone = new Set<Node>();
  const stack: Node[] = [kh.stateNext, ...kh.mems.flatMap((m) => (m.write ? [m.write] : []))];
  while (stack.length) { const n = stack.pop()!; if (!cone.has(n)) { cone.add(n); stack.push(...n.operands); } }
  const terms = longestPath(kh.fn, model, (n) => !kh.stateDependent.has(n), (n) => cone.has(n)).terms;
  return { terms, portBits: bits, stages: hw.report.stages };
}

/** Route the designs not yet in `ms` (measurements kept from an earlier run), adding them to it. */
async function measure(target: string, file: string, designs: CalDesign[], dir: string, ms: Measurement[] = []): Promise<Measurement[]> {
  for (const { name, clockMhz } of designs) {
    if (ms.some((m) => m.name === name)) continue;
    const fn = compileUnit(file, name, CALIBRATION_PIPELINE).fn!;
    const hw = withDelayModel(buildModel(target), () => generateHardware(fn, { clockMhz: clockMhz ?? 10, source: file, sourceHash: "" }));
    if (!hw.verilog) throw new Error(`calibrate: ${name}: ${hw.diagnostics.map((x) => x.message).join("; ")}`);
    const t0 = performance.now();
    const r = await placeAndRoute(hw.verilog, hw.module!, target, 1, { freqMhz: 100, ports: hw.signature!.ports, clock: hw.signature!.clock, names: hw.names!.entries });
    const m = { name, periodNs: Math.round((1000 / r.fmaxMhz) * 1000) / 1000, fmaxMhz: r.fmaxMhz, logicNs: r.criticalPath.logicNs, routingNs: r.criticalPath.routingNs, luts: r.luts, seconds: Math.round((performance.now() - t0) / 100) / 10, stages: hw.report!.stages, portBits: portBits(fn) };
    process.stderr.write(`calibrate ${target}: ${name}: ${m.fmaxMhz.toFixed(1)} MHz (${m.periodNs} ns, ${m.luts} LUT4, ${m.seconds} s)\n`);
    ms.push(m);
    writeFileSync(join(dir, `${target}.measurements.json`), JSON.stringify(ms, null, 2) + "\n");
  }
  return ms;
}

export async function calibrate(targets: string[], refit: boolean, add = false): Promise<void> {
  const dir = resolve(projectRoot(), "build", "calibrate");
  mkdirSync(dir, { recursive: true });
  const designs = calibrationDesigns();
  const file = join(dir, "designs.ts");
  writeFileSync(file, calibrationSource(designs));
  await Promise.all(targets.map(async (target) => {
    const fns = new Map(designs.map((d) => [d.name, scheduledFn(file, d.name, target)]));
    const saved = join(dir, `${target}.measurements.json`);
    const kept = (refit || add) && existsSync(saved) ? (JSON.parse(readFileSync(saved, "utf8")) as Measurement[]).filter((m) => fns.has(m.name)) : [];
    for (const m of kept) { m.portBits ??= portBits(fns.get(m.name)!); m.stages ??= 1; }
    const ms = refit ? kept : await measure(target, file, designs, dir, kept);
    const model = fitModel(target, fns, ms);
    const out = join(modelsDir(), `${target}.json`);
    writeFileSync(out, JSON.stringify(model, null, 2) + "\n");
    process.stdout.write(`${target}: ${JSON.stringify(model.ns)}\n  ${model.description}\n  wrote ${out}\n`);
  }));
}

if (process.argv[1] && /calibrate\.[jt]s$/.test(process.argv[1])) {
  const args = process.argv.slice(2);
  if (args[0] === "--terms") {
    process.stdout.write(JSON.stringify(pointTerms(args[1], args[2], Number(args[3]), args[4] !== undefined ? Number(args[4]) : undefined)) + "\n");
    process.exit(0);
  }
  const targets = args.filter((a) => !a.startsWith("--"));
  await calibrate(targets.length ? targets : ["ice40-hx8k", "ecp5-25f"], args.includes("--refit"), args.includes("--add"));
}
