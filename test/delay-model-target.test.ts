// Calibrated delay models (compiler/schedule/models/*.json, written by `make calibrate`): each
// loads and validates, gives every op of the examples a finite estimate, and a broken one is
// refused with a one-line reason; `compile --target` schedules with the target's model (a different
// schedule from the generic model, named in report.json and the summary); an unknown target is a
// one-line error; and on iCE40 HX8K a small design's predicted fmax is within 15% of the post-route
// fmax (place and route in seconds; skipped, with a notice, without yosys and nextpnr-ice40).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { registerCompile } from "../compiler/cli/compile.js";
import { compileUnit } from "../compiler/driver.js";
import { OP_NAMES } from "../compiler/ir/ops.js";
import { activeDelayModel, delayOf, GENERIC_MODEL, opTerms, TERMS, withDelayModel } from "../compiler/schedule/delay-model.js";
import { Builder } from "../compiler/ir/builder.js";
import { bits } from "../compiler/ir/types.js";
import { validateDelayModel } from "../compiler/schedule/models.js";
import { calibratedTargets, loadDelayModel } from "../sim/pnr/models.js";
import { legaliseFn } from "../compiler/schedule/legalise.js";
import { findNextpnr } from "../sim/pnr/devices.js";
import { systemYosysAvailable } from "../sim/yosys.js";
import { DM_DESIGNS, measureOne } from "../bench/delay-model.js";
import { calibrationDesigns, calibrationSource, fitModel, routedPoints, scheduledFn } from "../sim/pnr/calibrate.js";
import { generateHardware, generateKernelHardware } from "../compiler/verilog/backend.js";
import { runInProcess } from "./helpers/cli-in-process.js";

const ICE40 = !!findNextpnr("ice40") && systemYosysAvailable();
if (!ICE40) console.warn("delay-model-target.test: SKIPPED iCE40 predicted-vs-achieved (needs yosys and nextpnr-ice40: make setup)");
const OUT = "build/test-delay-model";
const compile = (args: string[]) => runInProcess([registerCompile], ["compile", ...args, "-o", OUT]);

