/**
 * Beat-by-beat evaluation of a streaming kernel in the interpreter: the state starts at the
 * kernel's reset value and every input beat applies the step function once; a step whose `valid`
 * is set emits its `out`. This is the reference behaviour the native run and the RTL must match.
 */
import type { Fn, KernelInfo, Package } from "../ir/ir.js";
import type { Value } from "../ir/values.js";
import { compileInterpreter } from "./interp.js";

export interface KernelStepper {
  state: Value;
  /** Apply one beat; returns the output when the step is valid. */
  step(input: Value): Value | undefined;
}

export function kernelStepper(pkg: Package, fn: Fn, k: KernelInfo, cfg?: Value): KernelStepper {
  const run = compileInterpreter(pkg, fn);
  const ret = fn.sig!.ret;
  if (ret.k !== "record") throw new Error("internal: kernel step must return a record");
  const iState = ret.fields.findIndex((f) => f.name === "state");
  const iOut = ret.fields.findIndex((f) => f.name === "out");
  const iValid = ret.fields.findIndex((f) => f.name === "valid");
  const withCfg = fn.params.length === 3;
  const stepper: KernelStepper = {
    state: k.init,
    step(input: Value) {
      const r = run(withCfg ? [stepper.state, input, cfg ?? 0n] : [stepper.state, input]) as Value[];
      stepper.state = r[iState];
      return r[iValid] === 1n ? r[iOut] : undefined;
    },
  };
  return stepper;
}
