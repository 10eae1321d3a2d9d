/**
 * Pipelines of kernels in hardware: every stage is compiled as a kernel (backend.ts), and one top
 * module instantiates them in order, connecting stage i's m_axis (valid, ready, the output record)
 * to stage i+1's s_axis. Each kernel ends in a two-entry skid buffer whose ready is a flop, so the
 * buffer between two kernels is already there: a stall at the end reaches the input one kernel at
 * a time, without loss, and no combinational path runs from one kernel's output ready through
 * another kernel to its input ready. Each stage keeps its own `cfg` port, named `cfg_<stage>` on
 * the top, and its readable state ports, `<port>_<stage>`. The signature is the first stage's
 * input, the last stage's output and those ports.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Fn, KernelInfo } from "../ir/ir.js";
import { VERSION } from "../version.js";
import { generateKernelHardware, type BackendResult } from "./backend.js";
import { moduleOpening } from "./emit.js";
import { isBeat } from "./kernel-hw.js";
import { sanitize } from "./names.js";
import { layoutFields, type SigField } from "./signature.js";
import type { NameEntry, NameTableFile } from "./source-map.js";

export interface PipelineStageIn { name: string; fn: Fn; kernel: KernelInfo }

export interface PipelineHw {
  diagnostics: Diagnostic[];
  /** The top module's name. */
  module?: string;
  /** Every stage module (each once) followed by the top module, in one text (simulation). */
  verilog?: string;
  /** The same as one file per module, `<module>.v` (compile writes these). */
  files?: { module: string; verilog: string }[];
  signature?: ReturnType<typeof buildPipelineSignature>;
  /** Each stage's own backend result (its module, schedule and report), in pipeline order. */
  stages?: BackendResult[];
  /** Cycles through the pipeline with no stalls: the sum of the stages' latencies. */
  latencyCycles?: number;
  /** The name table of the whole design, as flattened by synthesis (pipelineNameTable). */
  names?: NameTableFile;
}

const range = (w: number) => `[${w - 1}:0]`;

/** The top-level configuration port of a stage that has a configuration. */
export const cfgPortName = (stage: string) => `cfg_${sanitize(stage)}`;
/** A stage's readable state port (kernel(…, { readable })) on the top: `<port>_<stage>`. */
export const readablePortName = (port: string, stage: string) => `${port}_${sanitize(stage)}`;

/** The instance name of stage `i` (0-based) in the top module. */
export const stageInstance = (i: number, stage: string) => `u${i + 1}_${sanitize(stage)}`;
/** The top module's wire bundle between stage `a` and the next stage `b`. */
const linkName = (a: string, b: string) => `${sanitize(a)}_to_${sanitize(b)}`;

/**
 * The name table of a pipeline as synthesis sees it after flattening: every kernel's entries under
 * its instance (`u1_feed.add_12`), each control role prefixed with the stage's name, then the top
 * module's own signals (the links between kernels and the start-up counter).
 */
export function pipelineNameTable(module: string, stages: { name: string }[], hws: BackendResult[]): NameTableFile {
  const entries: NameEntry[] = [];
  stages.forEach((s, i) => {
    for (const e of hws[i].names?.entries ?? []) entries.push({ ...e, name: `${stageInstance(i, s.name)}.${e.name}`, ...(e.role ? { role: `${s.name}: ${e.role}` } : {}) });
  });
  for (let i = 0; i + 1 < stages.length; i++) {
    const l = linkName(stages[i].name, stages[i + 1].name), role = `link ${stages[i].name} → ${stages[i + 1].name}`;
    for (const sig of ["tvalid", "tready", "tdata"]) entries.push({ name: `${l}_${sig}`, kind: "control", stage: 0, role: `${role} ${sig.slice(1)}` });
  }
  for (const n of ["startup_busy", "startup_count"]) entries.push({ name: n, kind: "control", stage: 0, role: "pipeline start-up counter" });
  return { module, entries };
}

function flatWidth(fields: SigField[]): number {
  return fields.reduce((m, f) => Math.max(m, f.lsb + f.width), 0);
}

