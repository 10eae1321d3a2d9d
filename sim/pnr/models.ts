/**
 * Reading the calibrated delay models of compiler/schedule/models/ (the data `make calibrate`
 * writes): where they are, which targets have one, and loading one validated, so `compile --target`
 * and `synth --target` schedule with it; an unknown or broken model is a one-line error.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DelayModel } from "../../compiler/schedule/delay-model.js";
import { validateDelayModel } from "../../compiler/schedule/models.js";

const ROOT_GUESSES = [resolve(fileURLToPath(import.meta.url), "..", "..", ".."), resolve(fileURLToPath(import.meta.url), "..", "..", "..", "..")];

/** The models folder in the project: seen from sim/pnr/ in the sources, or from dist/sim/pnr/. */
export function modelsDir(): string {
  for (const r of ROOT_GUESSES) { const d = join(r, "compiler", "schedule", "models"); if (existsSync(d)) return d; }
  return join(ROOT_GUESSES[0], "compiler", "schedule", "models");
}

/** Targets that have a calibrated model. */
export function calibratedTargets(): string[] {
  const d = modelsDir();
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort() : [];
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
