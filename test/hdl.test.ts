// Tests for the hand-written primitives in hdl/: Verilator -Wall lint (default and
// edge parameters), Icarus -g2005 elaboration, Yosys synthesis without latches, no
// combinational path from m_ready to s_ready, descriptor JSON matching the real port
// widths, and random-traffic simulation through the Verilator harness (no loss, no
// duplication, order kept, output stable while stalled, full throughput when unstalled).
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSignatureSync } from "../sim/signature.js";
import { buildHarness, compareOutputs, runHarness } from "../sim/verilator.js";

const HDL = join(import.meta.dirname, "../hdl");
const RTL = join(import.meta.dirname, "fixtures/rtl");
const PRIMS = ["skid_buffer", "sync_fifo", "frame_serializer"] as const;

function sh(cmd: string, args: string[]): { ok: boolean; out: string } {
  try {
    const out = execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { ok: true, out };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${x.stdout ?? ""}${x.stderr ?? ""}` };
  }
}

interface Descriptor {
  module: string;
  file: string;
  params: { name: string; default: number }[];
  ports: { name: string; dir: string; width: string }[];
}
const descriptor = (m: string) => JSON.parse(readFileSync(join(HDL, `${m}.json`), "utf8")) as Descriptor;

/** Evaluates a descriptor width expression (integers, params, + - *, clog2()). */
function evalWidth(expr: string, params: Record<string, number>): number {
  const js = expr
    .replace(/clog2\(/g, "C(")
    .replace(/[A-Za-z_][A-Za-z0-9_]*/g, (id) => (id === "C" ? id : String(params[id] ?? NaN)));
  if (!/^[0-9C()+\-* ]+$/.test(js)) throw new Error(`bad width expression ${expr}`);
  const C = (x: number) => Math.ceil(Math.log2(x));
  return Function("C", `return (${js});`)(C) as number;
}

describe.each(PRIMS)("%s", (m) => {
  const file = join(HDL, `${m}.v`);
  const params: [string, string[]][] = m === "frame_serializer"
    ? [["defaults", []], ["BYTES=1", ["-GBYTES=1"]], ["BYTES=8", ["-GBYTES=8"]], ["BYTES=9", ["-GBYTES=9"]]]
    : [
        ["defaults", []],
        ["WIDTH=1", ["-GWIDTH=1"]],
        ["WIDTH=130", ["-GWIDTH=130"]],
        ...(m === "sync_fifo" ? ([["DEPTH=2", ["-GDEPTH=2"]], ["DEPTH=64", ["-GDEPTH=64"]]] as [string, string[]][]) : []),
      ];

  it.each(params)("verilator --lint-only -Wall is clean (%s)", (_, g) => {
    const r = sh("verilator", ["--lint-only", "-Wall", ...g, file]);
    expect(r.out).toBe("");
    expect(r.ok).toBe(true);
  });

  it("elaborates with iverilog -g2005", () => {
    const r = sh("iverilog", ["-g2005", "-Wall", "-o", "/dev/null", file]);
    expect(r.ok, r.out).toBe(true);
  });

  it("synthesises with yosys without latches", () => {
    const r = sh("yosys", ["-q", "-p", `read_verilog ${file}; synth -top ${m}; check -assert; select -assert-none t:$*latch* t:$_DLATCH*`]);
    expect(r.ok, r.out).toBe(true);
  });

  it("has no combinational path from m_ready to s_ready", () => {
    const ffs = "$dff,$dffe,$sdff,$sdffe,$sdffce,$adff,$adffe,$mem,$mem_v2,$memwr,$memwr_v2";
    const r = sh("yosys", ["-q", "-p", `read_verilog ${file}; proc; opt; select -assert-none w:m_ready %co*:-${ffs} w:s_ready %i`]);
    expect(r.ok, r.out).toBe(true);
  });

  it("descriptor JSON matches the Verilog ports", () => {
    const d = descriptor(m);
    expect(d.module).toBe(m);
    expect(d.file).toBe(`${m}.v`);
    const out = join(mkdtempSync(join(tmpdir(), "tsfpga-hdl-")), "ports.json");
    const r = sh("yosys", ["-q", "-p", `read_verilog ${file}; hierarchy -top ${m}; proc; write_json ${out}`]);
    expect(r.ok, r.out).toBe(true);
    const y = JSON.parse(readFileSync(out, "utf8")) as { modules: Record<string, { ports: Record<string, { direction: string; bits: unknown[] }> }> };
    const ports = y.modules[m]!.ports;
    const defaults = Object.fromEntries(d.params.map((p) => [p.name, p.default]));
    expect(d.ports.map((p) => p.name).sort()).toEqual(Object.keys(ports).sort());
    for (const p of d.ports) {
      expect(ports[p.name]!.direction, p.name).toBe(p.dir);
      expect(ports[p.name]!.bits.length, p.name).toBe(evalWidth(p.width, defaults));
    }
  });
});

describe("random traffic through the primitives (Verilator harness)", () => {
  const n = 10_000;
  const vectors = (bits: number, seed: number) => {
    let s = BigInt(seed);
    return Array.from({ length: n }, () => {
      s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      const hi = (s * 0x9e3779b97f4a7c15n) & ((1n << 64n) - 1n);
      return ((hi << 64n) | s) & ((1n << BigInt(bits)) - 1n);
    });
  };
  const cases: [string, number, number, number][] = [
    ["prim_chain40", 40, 0, 0],
    ["prim_chain40", 40, 0.3, 0.3],
    ["prim_chain40", 40, 0.1, 0.7],
    ["prim_fifo72", 72, 0, 0],
    ["prim_fifo72", 72, 0.3, 0.3],
    ["prim_fifo72", 72, 0.6, 0.1],
  ];
  it.each(cases)("%s (%d bits) bubbles %d backpressure %d: no loss, no duplication, in order, stable", async (top, bits, bubbles, backpressure) => {
    const sig = loadSignatureSync(join(RTL, `${top}.signature.json`));
    const exe = await buildHarness(sig, [join(RTL, `${top}.v`), join(HDL, "skid_buffer.v"), join(HDL, "sync_fifo.v")]);
    const inputs = vectors(bits, bits * 1000 + Math.round(bubbles * 10));
    const run = await runHarness(exe, inputs, { bubbles, backpressure, seed: 2024 });
    const check = compareOutputs(run, inputs);
    expect(check.summary).toBe(`${n} outputs match`);
    expect(run.protocolErrors).toBe(0);
    if (bubbles === 0 && backpressure === 0) {
      // skid_buffer holds s_ready low in reset and for the first cycle after it.
      expect(run.inputReadyLowCycles).toBeLessThanOrEqual(1);
      expect(run.cycles).toBeLessThanOrEqual(n + 1 + sig.latencyCycles + 64);
      expect(run.outputs.every((o) => o.outputCycle - o.acceptCycle === sig.latencyCycles)).toBe(true);
    }
  });
});