describe("calibrated delay models", () => {
  it("ice40-hx8k and ecp5-25f are calibrated, load and validate", () => {
    expect(calibratedTargets()).toEqual(expect.arrayContaining(["ice40-hx8k", "ecp5-25f"]));
    for (const t of calibratedTargets()) {
      const m = loadDelayModel(t);
      expect(m.name).toBe(t);
      expect(validateDelayModel(m)).toEqual([]);
    }
  });

  it("every op has an estimate under every model: finite and non-negative on all example functions", () => {
    for (const op of OP_NAMES) expect(typeof TERMS[op]).toBe("function");
    const files = ["prices", "bitops", "checksums", "itch_fields"].map((f) => `examples/basics/${f}.ts`);
    for (const m of [GENERIC_MODEL, ...calibratedTargets().map(loadDelayModel)]) {
      const seen = new Set<string>();
      for (const file of files) {
        const src = readFileSync(file, "utf8");
        for (const [, name] of src.matchAll(/export function (\w+)/g)) {
          const fn = compileUnit(file, name).fn!;
          for (const n of legaliseFn(fn).nodes) {
            if (n.op === "invoke") continue;
            const d = withDelayModel(m, () => delayOf(n));
            expect(Number.isFinite(d) && d >= 0, `${m.name} ${name} ${n.op}`).toBe(true);
            seen.add(n.op);
          }
        }
      }
      expect(seen.size).toBeGreaterThan(20);
    }
    expect(activeDelayModel()).toBe(GENERIC_MODEL);
  });

  it("the fit reproduces: refitting each model from the measurements it records gives its coefficients", () => {
    const dir = "build/test-delay-model-fit";
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/designs.ts`;
    const designs = calibrationDesigns();
    writeFileSync(file, calibrationSource(designs));
    for (const t of ["ice40-hx8k", "ecp5-25f"]) {
      const m = loadDelayModel(t);
      const rows = (m.calibration as { designs: { design: string; measuredNs: number; stages: number; portBits: number; luts: number }[] }).designs;
      expect(rows.map((r) => r.design).sort()).toEqual(designs.map((d) => d.name).sort());
      const fns = new Map(designs.map((d) => [d.name, scheduledFn(file, d.name, t)]));
      const ms = rows.map((r) => ({ name: r.design, periodNs: r.measuredNs, fmaxMhz: 1000 / r.measuredNs, logicNs: 0, routingNs: 0, luts: r.luts, seconds: 0, stages: r.stages, portBits: r.portBits }));
      const refit = fitModel(t, fns, ms);
      for (const [k, v] of Object.entries(m.ns)) expect(refit.ns[k as keyof typeof m.ns], `${t} ${k}`).toBeCloseTo(v, 3);
      // The guard covers every calibration design: no measured period is longer than its prediction times 1 + guard.
      for (const r of (refit.calibration as { designs: { measuredNs: number; predictedNs: number }[] }).designs) expect(r.measuredNs).toBeLessThanOrEqual(r.predictedNs * (1 + m.ns.guard) + 1e-6);
      // So does every routed point outside the set (sim/pnr/calibration-points.json), which the model records.
      const points = (refit.calibration as { points: { design: string; measuredNs: number; predictedNs: number }[] }).points;
      expect(points.map((p) => p.design)).toEqual(routedPoints(t).map((p) => p.design));
      expect((m.calibration as { points: unknown[] }).points).toEqual(points);
      for (const r of points) expect(r.measuredNs).toBeLessThanOrEqual(r.predictedNs * (1 + m.ns.guard) + 1e-6);
    }
  });

  it("a clock compile --target accepts is one the model predicts with the guard to spare (the promise), for the bench's sample", () => {
    for (const target of ["ice40-hx8k", "ecp5-25f"]) {
      const model = loadDelayModel(target);
      for (const d of DM_DESIGNS) {
        const u = compileUnit(d.file, d.top);
        for (const mhz of [200, 150, 100, 60]) {
          const hw = withDelayModel(model, () => (u.kernel ? generateKernelHardware(u.fn!, u.kernel, { clockMhz: mhz, source: d.file, sourceHash: "" }) : generateHardware(u.fn!, { clockMhz: mhz, source: d.file, sourceHash: "" })));
          if (hw.diagnostics.length) continue;
          expect(hw.report!.predictedFmaxMhz, `${d.top} ${target} at ${mhz} MHz`).toBeGreaterThanOrEqual(Math.floor(mhz * (1 + model.ns.guard) * 10) / 10 - 0.1);
        }
      }
    }
  });

  it("LUT4 forms: a constant table is LUT levels over its index bits, a compare with a literal a LUT tree, a select pays its width; the generic model keeps its estimates", () => {
    const b = new Builder("f");
    const i = b.param("i", bits(4));
    const x = b.param("x", bits(17));
    const table = b.add("array", Array.from({ length: 16 }, (_, k) => b.literal(BigInt(k * 7), 8)), {}, { k: "array", n: 16, elem: bits(8) });
    const rom = b.add("index", [table, i]);
    const gt = b.add("ult", [b.literal(0xffffn, 17), x]);
    const sel = b.add("sel", [gt, b.literal(0xffffn, 17), x]);
    b.finish(b.add("concat", [rom, sel]));
    const ice40 = loadDelayModel("ice40-hx8k");
    withDelayModel(ice40, () => {
      expect(opTerms(rom)).toEqual({ lut: 1, hop: 1 });
      expect(opTerms(gt)).toEqual({ lut: 3, hop: 1 });
      expect(opTerms(sel)).toEqual({ lut: 1, selFanout: 17 / 8, hop: 1 });
    });
    expect(opTerms(rom)).toEqual({ mux: 2, lut: 1, hop: 1 });
    expect(delayOf(gt)).toBeCloseTo(0.45 + 0.012 * 17, 6);
    expect(delayOf(sel)).toBeCloseTo(0.35, 6);
  });

  it("a broken model is refused with the reason", () => {
    expect(validateDelayModel({ ...GENERIC_MODEL, ns: { ...GENERIC_MODEL.ns, lut: -1 } })).toEqual(["'ns.lut' must be a non-negative number (got -1)"]);
    expect(validateDelayModel({ ...GENERIC_MODEL, ns: { lut: 1 } }).length).toBe(Object.keys(GENERIC_MODEL.ns).length - 1);
    expect(validateDelayModel({ ...GENERIC_MODEL, lutInputs: 5 })).toEqual(["'lutInputs' must be 4 or 6"]);
  });
});

describe("compile --target", () => {
  it("schedules fnv1aOf16 at 50 MHz with the target's model: a different schedule, named in the summary and report.json", async () => {
    const args = ["examples/basics/checksums.ts", "--top", "fnv1aOf16", "--clock-mhz", "50"];
    const g = await compile(args);
    expect(g.code).toBe(0);
    expect(g.out).toMatch(/delay model generic: predicted fmax [0-9.]+ MHz/);
    const generic = JSON.parse(readFileSync(`${OUT}/fnv1aOf16.report.json`, "utf8"));
    expect(generic.delayModel).toBe("generic");
    const t = await compile([...args, "--target", "ecp5-25f"]);
    expect(t.err).toBe("");
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/delay model ecp5-25f: predicted fmax [0-9.]+ MHz/);
    const ecp5 = JSON.parse(readFileSync(`${OUT}/fnv1aOf16.report.json`, "utf8"));
    expect(ecp5.delayModel).toBe("ecp5-25f");
    // The ECP5's LUT4s, routing and carries (as placed and routed), with the guard, need more stages than the generic LUT6 fabric: 4 → 24.
    expect(ecp5.stages).toBeGreaterThan(generic.stages);
    const m = loadDelayModel("ecp5-25f");
    // The budget is the period less the register margin with its routing term (per port bit: 16 bytes in, 32 bits out),
    // both under the model's guard (delays are charged times 1 + guard).
    expect(ecp5.budgetNs).toBeCloseTo(20 - (m.ns.registerMargin + m.ns.routePerBit * (16 * 8 + 32)) * (1 + m.ns.guard), 3);
    expect(ecp5.predictedFmaxMhz).toBeGreaterThanOrEqual(50 * (1 + m.ns.guard));
  });

  it("a target without a calibrated model is a one-line error", async () => {
    const r = await compile(["examples/basics/prices.ts", "--top", "midPrice", "--target", "xc7a35t"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tsfpga: no delay model for --target 'xc7a35t': calibrated targets are .*ice40-hx8k.*\(make calibrate\)\n$/);
  });
});

describe.skipIf(!ICE40)("predicted vs post-route fmax on iCE40 HX8K", () => {
  it("isCrossedOrLocked: the ice40-hx8k model's predicted fmax is within 15% of nextpnr's", async () => {
    const r = await measureOne("examples/basics/prices.ts", "isCrossedOrLocked", "ice40-hx8k", [1]);
    expect(Math.abs(r.errorPct), JSON.stringify(r)).toBeLessThanOrEqual(15);
  }, 600_000);
});
