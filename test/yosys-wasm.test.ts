// Generated Verilog synthesizes in both Yosys builds: the system one (Debian 0.23) and the
// WebAssembly one from npm (@yowasp/yosys), with no latches, and both count the same flip-flops.
import { describe, expect, it } from "vitest";
import { compileTop } from "../compiler/driver.js";
import { generateHardware } from "../compiler/verilog/backend.js";
import { runYosysScript, systemYosysAvailable } from "../sim/yosys.js";

const DESIGNS: [string, string, number][] = [["examples/basics/prices.ts", "minPrice8", 250], ["examples/basics/checksums.ts", "crc32Step", 400]];
const ffs = (stat: string) => [...stat.matchAll(/\$_S?DFFE?_\w+\s+(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);

describe.each(DESIGNS)("%s %s at %i MHz", (file, top, mhz) => {
  const r = compileTop(file, top);
  const hw = generateHardware(r.fn!, { clockMhz: mhz, source: file, sourceHash: "" });
  const files = { [`${hw.module}.v`]: hw.verilog! };
  const script = `synth -top ${hw.module}; check -assert; select -assert-none t:$dlatch t:$_DLATCH_*`;

  it("synthesizes in @yowasp/yosys (WebAssembly) without latches", async () => {
    const y = await runYosysScript(files, script, "wasm");
    expect(y.ok, y.log).toBe(true);
    expect(ffs(y.stat)).toBeGreaterThan(0);
  }, 120_000);

  it.skipIf(!systemYosysAvailable())("and in the system Yosys, with the same flip-flop count", async () => {
    const [w, s] = [await runYosysScript(files, script, "wasm"), await runYosysScript(files, script, "system")];
    expect(s.ok, s.log).toBe(true);
    expect(ffs(s.stat)).toBe(ffs(w.stat));
  }, 120_000);
});
