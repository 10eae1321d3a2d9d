/**
 * A kernel's configuration stage. The run-time configuration (`cfg`) is constant during a run, so
 * logic that reads only the configuration (and literals) need not be computed again for every
 * beat, nor carried through the pipeline with it: it is computed once from the `cfg` port in the
 * configuration stage(s), free-running registers that load every cycle, and the pipeline reads
 * those registers in any stage, like constants. This file finds that logic and schedules it ASAP
 * against the same clock (more than one configuration stage when it does not fit one period); the
 * number of configuration stages is how many cycles a change of `cfg` takes to reach all the logic
 * (docs/backend.md, "Streaming kernels": the configuration contract).
 */
import type { Fn, Node } from "../ir/ir.js";
import { delayOf } from "../schedule/delay-model.js";

export interface ConfigSchedule {
  /** Ids of the configuration-only nodes (the cfg parameter included). */
  nodes: Set<number>;
  /** Node id → configuration stage (1-based). */
  stage: Map<number, number>;
  /** Node id → time (ns) its value settles from the start of its configuration stage. */
  arrival: Map<number, number>;
  /** Number of configuration stages: a change of `cfg` reaches every register after this many cycles (0: no configuration logic). */
  stages: number;
}

/**
 * The configuration-only nodes of a kernel step (those whose operands are the cfg parameter,
 * other configuration-only nodes and literals, at least one not a literal), scheduled ASAP.
 */
export function configSchedule(fn: Fn, cfgParam: Node | undefined, budgetNs: number): ConfigSchedule {
  const nodes = new Set<number>();
  const stage = new Map<number, number>();
  const arrival = new Map<number, number>();
  if (!cfgParam) return { nodes, stage, arrival, stages: 0 };
  nodes.add(cfgParam.id);
  stage.set(cfgParam.id, 1);
  arrival.set(cfgParam.id, 0);
  for (const n of fn.nodes) {
    // A memory read is the kernel's state (a block RAM read in the loop stage), whatever its address.
    if (n.op === "literal" || n.op === "param" || n.op === "memread" || !n.operands.length) continue;
    if (!n.operands.every((o) => o.op === "literal" || nodes.has(o.id)) || !n.operands.some((o) => nodes.has(o.id))) continue;
    nodes.add(n.id);
    const d = delayOf(n);
    const ins = n.operands.filter((o) => o.op !== "literal");
    let s = Math.max(1, ...ins.map((o) => stage.get(o.id)!));
    let start = Math.max(0, ...ins.filter((o) => stage.get(o.id) === s).map((o) => arrival.get(o.id)!));
    if (start + d > budgetNs && start > 0) {
      s += 1;
      start = 0;
    }
    stage.set(n.id, s);
    arrival.set(n.id, start + d);
  }
  const stages = nodes.size > 1 || fn.nodes.some((u) => u.operands.includes(cfgParam)) ? Math.max(1, ...stage.values()) : 0;
  return { nodes, stage, arrival, stages };
}
