// The risk gate (examples/strategy/risk.ts) in Verilator: its own module, lint clean, fed random intent
// streams under random limits with no stalls (intents on consecutive cycles: the slot memory's
// forwarding path, the throttle's shift register) and with random backpressure and bubbles; its orders
// equal native's and the interpreter's record by record (sim/kernel-run.ts), the same orders pass as
// in the reference gate (test/risk-reference.ts), its `state_stats` equal the reference's counters,
// and no passed order breaks a limit. fast-check with a fixed seed.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FAST_BUILD, FULL, lint } from "./cosim-helpers.js";
import { RTL_DIR, intentsArb, limitsArb, riskHardware, runRisk } from "./risk-gate-run.js";

// Generate the hardware while the file is collected (a long synchronous step inside a test can keep
// the worker from answering the runner).
const hw = riskHardware();
const PRESSURE = [0, 0.3, 0.6];

describe("the risk gate in Verilator under stalls = native = interpreter = reference", () => {
  it("lint clean", () => {
    mkdirSync(RTL_DIR, { recursive: true });
    const v = join(RTL_DIR, "risk.v");
    writeFileSync(v, hw.verilog!);
    expect(lint(v)).toBe("");
  });

  it("random limits and intents (fixed seed), no stalls, 30% and 60% backpressure and bubbles", async () => {
    let run = 0, intents = 0, passed = 0;
    await fc.assert(
      fc.asyncProperty(limitsArb, intentsArb(200, 400), async (limits, stream) => {
        const p = PRESSURE[run % PRESSURE.length]!;
        const r = await runRisk(limits, stream, { backpressure: p, bubbles: p, seed: ++run, buildFlags: FAST_BUILD });
        intents += stream.length; passed += r.reasons.get("pass") ?? 0;
        expect(r.stream.rtls[0]?.summary.protocolErrors).toBe(0);
        expect(r.stream.rtls[0]?.summary.hung).toBe(false);
        expect(r.stream.firstMismatch).toBeUndefined();
        expect(r.orderDiffs).toEqual([]);
        expect(r.counterDiffs).toEqual([]);
        expect(r.violations).toEqual([]);
      }),
      { seed: 424242, numRuns: FULL ? 60 : 9, endOnFailure: true },
    );
    console.log(`risk-rtl: ${run} streams, ${intents} intents, ${passed} passed, stalls ${PRESSURE.join("/")}`);
    expect(passed).toBeGreaterThan(20);
  }, 600_000);
});
