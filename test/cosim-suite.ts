// The co-simulation suite (used by the cosim-*.test.ts files, one per example file so they run in
// parallel): every exported function of an examples/basics file: compiled at 100, 250 and 400 MHz,
// each design is built once in Verilator (cached by content) and run on 10,000 random vectors
// with no stalls and with 30% bubbles + 30% backpressure; results must equal the interpreter's
// bit for bit, with no protocol errors or hangs. Higher clocks never use fewer stages.
import { describe, expect, it } from "vitest";
import { compileHw, cosim, exampleFunctions, lint, type HwDesign } from "./cosim-helpers.js";

export function cosimSuite(exampleFile: string): void {
  const CLOCKS = [100, 250, 400];
  const N = 10_000;

  describe.each(exampleFunctions().filter((e) => e.file.endsWith(`/${exampleFile}`)))("$top", ({ file, top }) => {
    const designs: HwDesign[] = [];
    it("compiles at 100/250/400 MHz, lint clean, stages non-decreasing with the clock", () => {
      for (const mhz of CLOCKS) designs.push(compileHw(file, top, mhz));
      for (const d of designs) expect(lint(d.vpath), `${d.vpath}`).toBe("");
      const stages = designs.map((d) => d.hw.schedule.stages);
      for (let i = 1; i < stages.length; i++) expect(stages[i]).toBeGreaterThanOrEqual(stages[i - 1]);
    });
    it.each(CLOCKS)("matches the interpreter at %i MHz (0% and 30% stalls)", async (mhz) => {
      const d = designs.find((x) => x.mhz === mhz) ?? compileHw(file, top, mhz);
      for (const p of [0, 0.3]) {
        const r = await cosim(d, N, p, 17 + mhz);
        expect(r.summary).toBe(`${N} outputs match`);
        if (p === 0) expect(r.latencies.reduce((a, b) => Math.min(a, b), Infinity)).toBe(d.hw.schedule.stages);
      }
    });
  });
}
