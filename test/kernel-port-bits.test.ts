// The stage floor of a kernel (compiler/schedule/schedule.ts, docs/delay-model.md "Stage floor")
// grows with the bits of the kernel module's ports (kernelPortBits in compiler/verilog/backend.ts):
// the input, the configuration, the output record and its valid bit and the readable state ports,
// not the whole state, which is a register inside the module. The feed handler (2,756 state bits,
// 1,600 of them readable) was refused by the ecp5-25f model above 73 MHz by the floor of its 3,800
// parameter and result bits (TSF4007). With its port bits and its state loop shortened to
// 8.687 ns under the 40% guard, it compiles at 89 MHz, where the floor of its two stages is the limit.
import { describe, expect, it } from "vitest";
import { compileUnit } from "../compiler/driver.js";
import { withDelayModel } from "../compiler/schedule/delay-model.js";
import { loadDelayModel } from "../sim/pnr/models.js";
import { generateKernelHardware, kernelPortBits } from "../compiler/verilog/backend.js";

const ecp5 = loadDelayModel("ecp5-25f");
const build = (file: string, mhz: number) => {
  const r = compileUnit(file);
  expect(r.diagnostics).toEqual([]);
  return withDelayModel(ecp5, () => generateKernelHardware(r.fn!, r.kernel!, { clockMhz: mhz, source: file, sourceHash: "" }));
};

describe("kernel port bits for the stage floor", () => {
  it("counts the ports of the feed handler, not its state", () => {
    const hw = build("examples/itch/feed.ts", 73);
    expect(hw.diagnostics).toEqual([]);
    const s = hw.signature as unknown as { ports: { name: string; width: number }[] };
    const ports = s.ports.filter((p) => !["clk", "rst", "s_axis_tvalid", "s_axis_tready", "m_axis_tvalid", "m_axis_tready"].includes(p.name));
    // s_axis_tdata/tkeep/tlast, cfg, m_axis_tdata, state_stats, and the output's valid bit.
    expect(hw.schedule!.portBits).toBe(ports.reduce((a, p) => a + p.width, 0) + 1);
    expect(hw.schedule!.portBits).toBe(73 + 48 + 920 + 1 + 1600);
  });

  it("lets the ecp5-25f model compile the feed handler at 89 MHz (TSF4007 before), and not at 90 (TSF4007: the floor of 2 stages under the 40% guard)", () => {
    const hw = build("examples/itch/feed.ts", 89);
    expect(hw.diagnostics).toEqual([]);
    expect(hw.report!.stages).toBe(2);
    const fast = build("examples/itch/feed.ts", 90);
    expect(fast.diagnostics.map((d) => d.code)).toEqual(["TSF4007"]);
  });

  it("a kernel without readable state counts input, output and valid", () => {
    const hw = build("examples/kernels/frame_sum.ts", 100);
    expect(hw.diagnostics).toEqual([]);
    const k = compileUnit("examples/kernels/frame_sum.ts");
    expect(hw.schedule!.portBits).toBeLessThan(73 + 200);
    expect(k.kernel!.readable ?? []).toEqual([]);
  });
});
