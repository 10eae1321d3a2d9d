// Fills the Verilator C++ harness template (harness.cpp.tmpl) from a module signature.
// Only scalar values are substituted (port names, widths, feature switches and an
// X-macro list of configuration ports); all logic lives in the template and in
// tb_util.h. Also locates the template directory and the project's hdl/ library both
// from the source tree and from a compiled dist/ tree.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import { findPort, type Signature } from "../signature.js";

const here = dirname(fileURLToPath(import.meta.url));

/** Finds a project-relative path from either sim/harness/ or dist/sim/harness/. */
function projectFile(rel: string, probe: string): string {
  for (const up of ["../..", "../../.."]) {
    const p = resolve(here, up, rel);
    if (existsSync(join(p, probe))) return p;
  }
  throw new Error(`tsfpga: cannot locate ${rel}/${probe} relative to ${here}`);
}

export const harnessDir = (): string => projectFile("sim/harness", "harness.cpp.tmpl");
export const hdlLibraryDir = (): string => projectFile("hdl", "skid_buffer.v");
export const projectRoot = (): string => resolve(harnessDir(), "../..");

/** Files copied verbatim next to the rendered harness. */
export const HARNESS_SUPPORT_FILES = ["tb_util.h"];

export function harnessValues(sig: Signature, trace: boolean): Record<string, string> {
  const width = (name: string) => findPort(sig, name)?.width ?? 0;
  const cfg = (sig.config ?? []).map((c) => `X(${c.name}, ${c.width})`).join(" ");
  return {
    CLOCK: sig.clock,
    RESET: sig.reset.name,
    RESET_ACTIVE: sig.reset.activeHigh ? "1" : "0",
    IN_WIDTH: String(sig.input.tdataWidth),
    OUT_WIDTH: String(sig.output.tdataWidth),
    S_TKEEP_WIDTH: String(width("s_axis_tkeep")),
    S_TLAST: width("s_axis_tlast") ? "1" : "0",
    M_TKEEP_WIDTH: String(width("m_axis_tkeep")),
    M_TLAST: width("m_axis_tlast") ? "1" : "0",
    TRACE: trace ? "1" : "0",
    CONFIG_PORTS: cfg,
    STATUS_PORTS: (sig.status ?? []).map((c) => `X(${c.name}, ${c.width})`).join(" "),
  };
}

/** Substitutes every @@NAME@@ placeholder; throws on unknown or leftover ones. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  const out = template.replace(/@@([A-Z0-9_]+)@@/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`harness template: no value for placeholder @@${name}@@`);
    return v;
  });
  return out;
}
