// The pipeline handshake with ready registers (compiler/verilog/emit.ts, docs/backend.md
// "Handshake"): in a deep pipeline (ipv4HeaderChecksum at 900 MHz by the generic model, 19 stages)
// every stage's ready is a register reset to 1 whose next value reads only next-valid wires and
// skid_next, never another stage's ready (no chain through the stages), and the design still
// matches the interpreter bit for bit with no stalls (latency = stages) and with 30% bubbles and
// 30% backpressure, where a lost or duplicated beat would show as a mismatch or a count error.
import { describe, expect, it } from "vitest";
import { compileHw, cosim, lint } from "./cosim-helpers.js";

describe("ready registers in a deep pipeline", () => {
  const d = compileHw("examples/basics/checksums.ts", "ipv4HeaderChecksum", 900);
  const S = d.hw.schedule.stages;
  const v = d.hw.verilog;

  it("has one ready register per stage and no ready read by another ready", () => {
    expect(S).toBeGreaterThanOrEqual(15);
    expect(lint(d.vpath)).toBe("");
    for (let k = 1; k < S; k++) {
      expect(v).toContain(`    reg         s${k}_ready;`);
      expect(v).not.toMatch(new RegExp(`assign s${k}_ready\\b`));
      expect(v).toContain(`            s${k}_ready <= 1'b1;`);
      const next = [...v.matchAll(new RegExp(`\\n            s${k}_ready <= ([^;]*);`, "g"))].map((m) => m[1]).at(-1)!;
      expect(next).not.toMatch(/s\d+_ready/);
      expect(next.match(/_valid_d/g)!.length).toBe(S - k);
      expect(next).toContain("!skid_next");
    }
  });

  it("matches the interpreter with no stalls and with 30% bubbles and backpressure", async () => {
    for (const p of [0, 0.3]) {
      const r = await cosim(d, 5_000, p, 91);
      expect(r.summary).toBe("5000 outputs match");
      if (p === 0) expect(Math.min(...r.latencies)).toBe(S);
    }
  }, 600_000);
});
