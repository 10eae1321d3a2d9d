// Module signature: the JSON contract emitted beside every generated `<top>.v` as
// `<top>.signature.json`. It names the clock/reset, the AXI-Stream ports, how record
// fields are packed into tdata, optional sideband ports (tkeep/tlast) and optional
// static configuration inputs. This file defines the TypeScript types, a validator
// that collects every problem into one readable error, and file loaders. The
// simulation harnesses (Verilator and cocotb) only consume validated signatures.
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";

export interface SignatureField {
  /** Dotted path inside the record; "" for a scalar stream. */
  path: string;
  lsb: number;
  width: number;
  signed: boolean;
}

export interface StreamLayout {
  tdataWidth: number;
  fields: SignatureField[];
}

export interface SignaturePort {
  name: string;
  dir: "input" | "output";
  width: number;
}

/** A static input port held constant for a whole run (value given per run). */
export interface ConfigPort {
  name: string;
  width: number;
}

export interface Signature {
  tsfpga: string;
  top: string;
  module: string;
  source: string;
  sourceHash: string;
  clock: string;
  reset: { name: string; activeHigh: boolean; synchronous: boolean };
  clockMhz: number;
  latencyCycles: number;
  ii: number;
  input: StreamLayout;
  output: StreamLayout;
  ports: SignaturePort[];
  config?: ConfigPort[];
  /** Output ports the harness reads once, at the end of a run (a kernel's readable state). */
  status?: ConfigPort[];
}

/** Sideband ports recognised by the harnesses, in the order they appear on an input line. */
export const INPUT_SIDEBAND = ["s_axis_tkeep", "s_axis_tlast"] as const;
export const OUTPUT_SIDEBAND = ["m_axis_tkeep", "m_axis_tlast"] as const;

