// Order frames on a 64-bit AXI-Stream: the order encoder's generated module (examples/strategy/encoder.ts,
// scheduled by the ECP5-25F delay model at 80 MHz) followed by hdl/frame_serializer.v, joined in a
// small top module written here, in Verilator with no stalls and with random backpressure and bubbles. Its beats must be the native encoder's frames cut
// by frameToBeats (sim/kernel-sim.ts: 8 bytes a beat, byte 0 in tdata 7:0, keep, last), the meaning
// every software engine gives a frame on the wire; the first beat leaves in the cycle the encoder's
// record does, and frames follow back to back, one every 13 cycles (docs/order-encoder.md). The
// serialiser alone on random frames under the same stalls: at 9 bytes (a short last beat), and in
// make test-full at 1, 2, 9 and 16 (one beat, two, a short last beat, two full beats).
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { jsonToValue } from "../compiler/interp/convert.js";
import { packValue } from "../compiler/ir/values.js";
import { irTypeOf } from "../compiler/frontend/dtypes.js";
import { frameToBeats, nativeKernelStepper } from "../sim/kernel-sim.js";
import { parseSignature } from "../sim/signature.js";
import { buildHarness, runHarness, type HarnessOutput } from "../sim/verilator.js";
import { withDelayModel } from "../compiler/schedule/delay-model.js";
import { loadDelayModel } from "../sim/pnr/models.js";
import { FAST_BUILD, FULL } from "./cosim-helpers.js";
import { prng } from "./helpers/feed-frames.js";

const FILE = "examples/strategy/encoder.ts";
const DIR = join("build", "test-order-frame-beats");
const HDL = join(import.meta.dirname, "../hdl/frame_serializer.v");
const FRAME_BYTES = 104;

/** A top module: encoder → frame_serializer (the frame record's `bytes` are its low 832 bits). */
function topVerilog(inW: number, outW: number, cfgW: number, status: { name: string; width: number }[]): string {
  const st = status.map((s) => `    /* verilator lint_off UNUSEDSIGNAL */\n    wire [${s.width - 1}:0] ${s.name};\n    /* verilator lint_on UNUSEDSIGNAL */`).join("\n");
  return `\`timescale 1ns/1ps
\`default_nettype none
module encoder_beats (
    input  wire clk, input wire rst,
    input  wire s_axis_tvalid, output wire s_axis_tready, input wire [${inW - 1}:0] s_axis_tdata,
    input  wire [${cfgW - 1}:0] cfg,
    output wire m_axis_tvalid, input wire m_axis_tready, output wire [63:0] m_axis_tdata,
    output wire [7:0] m_axis_tkeep, output wire m_axis_tlast
);
    wire enc_valid, enc_ready;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [${outW - 1}:0] enc_data;
    /* verilator lint_on UNUSEDSIGNAL */
${st}
    encoder u_encoder (.clk(clk), .rst(rst), .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready), .s_axis_tdata(s_axis_tdata), .cfg(cfg),
        .m_axis_tvalid(enc_valid), .m_axis_tready(enc_ready), .m_axis_tdata(enc_data)${status.map((s) => `, .${s.name}(${s.name})`).join("")});
    frame_serializer #(.BYTES(${FRAME_BYTES})) u_serializer (.clk(clk), .rst(rst), .s_valid(enc_valid), .s_ready(enc_ready), .s_data(enc_data[${8 * FRAME_BYTES - 1}:0]),
        .m_valid(m_axis_tvalid), .m_ready(m_axis_tready), .m_data(m_axis_tdata), .m_keep(m_axis_tkeep), .m_last(m_axis_tlast));
endmodule
\`default_nettype wire
`;
}

/** Harness outputs as beats in frameToBeats' form. */
const beatsOf = (outs: HarnessOutput[]) => outs.map((o) => ({
  bytes: Array.from({ length: 8 }, (_, i) => Number((o.data >> BigInt(8 * i)) & 0xffn)), keep: Number(o.tkeep), last: o.tlast,
}));

