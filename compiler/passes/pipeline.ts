/**
 * The pass registry and the default pipeline, as data: `DEFAULT_PIPELINE` is a list of pass
 * names run in order (the cleanup group repeated until nothing changes, and demanded-bits with
 * its cleanup repeated while it changes something, at most 4 times). `runPipeline` can stop
 * after any pass to dump the IR, and verifies the IR after every pass.
 */
import type { Package } from "../ir/ir.js";
import { verifyPackage } from "../ir/verifier.js";
import { constFold } from "./const-fold.js";
import { cse } from "./cse.js";
import { dce } from "./dce.js";
import { demandedBitsPass } from "./demanded-bits.js";
import { inline } from "./inline.js";
import { narrow } from "./narrow.js";
import type { Pass } from "./pass.js";
import { reassociate } from "./reassociate.js";
import { simplify } from "./simplify.js";

export const PASSES: ReadonlyMap<string, Pass> = new Map([inline, constFold, simplify, cse, dce, reassociate, narrow, demandedBitsPass].map((p) => [p.name, p]));

/** Passes repeated to a fixed point after inlining. */
const CLEANUP = ["const-fold", "simplify", "cse", "dce"];
export const DEFAULT_PIPELINE = ["inline", ...CLEANUP, "reassociate", ...CLEANUP, "narrow", ...CLEANUP, "demanded-bits", ...CLEANUP];

export interface PipelineOptions {
  passes?: string[];
  /** Called after each pass with its name (for --dump-ir-after). */
  after?: (pass: string, pkg: Package) => void;
  verify?: boolean;
  /** Passes of the default pipeline to leave out (to measure what one pass does). */
  skip?: string[];
}

export class UnknownPassError extends Error {}

export function runPipeline(pkg: Package, top: string, opts: PipelineOptions = {}): Package {
  const names = opts.passes ?? DEFAULT_PIPELINE;
  for (const n of names) if (!PASSES.has(n)) throw new UnknownPassError(`unknown pass '${n}' (known: ${[...PASSES.keys()].join(", ")})`);
  for (const n of opts.skip ?? []) if (!PASSES.has(n)) throw new UnknownPassError(`unknown pass '${n}' (known: ${[...PASSES.keys()].join(", ")})`);
  const runOne = (name: string) => {
    if (opts.skip?.includes(name)) return false;
    const changed = PASSES.get(name)!.run(pkg, top);
    if (opts.verify !== false) verifyPackage(pkg);
    opts.after?.(name, pkg);
    return changed;
  };
  if (opts.passes) { for (const n of names) runOne(n); return pkg; }
  runOne("inline");
  for (let round = 0; round < 8; round++) if (!CLEANUP.map(runOne).some(Boolean)) break;
  if (runOne("reassociate")) for (let round = 0; round < 8; round++) if (!CLEANUP.map(runOne).some(Boolean)) break;
  runOne("narrow");
  for (let round = 0; round < 8; round++) if (!CLEANUP.map(runOne).some(Boolean)) break;
  // Each demanded-bits round can expose more (a narrowed op makes its operands' high bits unread).
  for (let pass = 0; pass < 4 && runOne("demanded-bits"); pass++)
    for (let round = 0; round < 8; round++) if (!CLEANUP.map(runOne).some(Boolean)) break;
  return pkg;
}
