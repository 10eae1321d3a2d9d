/**
 * A kernel's output only matters when `valid` is set (runtime/index.ts: `out` is emitted only
 * then), so the hardware drops the `valid ? record : NO_RECORD` gating of the output record
 * (compiler/verilog/kernel-hw.ts, whenValid): no output bit waits for `valid` or costs an AND gate.
 * Checked on the feed handler (920 output bits); the records it emits are checked against the
 * native run in kernel-rtl.test.ts and feed-filter-any.test.ts.
 */
import { describe, expect, it } from "vitest";
import { compileKernel } from "../compiler/driver.js";
import { kernelHardware } from "../compiler/verilog/kernel-hw.js";
import type { Node } from "../compiler/ir/ir.js";

describe("kernel output: not gated by valid", () => {
  it("the feed handler's record fields are not selected by valid in hardware", () => {
    const k = compileKernel("examples/itch/feed.ts", undefined);
    expect(k.diagnostics).toEqual([]);
    const { hw } = kernelHardware(k.fn!, k.kernel!, 50);
    const [out, valid] = hw!.fn.ret.operands;
    const gated = (n: Node): number => (n.op === "sel" && n.operands[0] === valid ? 1 : 0) + (n.op === "record" || n.op === "array" ? n.operands.reduce((a, o) => a + gated(o), 0) : 0);
    expect(out.op).toBe("record");
    expect(gated(out)).toBe(0);
    // The dropped selects and what only they read are not left in the function.
    const used = new Set(hw!.fn.nodes.flatMap((n) => n.operands));
    const dead = hw!.fn.nodes.filter((n) => n !== hw!.fn.ret && n !== hw!.stateNext && n.op !== "param" && !used.has(n));
    expect(dead.map((n) => `${n.op} ${n.name ?? ""}`)).toEqual([]);
  });
});