/** The serialiser alone behind AXI-Stream port names, for the harness. */
function serializerTop(bytes: number): string {
  return `\`timescale 1ns/1ps
\`default_nettype none
module ser_${bytes} (
    input wire clk, input wire rst,
    input wire s_axis_tvalid, output wire s_axis_tready, input wire [${8 * bytes - 1}:0] s_axis_tdata,
    output wire m_axis_tvalid, input wire m_axis_tready, output wire [63:0] m_axis_tdata, output wire [7:0] m_axis_tkeep, output wire m_axis_tlast
);
    frame_serializer #(.BYTES(${bytes})) u (.clk(clk), .rst(rst), .s_valid(s_axis_tvalid), .s_ready(s_axis_tready), .s_data(s_axis_tdata),
        .m_valid(m_axis_tvalid), .m_ready(m_axis_tready), .m_data(m_axis_tdata), .m_keep(m_axis_tkeep), .m_last(m_axis_tlast));
endmodule
\`default_nettype wire
`;
}

describe("frame_serializer alone on random frames = frameToBeats", () => {
  it.each(FULL ? [1, 2, 9, 16] : [9])("%d bytes, no stalls and 40%% backpressure and bubbles", async (bytes) => {
    mkdirSync(DIR, { recursive: true });
    const v = join(DIR, `ser_${bytes}.v`);
    writeFileSync(v, serializerTop(bytes));
    const port = (name: string, dir: string, width: number) => ({ name, dir, width });
    const sig = parseSignature({
      tsfpga: "0.1.0", top: `ser_${bytes}`, module: `ser_${bytes}`, source: "hdl/frame_serializer.v", sourceHash: "hand-written",
      clock: "clk", reset: { name: "rst", activeHigh: true, synchronous: true }, clockMhz: 250, latencyCycles: 0, ii: 1,
      input: { tdataWidth: 8 * bytes, fields: [{ path: "", lsb: 0, width: 8 * bytes, signed: false }] },
      output: { tdataWidth: 64, fields: [{ path: "", lsb: 0, width: 64, signed: false }] },
      ports: [port("clk", "input", 1), port("rst", "input", 1), port("s_axis_tvalid", "input", 1), port("s_axis_tready", "output", 1), port("s_axis_tdata", "input", 8 * bytes),
        port("m_axis_tvalid", "output", 1), port("m_axis_tready", "input", 1), port("m_axis_tdata", "output", 64), port("m_axis_tkeep", "output", 8), port("m_axis_tlast", "output", 1)],
    }, `ser_${bytes}.signature.json`);
    const exe = await buildHarness(sig, [v, HDL], { extraFlags: FAST_BUILD });
    const rnd = prng(bytes * 1009);
    const frames = Array.from({ length: 300 }, () => Uint8Array.from({ length: bytes }, () => Math.floor(rnd() * 256)));
    const inputs = frames.map((f) => f.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n));
    const want = frames.flatMap((f) => frameToBeats(f));
    for (const [seed, p] of [[1, 0], [2, 0.4]] as const) {
      const run = await runHarness(exe, inputs, { bubbles: p, backpressure: p, seed, expectedOutputs: want.length, maxIdleCycles: 10_000 });
      expect(run.protocolErrors).toBe(0);
      expect(run.hung).toBe(false);
      expect(beatsOf(run.outputs)).toEqual(want);
      if (p === 0) expect(run.outputs[0]!.outputCycle).toBe(run.acceptCycles[0]);
    }
  }, 300_000);
});

