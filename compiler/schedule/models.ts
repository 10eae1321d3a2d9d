/**
 * Target delay models: the data of `compiler/schedule/models/<target>.json`, written by
 * `make calibrate` (sim/pnr/calibrate.ts) from place-and-route runs on that device, and read by
 * sim/pnr/models.ts (this phase touches no files). validateDelayModel checks one: every coefficient a
 * finite non-negative number, the fabric's structure sane. Without --target the generic model of
 * delay-model.ts applies.
 */
import { GENERIC_MODEL, type DelayCoefficients, type DelayModel } from "./delay-model.js";

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
