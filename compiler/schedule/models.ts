/**
 * Target delay models: `compiler/schedule/models/<target>.json`, written by `make calibrate`
 * (sim/pnr/calibrate.ts) from place-and-route runs on that device. loadDelayModel reads and
 * validates one (every coefficient a finite non-negative number, the fabric's structure sane) so
 * `compile --target` and `synth --target` schedule with it; an unknown or broken model is a
 * one-line error. Without --target the generic model of delay-model.ts applies.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GENERIC_MODEL, type DelayCoefficients, type DelayModel } from "./delay-model.js";

const HERE = dirname(fileURLToPath(import.meta.url));

/** The models folder: next to this file in the sources, or the sources' folder seen from dist/. */
export function modelsDir(): string {
  for (const d of [join(HERE, "models"), resolve(HERE, "..", "..", "..", "compiler", "schedule", "models")]) if (existsSync(d)) return d;
  return join(HERE, "models");
}

/** Targets that have a calibrated model. */
export function calibratedTargets(): string[] {
  const d = modelsDir();
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort() : [];
}

const COEFFICIENTS = Object.keys(GENERIC_MODEL.ns) as (keyof DelayCoefficients)[];

/** Check a parsed model; returns the problems (empty when valid). */
export function validateDelayModel(m: unknown): string[] {
  const p: string[] = [];
  const o = m as Partial<DelayModel> | null;
  if (!o || typeof o !== "object") return ["not a JSON object"];
  if (typeof o.name !== "string" || !o.name) p.push("'name' must be a non-empty string");
  if (typeof o.description !== "string") p.push("'description' must be a string");
  if (o.lutInputs !== 4 && o.lutInputs !== 6) p.push("'lutInputs' must be 4 or 6");
  if (!Number.isInteger(o.muxWays) || (o.muxWays as number) < 2) p.push("'muxWays' must be an integer ≥ 2");
  if (typeof o.hasDsp !== "boolean") p.push("'hasDsp' must be true or false");
  if (!o.ns || typeof o.ns !== "object") p.push("'ns' must be an object of coefficients");
  else for (const k of COEFFICIENTS) {
    const v = (o.ns as unknown as Record<string, unknown>)[k];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) p.push(`'ns.${k}' must be a non-negative number (got ${JSON.stringify(v)})`);
  }
  return p;
}

/** The calibrated model of a target; throws an Error with a one-line message when there is none or it is invalid. */
export function loadDelayModel(target: string): DelayModel {
  const file = join(modelsDir(), `${target}.json`);
  if (!existsSync(file)) {
    const have = calibratedTargets();
    throw new Error(`no delay model for --target '${target}': calibrated targets are ${have.length ? have.join(", ") : "none"} (make calibrate)`);
  }
  let m: unknown;
  try { m = JSON.parse(readFileSync(file, "utf8")); } catch (e) { throw new Error(`${file}: not valid JSON: ${(e as Error).message}`); }
  const problems = validateDelayModel(m);
  if (problems.length) throw new Error(`${file}: ${problems.join("; ")}`);
  return m as DelayModel;
}