describe("order frames as 64-bit AXI-Stream beats: encoder → frame_serializer in Verilator = native frames cut into beats", () => {
  it("no stalls, and 40% backpressure and bubbles", async () => {
    const k = compileKernel(FILE, "encoder");
    expect(k.diagnostics).toEqual([]);
    const hw = withDelayModel(loadDelayModel("ecp5-25f"), () => generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 80, source: FILE, sourceHash: "test" }));
    expect(hw.diagnostics).toEqual([]);
    const sig = parseSignature(hw.signature, "encoder.signature.json");
    const status = (sig.status ?? []).map(({ name, width }) => ({ name, width }));
    const cfgW = sig.config![0]!.width;
    mkdirSync(DIR, { recursive: true });
    writeFileSync(join(DIR, "encoder.v"), hw.verilog!);
    writeFileSync(join(DIR, "encoder_beats.v"), topVerilog(sig.input.tdataWidth, sig.output.tdataWidth, cfgW, status));
    const topSig = parseSignature({
      ...(hw.signature as object), top: "encoder_beats", module: "encoder_beats", status: [],
      output: { tdataWidth: 64, fields: [{ path: "", lsb: 0, width: 64, signed: false }] },
      ports: [
        ...sig.ports.filter((p) => p.name !== "m_axis_tdata" && !status.some((s) => s.name === p.name)),
        { name: "m_axis_tdata", dir: "output", width: 64 }, { name: "m_axis_tkeep", dir: "output", width: 8 }, { name: "m_axis_tlast", dir: "output", width: 1 },
      ],
    }, "encoder_beats.signature.json");
    const exe = await buildHarness(topSig, [join(DIR, "encoder_beats.v"), join(DIR, "encoder.v"), HDL], { extraFlags: FAST_BUILD });

    const rnd = prng(31337);
    const n = (x: number) => Math.floor(rnd() * x);
    const cfg = {
      dstMac: "0x0200c0ffee01", srcMac: "0x02000000a0b1", srcIp: 0x0a000001, dstIp: 0x0a000002, srcPort: 40000 + n(1000), dstPort: 15000,
      firstSeq: n(2 ** 32), ack: n(2 ** 32), window: 65535, firstIpId: n(65536), firstUserRefNum: 1 + n(1000), clOrdIdPrefix: "0x545346504741",
      ttl: 64, display: 89, capacity: 80, ise: 78, crossType: 78, epoch: false,
    };
    const reqs = Array.from({ length: 40 }, () => ({
      locate: n(65536), slot: n(64), symbol: "0x4141504c20202020", buy: rnd() < 0.5, shares: 1 + n(10000), price: n(2 ** 32),
      timeInForce: 51, timestamp: String(n(2 ** 40)), sequence: String(n(2 ** 40)),
    }));
    const native = await nativeKernelStepper(FILE, k.kernel!, cfg);
    const toJs = (r: (typeof reqs)[number]) => ({ ...r, symbol: BigInt(r.symbol), timestamp: BigInt(r.timestamp), sequence: BigInt(r.sequence) });
    const want = reqs.flatMap((r) => frameToBeats(Uint8Array.from((native.step(toJs(r)) as { bytes: number[] }).bytes)));
    expect(want.length).toBe(40 * 13);
    const inputs = reqs.map((r) => packValue(jsonToValue(r, k.kernel!.input, "request"), irTypeOf(k.kernel!.input)));
    const config = { cfg: packValue(jsonToValue(cfg, k.kernel!.cfg!, "config"), irTypeOf(k.kernel!.cfg!)) };
    for (const [seed, p] of [[1, 0], [2, 0.4]] as const) {
      const run = await runHarness(exe, inputs, { bubbles: p, backpressure: p, seed, config, expectedOutputs: want.length, maxIdleCycles: 10_000, resetCycles: 8 });
      expect(run.protocolErrors).toBe(0);
      expect(run.hung).toBe(false);
      expect(beatsOf(run.outputs)).toEqual(want);
      if (p === 0) {
        // The first beat in the cycle the encoder's record is valid (its latency); then frames back to back.
        expect(run.outputs[0]!.outputCycle - run.acceptCycles[0]!).toBe(sig.latencyCycles);
        const firsts = run.outputs.filter((_, i) => i % 13 === 0).map((o) => o.outputCycle);
        expect(firsts.slice(1).map((c, i) => c - firsts[i]!)).toEqual(new Array(39).fill(13));
      }
    }
  }, 300_000);
});
