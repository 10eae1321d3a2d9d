/**
 * The pass interface and the default pipeline as data. A pass transforms a package in place and
 * says whether it changed anything; the pipeline is a list of pass names, so passes can be
 * skipped, reordered, bisected, and the IR dumped after any of them (`--dump-ir-after`).
 */
import type { Package } from "../ir/ir.js";

export interface Pass {
  readonly name: string;
  readonly description: string;
  run(pkg: Package, top: string): boolean;
}
