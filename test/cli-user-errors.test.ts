// CLI tests for user errors that used to leave the user stuck (issue 7): output paths that cannot
// be written are one line naming the path with exit 1 (never a hang under /proc or a raw errno),
// oversized --count, --top missing on a file with several tops, a clock no op can meet, u64
// arguments beyond 2^53 given as JSON numbers, and testbench run from a folder of the user's own.
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { registerCompile } from "../compiler/cli/compile.js";
import { registerRun } from "../compiler/cli/run.js";
import { registerTestbench } from "../compiler/cli/testbench.js";
import { registerPcapCommands } from "../compiler/cli/pcap.js";
import { cocotbPython } from "../sim/cocotb.js";
import { runInProcess } from "./helpers/cli-in-process.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfpga-user-errors-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ex = resolve("examples/basics/prices.ts");

function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runInProcess([registerCompile, registerRun, registerTestbench, registerPcapCommands], args);
}

/** One line on stderr, exit 1, no internal error and no raw errno text. */
function expectUserError(r: { code: number; err: string }, path: string): void {
  expect(r.code, r.err).toBe(1);
  expect(r.err.trim().split("\n"), r.err).toHaveLength(1);
  expect(r.err).toContain(path);
  expect(r.err).not.toMatch(/internal error|EPERM|EEXIST|EISDIR|ENOENT|EACCES|Invalid array length/);
}

describe("output paths are checked before the work starts", () => {
  it("compile -o under /proc answers at once (Node's recursive mkdir loops there)", async () => {
    const t0 = Date.now();
    const r = await run("compile", ex, "--top", "notional", "-o", "/proc/tsfpga-x/y");
    expectUserError(r, "/proc/tsfpga-x/y");
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
  it.skipIf(!existsSync("/sys/kernel"))("compile -o under /sys", async () => {
    expectUserError(await run("compile", ex, "--top", "notional", "-o", "/sys/tsfpga-x"), "/sys/tsfpga-x");
  });
  it("compile -o naming an existing file", async () => {
    const f = join(tmp, "a-file");
    writeFileSync(f, "x");
    const r = await run("compile", ex, "--top", "notional", "-o", f);
    expectUserError(r, f);
    expect(r.err).toMatch(/it is a file, not a folder/);
  });
  it("compile -o below an existing file", async () => {
    const f = join(tmp, "b-file");
    writeFileSync(f, "x");
    expectUserError(await run("compile", ex, "--top", "notional", "-o", join(f, "sub")), join(f, "sub"));
  });
  it("compile -o into a new nested folder still works", async () => {
    const r = await run("compile", ex, "--top", "notional", "-o", join(tmp, "n1", "n2"));
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(tmp, "n1", "n2", "notional.v"))).toBe(true);
  });
  it("testbench --count beyond the limit, and a count that is not a whole number", async () => {
    for (const c of ["100000000000", "1e400", "-3", "2.5"]) {
      const r = await run("testbench", ex, "--top", "midPrice", "--cocotb", "-o", join(tmp, "tb-count"), "--count", c);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toMatch(/^tsfpga: --count must be a whole number from 1 to 1000000 \(got '.*'\)\n$/);
    }
  });
  it("testbench -o naming an existing file", async () => {
    const f = join(tmp, "c-file");
    writeFileSync(f, "x");
    expectUserError(await run("testbench", ex, "--top", "midPrice", "--cocotb", "-o", f, "--count", "5"), f);
  });
  it("pcap synth -o naming a folder, or a file under /proc", async () => {
    const d = join(tmp, "a-dir");
    mkdirSync(d);
    expectUserError(await run("pcap", "synth", "--messages", "10", "-o", d), d);
    expectUserError(await run("pcap", "synth", "--messages", "10", "-o", "/proc/tsfpga-x.pcap"), "/proc/tsfpga-x.pcap");
    expectUserError(await run("pcap", "synth", "--messages", "10", "-o", join(tmp, "no-such-dir", "x.pcap")), join(tmp, "no-such-dir", "x.pcap"));
  });
});

describe("testbench from a folder of the user's own", () => {
  it.skipIf(!cocotbPython())("names the package's Python environment, not ./.venv", async () => {
    const user = mkdtempSync(join(tmpdir(), "tsfpga-user-folder-"));
    const was = process.cwd();
    process.chdir(user);
    try {
      const r = await run("testbench", ex, "--top", "midPrice", "--cocotb", "-o", "tb", "--count", "5");
      expect(r.code, r.err).toBe(0);
      const m = /^run it with: (\S+) (\S+)$/m.exec(r.out);
      expect(m, r.out).not.toBeNull();
      expect(m![1]).toBe(cocotbPython());
      expect(existsSync(m![1])).toBe(true);
      expect(m![2]).toBe(join(realpathSync(user), "tb", "run.py"));
      expect(existsSync(join(user, ".venv"))).toBe(false);
    } finally {
      process.chdir(was);
      rmSync(user, { recursive: true, force: true });
    }
  });
});

describe("arguments and tops", () => {
  const w = join(tmp, "wide.ts");
  writeFileSync(w, 'import { u64 } from "tsfpga";\nexport function f(a: u64): u64 {\n  return a;\n}\n');
  it("a u64 given as a JSON number beyond 2^53 is refused, naming the argument and the string form", async () => {
    const r = await run("run", w, "--args", "[18446744073709551615]");
    expect(r.code).toBe(1);
    expect(r.err).toBe('tsfpga: argument 1 (a): a JSON number beyond 2^53 has lost digits (this one reads as 18446744073709551616); give u64 values beyond 2^53 as a decimal or 0x string, e.g. "18446744073709551615"\n');
    const ok = await run("run", w, "--args", '["18446744073709551615"]');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toBe('"18446744073709551615"\n');
    expect((await run("run", w, "--args", "[9007199254740991]")).out).toBe('"9007199254740991"\n');
  });
  it("a vectors file with such a number names the line and argument", async () => {
    const v = join(tmp, "wide.jsonl");
    writeFileSync(v, '["1"]\n[36028797018963968]\n');
    const r = await run("testbench", w, "--cocotb", "-o", join(tmp, "tb-wide"), "--vectors", v);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^tsfpga: .*wide\.jsonl:2 argument 1: a JSON number beyond 2\^53 has lost digits/);
  });
  it("compile without --top on a file with several tops lists them", async () => {
    const r = await run("compile", ex, "-o", join(tmp, "several"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error TSF4004: .*prices\.ts has \d+ tops \((\w+, )+\w+\), so --top must name one/);
    expect(r.err).toMatch(/suggestion: e\.g\. --top \w+/);
    expect(r.err).not.toMatch(/none given/);
  });
});
