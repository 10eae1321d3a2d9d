// `simulate --vectors` on a file with no vectors (empty, or only blank lines) checked nothing: it
// must say so on one line and exit 1, never print "0 transactions … all match" with exit 0.
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerSimulate } from "../compiler/cli/simulate.js";
import { runInProcess } from "./helpers/cli-in-process.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfpga-empty-vectors-"));

describe("simulate --vectors with no vectors", () => {
  for (const [name, text] of [["empty", ""], ["blank lines", "\n  \n\n"]] as const) {
    it(`${name}: one-line error, exit 1`, async () => {
      const v = join(tmp, `${name.replace(/ /g, "-")}.jsonl`);
      writeFileSync(v, text);
      for (const engine of ["interp", "native"]) {
        const r = await runInProcess([registerSimulate], ["simulate", "examples/basics/prices.ts", "--top", "notional", "--vectors", v, "--engine", engine]);
        expect(r.code).toBe(1);
        expect(r.out).not.toMatch(/all match/);
        expect(r.err).toMatch(/no vectors \(the file is empty\): nothing would be checked\n$/);
        expect(r.err.trim().split("\n")).toHaveLength(1);
      }
    });
  }
});
