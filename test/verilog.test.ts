// Verilog backend tests: deterministic output, golden snapshots of three designs (regenerate
// with UPDATE_GOLDEN=1), legal names for keyword identifiers, and for every example at every
// clock: Icarus (-g2005) accepts it; Yosys synthesises it with `check -assert` and no latches at
// the clocks sampledClocks(i, 1) picks (make test: one per design, not the one the cosim suite
// runs; make test-full: all three).
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileHw, exampleFunctions, run, sampledClocks } from "./cosim-helpers.js";
import { sanitize } from "../compiler/verilog/names.js";

const GOLDEN = join(import.meta.dirname, "golden");
const examples = exampleFunctions();

describe("names", () => {
  it("avoids keywords and illegal characters", () => {
    expect(sanitize("type")).toBe("type_v");
    expect(sanitize("reg")).toBe("reg_v");
    expect(sanitize("logic")).toBe("logic_v");
    expect(sanitize("$x.y")).toBe("x_y");
    expect(sanitize("9lives")).toBe("n_9lives");
  });
});

describe("golden Verilog", () => {
  it.each([
    ["examples/basics/prices.ts", "midPrice", 250],
    ["examples/basics/prices.ts", "minPrice8", 400],
    ["examples/basics/bitops.ts", "hexDigitOf", 250],
  ] as const)("%s %s @ %i MHz", (file, top, mhz) => {
    const d = compileHw(file, top, mhz);
    expect(compileHw(file, top, mhz).hw.verilog).toBe(d.hw.verilog);
    const path = join(GOLDEN, `${top}_${mhz}.v`);
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(path)) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(path, d.hw.verilog);
    }
    expect(d.hw.verilog).toBe(readFileSync(path, "utf8"));
  });
});

describe.each([100, 250, 400])("tools at %i MHz", (mhz) => {
  it.each(examples)("$top: iverilog -g2005 accepts it", ({ file, top }) => {
    const d = compileHw(file, top, mhz);
    const iv = run("iverilog", ["-g2005", "-o", "/dev/null", d.vpath]);
    expect(iv.out, iv.out).toBe("");
    expect(iv.code).toBe(0);
  });
  it.each(examples.filter((e) => sampledClocks(e.index, 1).includes(mhz)))("$top: yosys synth without latches", ({ file, top }) => {
    const d = compileHw(file, top, mhz);
    const ys = run("yosys", ["-q", "-p", `read_verilog ${d.vpath}; synth -top ${d.hw.module}; check -assert; select -assert-none t:$dlatch t:$_DLATCH_*; stat`]);
    expect(ys.code, ys.out).toBe(0);
  }, 600_000); // fnv1aOf16 at 400 MHz: about 20 CPU-seconds of Yosys opt passes
});