export function buildPipelineSignature(name: string, module: string, stages: PipelineStageIn[], hws: BackendResult[], o: { source: string; sourceHash: string; clockMhz: number; latencyCycles: number }) {
  const first = hws[0].signature!, last = hws[hws.length - 1].signature!;
  const config = stages.flatMap((s, i) => ((hws[i].signature as { config?: { width: number }[] }).config ?? []).map((c) => ({ name: cfgPortName(s.name), width: c.width })));
  const stagePorts = first.ports.filter((p) => p.name.startsWith("s_axis_"));
  const status = stages.flatMap((s, i) => ((hws[i].signature as { status?: { name: string; width: number }[] }).status ?? []).map((c) => ({ name: readablePortName(c.name, s.name), width: c.width })));
  return {
    tsfpga: VERSION, top: name, module, source: o.source, sourceHash: o.sourceHash,
    clock: "clk", reset: { name: "rst", activeHigh: true, synchronous: true },
    clockMhz: o.clockMhz, latencyCycles: o.latencyCycles, ii: 1,
    pipeline: stages.map((s, i) => {
      const cfg: SigField[] = [];
      if (s.kernel.cfg) layoutFields(s.kernel.cfg, "", 0, cfg);
      return { stage: s.name, kernel: s.kernel.name, module: hws[i].module!, latencyCycles: hws[i].schedule!.stages, configLatencyCycles: hws[i].report?.kernel?.configStages ?? 0, config: cfg, configPort: s.kernel.cfg ? cfgPortName(s.name) : null };
    }),
    input: first.input,
    output: last.output,
    ...(config.length ? { config } : {}),
    ...(status.length ? { status } : {}),
    ports: [
      { name: "clk", dir: "input", width: 1 },
      { name: "rst", dir: "input", width: 1 },
      ...stagePorts,
      ...config.map((c) => ({ name: c.name, dir: "input", width: c.width })),
      ...status.map((c) => ({ name: c.name, dir: "output", width: c.width })),
      { name: "m_axis_tvalid", dir: "output", width: 1 },
      { name: "m_axis_tready", dir: "input", width: 1 },
      { name: "m_axis_tdata", dir: "output", width: last.output.tdataWidth },
    ],
  };
}