const REQUIRED_PORTS: { name: string; dir: "input" | "output"; width: "1" | "in" | "out" }[] = [
  { name: "s_axis_tvalid", dir: "input", width: "1" },
  { name: "s_axis_tready", dir: "output", width: "1" },
  { name: "s_axis_tdata", dir: "input", width: "in" },
  { name: "m_axis_tvalid", dir: "output", width: "1" },
  { name: "m_axis_tready", dir: "input", width: "1" },
  { name: "m_axis_tdata", dir: "output", width: "out" },
];

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class SignatureError extends Error {
  constructor(
    readonly where: string,
    readonly issues: string[],
  ) {
    super(`invalid module signature (${where}):\n  - ${issues.join("\n  - ")}`);
    this.name = "SignatureError";
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min = 0): v is number => Number.isInteger(v) && (v as number) >= min;

function checkLayout(v: unknown, name: string, issues: string[]): void {
  if (!isObj(v)) return void issues.push(`${name}: expected an object`);
  if (!isInt(v.tdataWidth, 1)) issues.push(`${name}.tdataWidth: expected an integer >= 1`);
  if (!Array.isArray(v.fields)) return void issues.push(`${name}.fields: expected an array`);
  v.fields.forEach((f, i) => {
    const at = `${name}.fields[${i}]`;
    if (!isObj(f)) return void issues.push(`${at}: expected an object`);
    if (typeof f.path !== "string") issues.push(`${at}.path: expected a string`);
    if (!isInt(f.lsb)) issues.push(`${at}.lsb: expected an integer >= 0`);
    if (!isInt(f.width, 1)) issues.push(`${at}.width: expected an integer >= 1`);
    if (typeof f.signed !== "boolean") issues.push(`${at}.signed: expected a boolean`);
    if (isInt(f.lsb) && isInt(f.width, 1) && isInt(v.tdataWidth, 1) && f.lsb + f.width > v.tdataWidth)
      issues.push(`${at}: bits [${f.lsb + f.width - 1}:${f.lsb}] exceed tdataWidth ${v.tdataWidth}`);
  });
}

function checkPorts(sig: Obj, issues: string[]): void {
  if (!Array.isArray(sig.ports)) return void issues.push("ports: expected an array");
  const byName = new Map<string, SignaturePort>();
  sig.ports.forEach((p, i) => {
    const at = `ports[${i}]`;
    if (!isObj(p)) return void issues.push(`${at}: expected an object`);
    if (typeof p.name !== "string" || !IDENT.test(p.name)) issues.push(`${at}.name: expected a Verilog identifier`);
    if (p.dir !== "input" && p.dir !== "output") issues.push(`${at}.dir: expected "input" or "output"`);
    if (!isInt(p.width, 1)) issues.push(`${at}.width: expected an integer >= 1`);
    if (typeof p.name === "string") {
      if (byName.has(p.name)) issues.push(`${at}: duplicate port "${p.name}"`);
      byName.set(p.name, p as unknown as SignaturePort);
    }
  });
  const inW = isObj(sig.input) ? sig.input.tdataWidth : undefined;
  const outW = isObj(sig.output) ? sig.output.tdataWidth : undefined;
  const expect = (name: string, dir: string, width?: unknown) => {
    const p = byName.get(name);
    if (!p) return void issues.push(`ports: missing required port "${name}"`);
    if (p.dir !== dir) issues.push(`ports: "${name}" must be an ${dir}`);
    if (width !== undefined && p.width !== width) issues.push(`ports: "${name}" has width ${p.width}, expected ${String(width)}`);
  };
  if (typeof sig.clock === "string") expect(sig.clock, "input", 1);
  if (isObj(sig.reset) && typeof sig.reset.name === "string") expect(sig.reset.name, "input", 1);
  for (const r of REQUIRED_PORTS) expect(r.name, r.dir, r.width === "1" ? 1 : r.width === "in" ? inW : outW);
  if (byName.has("s_axis_tkeep")) expect("s_axis_tkeep", "input");
  if (byName.has("s_axis_tlast")) expect("s_axis_tlast", "input", 1);
  if (byName.has("m_axis_tkeep")) expect("m_axis_tkeep", "output");
  if (byName.has("m_axis_tlast")) expect("m_axis_tlast", "output", 1);

  const cfg = sig.config;
  const cfgNames = new Set<string>();
  if (cfg !== undefined) {
    if (!Array.isArray(cfg)) issues.push("config: expected an array");
    else
      cfg.forEach((c, i) => {
        if (!isObj(c) || typeof c.name !== "string" || !isInt(c.width, 1))
          return void issues.push(`config[${i}]: expected { name: string, width: integer >= 1 }`);
        cfgNames.add(c.name);
        expect(c.name, "input", c.width);
      });
  }
  const status = sig.status;
  if (status !== undefined) {
    if (!Array.isArray(status)) issues.push("status: expected an array");
    else
      status.forEach((c, i) => {
        if (!isObj(c) || typeof c.name !== "string" || !isInt(c.width, 1))
          return void issues.push(`status[${i}]: expected { name: string, width: integer >= 1 }`);
        expect(c.name, "output", c.width);
      });
  }
  const known = new Set<string>([
    ...REQUIRED_PORTS.map((r) => r.name),
    ...INPUT_SIDEBAND,
    ...cfgNames,
    String(sig.clock),
    isObj(sig.reset) ? String(sig.reset.name) : "",
  ]);
  for (const p of byName.values())
    if (p.dir === "input" && !known.has(p.name))
      issues.push(`ports: input "${p.name}" is not an AXI-Stream, sideband, clock, reset or config port (it would be left undriven)`);
}

/** Returns the list of problems with `v` as a signature (empty when valid). */
export function signatureIssues(v: unknown): string[] {
  const issues: string[] = [];
  if (!isObj(v)) return ["expected a JSON object"];
  for (const k of ["tsfpga", "source", "sourceHash"] as const)
    if (typeof v[k] !== "string") issues.push(`${k}: expected a string`);
  for (const k of ["top", "module", "clock"] as const)
    if (typeof v[k] !== "string" || !IDENT.test(v[k] as string)) issues.push(`${k}: expected a Verilog identifier`);
  if (!isObj(v.reset)) issues.push("reset: expected { name, activeHigh, synchronous }");
  else {
    if (typeof v.reset.name !== "string" || !IDENT.test(v.reset.name)) issues.push("reset.name: expected a Verilog identifier");
    if (typeof v.reset.activeHigh !== "boolean") issues.push("reset.activeHigh: expected a boolean");
    if (typeof v.reset.synchronous !== "boolean") issues.push("reset.synchronous: expected a boolean");
  }
  if (typeof v.clockMhz !== "number" || !(v.clockMhz > 0)) issues.push("clockMhz: expected a positive number");
  if (!isInt(v.latencyCycles)) issues.push("latencyCycles: expected an integer >= 0");
  if (!isInt(v.ii, 1)) issues.push("ii: expected an integer >= 1");
  checkLayout(v.input, "input", issues);
  checkLayout(v.output, "output", issues);
  checkPorts(v, issues);
  return issues;
}

/** Validates a parsed JSON value; throws SignatureError listing every problem. */
export function parseSignature(v: unknown, where = "<value>"): Signature {
  const issues = signatureIssues(v);
  if (issues.length) throw new SignatureError(where, issues);
  return v as Signature;
}

function parseText(text: string, path: string): Signature {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SignatureError(path, [`not valid JSON: ${(e as Error).message}`]);
  }
  return parseSignature(json, path);
}

/** Reads and validates `<top>.signature.json`. */
export async function loadSignature(path: string): Promise<Signature> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new SignatureError(path, [`cannot read file: ${(e as Error).message}`]);
  }
  return parseText(text, path);
}

export function loadSignatureSync(path: string): Signature {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SignatureError(path, [`cannot read file: ${(e as Error).message}`]);
  }
  return parseText(text, path);
}

/** Looks up a port by name. */
export function findPort(sig: Signature, name: string): SignaturePort | undefined {
  return sig.ports.find((p) => p.name === name);
}

/** Sideband input ports present, in input-line order (tkeep before tlast). */
export function inputSideband(sig: Signature): SignaturePort[] {
  return INPUT_SIDEBAND.map((n) => findPort(sig, n)).filter((p): p is SignaturePort => !!p);
}

/** Sideband output ports present, in output-line order (tkeep before tlast). */
export function outputSideband(sig: Signature): SignaturePort[] {
  return OUTPUT_SIDEBAND.map((n) => findPort(sig, n)).filter((p): p is SignaturePort => !!p);
}
