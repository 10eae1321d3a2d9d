// The co-simulation suite (used by the cosim-*.test.ts files, one per example file so they run in
// parallel): every exported function of an examples/basics file is compiled at 100, 250 and 400 MHz,
// each design lint clean, and higher clocks never use fewer stages. Then, at the clocks
// sampledClocks() picks (make test: one per design, rotating over the three; make test-full: all
// three), the design is built once in Verilator (cached by content; the stall setting and seed are
// run-time options of that one build) and run on 10,000 random vectors with no stalls and with 30%
// bubbles + 30% backpressure; results must equal the interpreter's bit for bit, with no protocol
// errors or hangs, and the unstalled latency must equal the schedule's stage count.
import { describe, expect, it } from "vitest";
import { CLOCKS, compileHw, cosim, exampleFunctions, lint, sampledClocks, type HwDesign } from "./cosim-helpers.js";

export function cosimSuite(exampleFile: string): void {
  const N = 10_000;

  describe.each(exampleFunctions().filter((e) => e.file.endsWith(`/${exampleFile}`)))("$top", ({ file, top, index }) => {
    const designs: HwDesign[] = [];
    it("compiles at 100/250/400 MHz, lint clean, stages non-decreasing with the clock", () => {
      for (const mhz of CLOCKS) designs.push(compileHw(file, top, mhz));
      for (const d of designs) expect(lint(d.vpath), `${d.vpath}`).toBe("");
      const stages = designs.map((d) => d.hw.schedule.stages);
      for (let i = 1; i < stages.length; i++) expect(stages[i]).toBeGreaterThanOrEqual(stages[i - 1]);
    });
    it.each(sampledClocks(index))("matches the interpreter at %i MHz (0% and 30% stalls)", async (mhz) => {
      const d = designs.find((x) => x.mhz === mhz) ?? compileHw(file, top, mhz);
      for (const p of [0, 0.3]) {
        const r = await cosim(d, N, p, 17 + mhz);
        expect(r.summary).toBe(`${N} outputs match`);
        if (p === 0) expect(r.latencies.reduce((a, b) => Math.min(a, b), Infinity)).toBe(d.hw.schedule.stages);
      }
    });
  });
}
