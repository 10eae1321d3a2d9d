/**
 * The dependency rule of docs/architecture.md, checked on the sources: the phases after the
 * front end (ir, passes, schedule, verilog, interp) import nothing from compiler/frontend/ or
 * compiler/cli/; they see IR only.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const LATER = ["ir", "passes", "schedule", "verilog", "interp"];

describe("dependency rule", () => {
  it.each(LATER)("compiler/%s imports nothing from the front end or the CLI", (dir) => {
    const root = join(__dirname, "..", "compiler", dir);
    const bad: string[] = [];
    for (const f of readdirSync(root).filter((x) => x.endsWith(".ts"))) {
      const text = readFileSync(join(root, f), "utf8");
      for (const m of text.matchAll(/from\s+"(\.\.\/(?:frontend|cli)\/[^"]+)"/g)) bad.push(`${dir}/${f} → ${m[1]}`);
    }
    expect(bad).toEqual([]);
  });
});
