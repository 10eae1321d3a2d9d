/**
 * Beat-by-beat evaluation of a streaming kernel in the interpreter: the state starts at the
 * kernel's reset value and every input beat applies the step function once; a step whose `valid`
 * is set emits its `out`. The stepper also holds the kernel's memories (`Mem` fields of the
 * state): `memread` nodes read them as they were before the step, and after the step each write
 * the step returned (`mem:<name>` = {en, addr, data}) is applied. This is the reference behaviour
 * the native run and the RTL must match.
 */
import { memWriteField, type Fn, type KernelInfo, type Package } from "../ir/ir.js";
import type { Value } from "../ir/values.js";
import { compileInterpreter } from "./interp.js";

export interface KernelStepper {
  state: Value;
  /** The memories by name (state field path): every entry's current value. */
  mems: Map<string, Value[]>;
  /** Apply one beat; returns the output when the step is valid. */
  step(input: Value): Value | undefined;
}

export function kernelStepper(pkg: Package, fn: Fn, k: KernelInfo, cfg?: Value): KernelStepper {
  const mems = new Map<string, Value[]>((k.mems ?? []).map((m) => {
    const entries = new Array<Value>(m.n).fill(m.fill);
    m.table?.forEach((v, i) => { entries[i] = v; });
    return [m.name, entries];
  }));
  const run = compileInterpreter(pkg, fn, mems);
  const ret = fn.ret.type;
  if (ret.k !== "record") throw new Error("internal: kernel step must return a record");
  const iState = ret.fields.findIndex((f) => f.name === "state");
  const iOut = ret.fields.findIndex((f) => f.name === "out");
  const iValid = ret.fields.findIndex((f) => f.name === "valid");
  const writes = (k.mems ?? []).map((m) => ({ mem: mems.get(m.name)!, i: ret.fields.findIndex((f) => f.name === memWriteField(m.name)) })).filter((w) => w.i >= 0);
  const withCfg = fn.params.length === 3;
  const stepper: KernelStepper = {
    state: k.init,
    mems,
    step(input: Value) {
      const r = run(withCfg ? [stepper.state, input, cfg ?? 0n] : [stepper.state, input]) as Value[];
      stepper.state = r[iState];
      for (const w of writes) {
        const [en, addr, data] = r[w.i] as Value[];
        if (en === 1n) w.mem[Number(addr as bigint)] = data;
      }
      return r[iValid] === 1n ? r[iOut] : undefined;
    },
  };
  return stepper;
}
