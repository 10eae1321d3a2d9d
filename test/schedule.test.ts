// Scheduler and legalisation tests: schedules verify (operands never later, every stage within
// the budget), higher clocks give at least as many stages, an impossible clock yields TSF4001 at
// the op's TypeScript line, and the legalised IR (wide multiplies, constant divisions) computes
// exactly what the original does on random and edge-case arguments.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { compileTop } from "../compiler/driver.js";
import { compileInterpreter } from "../compiler/interp/interp.js";
import { Builder } from "../compiler/ir/builder.js";
import { bits } from "../compiler/ir/types.js";
import { valueEq } from "../compiler/ir/values.js";
import { legaliseFn } from "../compiler/schedule/legalise.js";
import { scheduleFn, scheduleReport, verifySchedule } from "../compiler/schedule/schedule.js";
import { DELAY, delayOf } from "../compiler/schedule/delay-model.js";
import { OP_NAMES } from "../compiler/ir/ops.js";
import { randomArgs, rng } from "../compiler/verilog/vectors.js";
import { exampleFunctions, ROOT } from "./cosim-helpers.js";

const examples = exampleFunctions();

describe("delay model", () => {
  it("has an entry for every op", () => {
    for (const op of OP_NAMES) expect(typeof DELAY[op]).toBe("function");
  });
});

describe("schedule", () => {
  it.each(examples)("$top: valid at 100/250/400 MHz, stages non-decreasing", ({ file, top }) => {
    const r = compileTop(join(ROOT, file), top);
    const fn = legaliseFn(r.fn!);
    let prev = 0;
    for (const mhz of [100, 250, 400]) {
      const { schedule, diagnostics } = scheduleFn(fn, mhz);
      expect(diagnostics).toEqual([]);
      expect(verifySchedule(fn, schedule)).toEqual([]);
      const rep = scheduleReport(fn, schedule);
      expect(rep.latencyCycles).toBe(schedule.stages);
      for (const s of rep.perStage) expect(s.estimatedDelayNs).toBeLessThanOrEqual(rep.budgetNs);
      expect(schedule.stages).toBeGreaterThanOrEqual(prev);
      prev = schedule.stages;
    }
  });

  it("reports TSF4001 with the TypeScript line for an impossible clock", () => {
    const r = compileTop(join(ROOT, "examples/basics/prices.ts"), "notional");
    const { diagnostics } = scheduleFn(legaliseFn(r.fn!), 2000);
    expect(diagnostics.length).toBeGreaterThan(0);
    const d = diagnostics.find((x) => x.message.startsWith("'mul'"))!;
    expect(d.code).toBe("TSF4001");
    expect(d.file).toContain("prices.ts");
    expect(d.line).toBe(40);
    expect(d.message).toMatch(/'mul' .* alone takes .* ns, longer than the 0\.05 ns usable in a cycle at 2000 MHz \(the fastest clock it allows is [\d.]+ MHz\)/);
  });

  it("reports one TSF4006 with the fastest clock when the period cannot hold a register", () => {
    const r = compileTop(join(ROOT, "examples/basics/prices.ts"), "notional");
    const { diagnostics } = scheduleFn(legaliseFn(r.fn!), 5000);
    expect(diagnostics.map((d) => d.code)).toEqual(["TSF4006"]);
    expect(diagnostics[0].message).toBe("at 5000 MHz the period is 0.2 ns, no more than the 0.45 ns every register stage needs, so no operation fits in a cycle");
    const fmax = Number(/fastest clock for this design is ([\d.]+) MHz/.exec(diagnostics[0].suggestion!)![1]);
    expect(scheduleFn(legaliseFn(r.fn!), fmax).diagnostics).toEqual([]);
    expect(scheduleFn(legaliseFn(r.fn!), fmax + 1).diagnostics.length).toBeGreaterThan(0);
  });

  it("detects a broken schedule", () => {
    const r = compileTop(join(ROOT, "examples/basics/prices.ts"), "midPrice");
    const fn = r.fn!;
    const { schedule } = scheduleFn(fn, 250);
    const last = fn.nodes[fn.nodes.length - 1];
    schedule.stage.set(fn.nodes.find((n) => n.op === "add")!.id, 5);
    expect(verifySchedule(fn, schedule).join("\n")).toMatch(/later stage|outside/);
    expect(last).toBeDefined();
  });
});

describe("legalisation", () => {
  const W = 40;
  const cases: [string, bigint][] = [];
  for (const op of ["udiv", "umod", "sdiv", "smod"]) for (const d of [3n, 7n, 10n, 100n, 10000n, 1000003n, -1n, -4n, -100n, (1n << 39n) - 1n]) cases.push([op, d]);
  it.each(cases)("%s by %i matches the interpreter", (op, d) => {
    if (d < 0n && op.startsWith("u")) d = -d;
    const b = new Builder("f");
    const a = b.param("a", bits(W));
    const n = b.add(op as "udiv", [a, b.literal(d, W)]);
    const fn = b.finish(n);
    fn.sig = { params: [{ name: "a", type: { k: "int", w: W, signed: false, big: true } }], ret: { k: "int", w: W, signed: false, big: true } };
    const leg = legaliseFn(fn);
    expect(leg.nodes.some((x) => x.op === op && delayOf(x) > 5)).toBe(false);
    const pkg = { name: "t", fns: [fn] };
    const ref = compileInterpreter(pkg, fn);
    const got = compileInterpreter({ name: "t", fns: [leg] }, leg);
    const next = rng(Number(d & 0xffffn));
    const edge = [0n, 1n, (1n << 39n) - 1n, 1n << 39n, (1n << 40n) - 1n, BigInt.asUintN(W, d), BigInt.asUintN(W, -d)];
    for (let i = 0; i < 3000; i++) {
      const args = i < edge.length ? [edge[i]] : randomArgs(fn, next);
      expect(valueEq(got(args), ref(args)), `${op} ${args[0]} / ${d}`).toBe(true);
    }
  });

  it.each([[64, 32, 32], [64, 64, 64], [48, 40, 24], [35, 35, 35]])("mul b%i of %i x %i bits matches", (w, wa, wb) => {
    const b = new Builder("m");
    const x = b.param("x", bits(wa));
    const y = b.param("y", bits(wb));
    const ext = (n: typeof x, from: number) => (from === w ? n : b.add("zext", [n], { w }));
    const fn = b.finish(b.add("mul", [ext(x, wa), ext(y, wb)]));
    const leg = legaliseFn(fn);
    expect(leg.nodes.filter((n) => n.op === "mul").every((n) => delayOf(n) <= 1.6)).toBe(true);
    const ref = compileInterpreter({ name: "t", fns: [fn] }, fn);
    const got = compileInterpreter({ name: "t", fns: [leg] }, leg);
    const next = rng(w);
    for (let i = 0; i < 3000; i++) {
      const args = randomArgs(fn, next);
      expect(valueEq(got(args), ref(args))).toBe(true);
    }
  });
});
