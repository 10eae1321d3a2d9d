/**
 * The module signature written beside every generated design (`<top>.signature.json`): clock,
 * reset, latency, and how each parameter and the result are packed into s_axis_tdata and
 * m_axis_tdata (flat, first parameter / first field / element 0 in the low bits, exactly as
 * ir/values.ts packValue). The JSON format is the one sim/signature.ts validates.
 */
import type { DType, Fn, KernelInfo } from "../ir/ir.js";
import type { KernelHw } from "./kernel-hw.js";
import { VERSION } from "../version.js";

export interface SigField { path: string; lsb: number; width: number; signed: boolean }

function dtypeWidth(d: DType): number {
  switch (d.k) {
    case "int": return d.w;
    case "bool": return 1;
    case "array": return d.n * dtypeWidth(d.elem);
    case "record": return d.fields.reduce((s, f) => s + dtypeWidth(f.type), 0);
    case "mem": return 0; // kept in block RAM, not in the state register
  }
}

/** Leaf fields of a dialect type laid out from `lsb`. */
export function layoutFields(d: DType, path: string, lsb: number, out: SigField[]): number {
  switch (d.k) {
    case "int": out.push({ path, lsb, width: d.w, signed: d.signed }); return lsb + d.w;
    case "bool": out.push({ path, lsb, width: 1, signed: false }); return lsb + 1;
    case "array":
      for (let i = 0; i < d.n; i++) lsb = layoutFields(d.elem, `${path}[${i}]`, lsb, out);
      return lsb;
    case "record":
      for (const f of d.fields) lsb = layoutFields(f.type, path ? `${path}.${f.name}` : f.name, lsb, out);
      return lsb;
    case "mem": return lsb;
  }
}

export function buildSignature(fn: Fn, o: { module: string; source: string; sourceHash: string; clockMhz: number; latencyCycles: number }) {
  const sig = fn.sig;
  if (!sig) throw new Error(`internal: ${fn.name} has no dialect signature`);
  const inFields: SigField[] = [];
  let lsb = 0;
  for (const p of sig.params) lsb = layoutFields(p.type, p.name, lsb, inFields);
  const outFields: SigField[] = [];
  layoutFields(sig.ret, "", 0, outFields);
  const inW = Math.max(1, lsb);
  const outW = dtypeWidth(sig.ret);
  return {
    tsfpga: VERSION, top: fn.name, module: o.module, source: o.source, sourceHash: o.sourceHash,
    clock: "clk", reset: { name: "rst", activeHigh: true, synchronous: true },
    clockMhz: o.clockMhz, latencyCycles: o.latencyCycles, ii: 1,
    input: { tdataWidth: inW, fields: inFields },
    output: { tdataWidth: outW, fields: outFields },
    ports: [
      { name: "clk", dir: "input", width: 1 },
      { name: "rst", dir: "input", width: 1 },
      { name: "s_axis_tvalid", dir: "input", width: 1 },
      { name: "s_axis_tready", dir: "output", width: 1 },
      { name: "s_axis_tdata", dir: "input", width: inW },
      { name: "m_axis_tvalid", dir: "output", width: 1 },
      { name: "m_axis_tready", dir: "input", width: 1 },
      { name: "m_axis_tdata", dir: "output", width: outW },
    ],
  };
}

/** Cycles after reset during which the memories are cleared and s_axis_tready is low (0 without memories). */
export function memClearCycles(hw: KernelHw): number {
  const used = hw.mems.filter((m) => m.read);
  return used.length ? Math.max(...used.map((m) => m.info.n)) : 0;
}

/** The signature of a streaming kernel: a 64-bit beat stream (or a record stream) in, records out, a config port. */
export function buildKernelSignature(k: KernelInfo, hw: KernelHw, o: { module: string; source: string; sourceHash: string; clockMhz: number; latencyCycles: number }) {
  const outFields: SigField[] = [];
  layoutFields(k.out, "", 0, outFields);
  const cfgFields: SigField[] = [];
  if (k.cfg) layoutFields(k.cfg, "", 0, cfgFields);
  const inFields: SigField[] = [];
  if (!hw.inputIsBeat) layoutFields(k.input, "", 0, inFields);
  // Each readable state field: its port and the layout of its leaves in that port.
  const readable = hw.readable.map((r) => {
    const f = k.state.k === "record" ? k.state.fields.find((x) => x.name === r.field) : undefined;
    const fields: SigField[] = [];
    if (f) layoutFields(f.type, "", 0, fields);
    return { port: r.port, field: r.field, stateLsb: r.lsb, width: r.width, fields };
  });
  return {
    tsfpga: VERSION, top: k.name, module: o.module, source: o.source, sourceHash: o.sourceHash,
    clock: "clk", reset: { name: "rst", activeHigh: true, synchronous: true },
    clockMhz: o.clockMhz, latencyCycles: o.latencyCycles, ii: 1,
    kernel: {
      stateWidth: hw.stateWidth, outputsPerBeat: "0 or 1", config: cfgFields,
      // Block RAMs of the state's Mem fields; after reset they are cleared one entry a cycle with s_axis_tready low.
      memories: hw.mems.filter((m) => m.read).map((m) => ({ name: m.info.name, depth: m.info.n, addrWidth: m.info.addrWidth, reads: m.read ? 1 : 0, writes: m.write ? 1 : 0 })),
      clearCycles: memClearCycles(hw),
      configLatencyCycles: hw.config?.stages ?? 0,
      readable,
    },
    input: hw.inputIsBeat
      ? { tdataWidth: 64, fields: Array.from({ length: 8 }, (_, i) => ({ path: `bytes[${i}]`, lsb: 8 * i, width: 8, signed: false })) }
      : { tdataWidth: hw.beatWidth, fields: inFields },
    output: { tdataWidth: hw.outWidth, fields: outFields },
    ...(hw.cfgWidth > 0 ? { config: [{ name: "cfg", width: hw.cfgWidth }] } : {}),
    ...(hw.readable.length ? { status: hw.readable.map((r) => ({ name: r.port, width: r.width })) } : {}),
    ports: [
      { name: "clk", dir: "input", width: 1 },
      { name: "rst", dir: "input", width: 1 },
      { name: "s_axis_tvalid", dir: "input", width: 1 },
      { name: "s_axis_tready", dir: "output", width: 1 },
      ...(hw.inputIsBeat
        ? [{ name: "s_axis_tdata", dir: "input", width: 64 }, { name: "s_axis_tkeep", dir: "input", width: 8 }, { name: "s_axis_tlast", dir: "input", width: 1 }]
        : [{ name: "s_axis_tdata", dir: "input", width: hw.beatWidth }]),
      ...(hw.cfgWidth > 0 ? [{ name: "cfg", dir: "input", width: hw.cfgWidth }] : []),
      ...hw.readable.map((r) => ({ name: r.port, dir: "output", width: r.width })),
      { name: "m_axis_tvalid", dir: "output", width: 1 },
      { name: "m_axis_tready", dir: "input", width: 1 },
      { name: "m_axis_tdata", dir: "output", width: hw.outWidth },
    ],
  };
}