export function generatePipelineHardware(name: string, stages: PipelineStageIn[], o: { clockMhz: number; source: string; sourceHash: string }): PipelineHw {
  const hws: BackendResult[] = [];
  for (const s of stages) {
    const hw = generateKernelHardware(s.fn, s.kernel, o);
    if (hw.diagnostics.length || !hw.verilog) return { diagnostics: hw.diagnostics };
    hws.push(hw);
  }
  let module = sanitize(name);
  while (hws.some((h) => h.module === module)) module += "_top";
  const latencyCycles = hws.reduce((s, h) => s + h.schedule!.stages, 0);
  const signature = buildPipelineSignature(name, module, stages, hws, { ...o, latencyCycles });
  const beat = isBeat(stages[0].kernel);
  const inW = signature.input.tdataWidth, outW = signature.output.tdataWidth;
  const t: string[] = [];
  t.push(
    `// ${module}: generated by tsfpga ${VERSION} from ${o.source} (pipeline ${name}: ${stages.map((s) => s.name).join(" → ")}); do not edit.`,
    `// source sha256 ${o.sourceHash}`,
    `// ${stages.length} kernel(s) at ${o.clockMhz} MHz: latency ${latencyCycles} cycle(s) with no stalls (${hws.map((h) => h.schedule!.stages).join(" + ")}), one input per cycle (ii = 1).`,
    "// Each kernel ends in a skid buffer whose ready is a flop: the buffer between two kernels.",
    ...moduleOpening(module),
    beat ? "    input  wire [63:0] s_axis_tdata," : `    input  wire ${range(inW).padEnd(7)}s_axis_tdata,`,
    ...(beat ? ["    input  wire [7:0]  s_axis_tkeep,", "    input  wire        s_axis_tlast,"] : []),
    ...(signature.config ?? []).map((c) => `    input  wire ${range(c.width).padEnd(7)}${c.name},`),
    ...(signature.status ?? []).map((c) => `    output wire ${range(c.width).padEnd(7)}${c.name}, // readable state`),
    "    output wire        m_axis_tvalid,",
    "    input  wire        m_axis_tready,",
    `    output wire ${range(outW).padEnd(7)}m_axis_tdata`,
    ");",
  );
  // Kernels with memories clear them after reset (clearCycles, s_axis_tready low meanwhile). When a
  // later kernel clears longer than the first, the pipeline takes no input until it is done too, so
  // no record waits out a clear between two kernels.
  const clears = hws.map((h) => h.report?.kernel?.clearCycles ?? 0);
  const startup = Math.max(...clears) > clears[0] ? Math.max(...clears) : 0;
  if (startup) {
    const cw = Math.max(1, (startup - 1).toString(2).length);
    t.push(
      "",
      `    // ===== Start-up: ${startup} cycles after reset, while later kernels clear their memories, no input is accepted =====`,
      "    reg         startup_busy;",
      `    reg  ${range(cw).padEnd(8)} startup_count;`,
      "    wire        first_tready;",
      "    wire        s_axis_in_tvalid = s_axis_tvalid && !startup_busy;",
      "    assign s_axis_tready = first_tready && !startup_busy;",
      "    always @(posedge clk) begin",
      "        if (rst) begin",
      "            startup_busy <= 1'b1;",
      `            startup_count <= ${cw}'h0;`,
      "        end else if (startup_busy) begin",
      `            if (startup_count == ${cw}'h${(startup - 1).toString(16)}) startup_busy <= 1'b0;`,
      `            startup_count <= startup_count + ${cw}'h1;`,
      "        end",
      "    end",
    );
  }
  stages.forEach((s, i) => {
    const h = hws[i];
    const inst = stageInstance(i, s.name);
    const src = i === 0 ? "s_axis" : linkName(stages[i - 1].name, s.name);
    const dst = i === stages.length - 1 ? "m_axis" : linkName(s.name, stages[i + 1].name);
    t.push("", `    // ===== Kernel ${i + 1}: ${s.name} (module ${h.module}, ${h.schedule!.stages} stage(s)) =====`);
    if (i < stages.length - 1) {
      t.push(`    // ${s.name} → ${stages[i + 1].name}: ${s.kernel.out.k === "record" ? s.kernel.out.name : "records"}, ${flatWidth(h.signature!.output.fields)} bits`,
        `    wire        ${dst}_tvalid;`, `    wire        ${dst}_tready;`, `    wire ${range(h.signature!.output.tdataWidth).padEnd(7)}${dst}_tdata;`);
    }
    const conns = [
      ".clk(clk)", ".rst(rst)",
      i === 0 && startup ? ".s_axis_tvalid(s_axis_in_tvalid)" : `.s_axis_tvalid(${src}_tvalid)`,
      i === 0 && startup ? ".s_axis_tready(first_tready)" : `.s_axis_tready(${src}_tready)`,
      `.s_axis_tdata(${src}_tdata)`,
      ...(i === 0 && beat ? [".s_axis_tkeep(s_axis_tkeep)", ".s_axis_tlast(s_axis_tlast)"] : []),
      ...(s.kernel.cfg ? [`.cfg(${cfgPortName(s.name)})`] : []),
      ...((h.signature as { status?: { name: string }[] }).status ?? []).map((c) => `.${c.name}(${readablePortName(c.name, s.name)})`),
      `.m_axis_tvalid(${dst}_tvalid)`, `.m_axis_tready(${dst}_tready)`, `.m_axis_tdata(${dst}_tdata)`,
    ];
    t.push(`    ${h.module} ${inst} (`, conns.map((c) => `        ${c}`).join(",\n"), "    );");
  });
  t.push("endmodule", "", "`default_nettype wire", "");
  const files: { module: string; verilog: string }[] = [];
  for (const h of hws) if (!files.some((f) => f.module === h.module)) files.push({ module: h.module!, verilog: h.verilog! });
  files.push({ module, verilog: t.join("\n") });
  return { diagnostics: [], module, verilog: files.map((f) => f.verilog).join("\n"), files, signature, stages: hws, latencyCycles, names: pipelineNameTable(module, stages, hws) };
}
