/**
 * Shared CLI plumbing: printing diagnostics tsc-style (colour on a TTY), turning user errors into
 * a one-line message and exit status 1 with no stack trace, and the engine choices.
 */
import { renderDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";

/** An error whose message is meant for the user as it is (bad input, bad option). */
export class UserError extends Error {}

export function printDiagnostics(ds: Diagnostic[]): void {
  process.stderr.write(renderDiagnostics(ds, !!process.stderr.isTTY));
}

/** Run a command body; user-facing errors print one line and exit 1, internal ones say so. */
export async function guarded(body: () => Promise<number | void> | number | void): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (e) {
    const err = e as Error;
    const userish = err instanceof UserError || ["ArgumentError", "FrontendInputError", "PcapError", "InputError", "ItchFileError", "UnknownPassError", "IrParseError", "SignatureError", "HarnessError", "VerilatorError", "GateLevelError", "PythonEnvError"].includes(err?.constructor?.name);
    if (userish) process.stderr.write(`tsfpga: ${err.message}\n`);
    else process.stderr.write(`tsfpga: internal error: ${err?.message ?? String(e)}\n${process.env.TSFPGA_DEBUG ? err?.stack ?? "" : "(set TSFPGA_DEBUG=1 for a stack trace)"}\n`);
    process.exitCode = userish ? 1 : 2;
  }
}
