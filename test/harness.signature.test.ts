// Tests for the module signature loader/validator (sim/signature.ts): the fixture
// signatures load, the brief's example format is accepted, and malformed signatures
// produce a SignatureError listing every problem instead of crashing.
import { describe, expect, it } from "vitest";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inputSideband, loadSignature, outputSideband, parseSignature, SignatureError, signatureIssues } from "../sim/signature.js";

const RTL = join(import.meta.dirname, "fixtures/rtl");
const base = () => ({
  tsfpga: "0.1.0", top: "add8", module: "add8", source: "examples/basics/x.ts", sourceHash: "abc",
  clock: "clk", reset: { name: "rst", activeHigh: true, synchronous: true },
  clockMhz: 250, latencyCycles: 3, ii: 1,
  input: { tdataWidth: 16, fields: [{ path: "a", lsb: 0, width: 8, signed: false }, { path: "b", lsb: 8, width: 8, signed: false }] },
  output: { tdataWidth: 9, fields: [{ path: "", lsb: 0, width: 9, signed: false }] },
  ports: [
    { name: "clk", dir: "input", width: 1 }, { name: "rst", dir: "input", width: 1 },
    { name: "s_axis_tvalid", dir: "input", width: 1 }, { name: "s_axis_tready", dir: "output", width: 1 },
    { name: "s_axis_tdata", dir: "input", width: 16 },
    { name: "m_axis_tvalid", dir: "output", width: 1 }, { name: "m_axis_tready", dir: "input", width: 1 },
    { name: "m_axis_tdata", dir: "output", width: 9 },
  ] as { name: string; dir: string; width: number }[],
} as Record<string, unknown> & { ports: { name: string; dir: string; width: number }[] });

describe("signature validation", () => {
  it("accepts the documented example", () => {
    expect(signatureIssues(base())).toEqual([]);
    expect(parseSignature(base()).top).toBe("add8");
  });

  it.each(["add8", "add8_faulty", "wide200", "prim_chain40", "prim_fifo72"])("loads fixture %s", async (top) => {
    const sig = await loadSignature(join(RTL, `${top}.signature.json`));
    expect(sig.module).toBe(top);
  });

  it("finds sideband ports in line order", async () => {
    const sig = await loadSignature(join(RTL, "wide200.signature.json"));
    expect(inputSideband(sig).map((p) => p.name)).toEqual(["s_axis_tkeep", "s_axis_tlast"]);
    expect(outputSideband(sig).map((p) => p.width)).toEqual([25, 1]);
  });

  it("lists every problem", () => {
    const s = base();
    s.ports = s.ports.filter((p) => p.name !== "m_axis_tready");
    s.ports.find((p) => p.name === "s_axis_tdata")!.width = 15;
    s.ii = 0;
    (s.output as { fields: { lsb: number }[] }).fields[0]!.lsb = 4;
    s.ports.push({ name: "mystery", dir: "input", width: 3 });
    const issues = signatureIssues(s);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/missing required port "m_axis_tready"/),
        expect.stringMatching(/"s_axis_tdata" has width 15, expected 16/),
        expect.stringMatching(/^ii:/),
        expect.stringMatching(/exceed tdataWidth 9/),
        expect.stringMatching(/input "mystery" .* undriven/),
      ]),
    );
    expect(() => parseSignature(s, "x.json")).toThrow(SignatureError);
  });

  it("checks config ports against the port list", () => {
    const s = { ...base(), config: [{ name: "cfg_ip", width: 32 }] };
    expect(signatureIssues(s)).toEqual([expect.stringMatching(/missing required port "cfg_ip"/)]);
    s.ports = [...s.ports, { name: "cfg_ip", dir: "input", width: 32 }];
    expect(signatureIssues(s)).toEqual([]);
  });

  it("reports unreadable and non-JSON files without crashing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tsfpga-sig-"));
    await writeFile(join(dir, "bad.json"), "{ not json");
    await expect(loadSignature(join(dir, "bad.json"))).rejects.toThrow(/not valid JSON/);
    await expect(loadSignature(join(dir, "missing.json"))).rejects.toThrow(/cannot read file/);
    expect(signatureIssues(null)).toEqual(["expected a JSON object"]);
    expect(signatureIssues({ ports: 3 }).length).toBeGreaterThan(5);
  });
});
