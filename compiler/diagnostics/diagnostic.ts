/**
 * Diagnostics as values and their tsc-style rendering: `path/file.ts:12:7 - error TSF1004: msg`,
 * then the source line with a caret squiggle and the suggestion. Both tsfpga's own diagnostics
 * and TypeScript's type errors (code TS2322 etc.) flow through the same list, sorted by position,
 * so a user sees every problem in one run.
 */
import { CATALOGUE, formatMessage, formatSuggestion, type DiagKey } from "./catalogue.js";

export interface Diagnostic {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  length: number;
  code: string; // "TSF1004" or "TS2322"
  message: string;
  suggestion?: string;
  sourceLine?: string;
}

export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} - ${d.code}: ${d.message}`).join("\n"));
  }
}

export function makeDiagnostic(
  key: DiagKey, args: readonly (string | number | bigint)[],
  at: { file: string; line: number; col: number; length?: number; sourceLine?: string },
): Diagnostic {
  return {
    file: at.file, line: at.line, col: at.col, length: at.length ?? 1,
    code: `TSF${CATALOGUE[key].code}`, message: formatMessage(key, args), suggestion: formatSuggestion(key, args),
    sourceLine: at.sourceLine,
  };
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds
    .filter((d) => {
      const k = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code));
}

export function renderDiagnostic(d: Diagnostic, color = false): string {
  const red = (s: string) => (color ? `\x1b[91m${s}\x1b[0m` : s);
  const cyan = (s: string) => (color ? `\x1b[96m${s}\x1b[0m` : s);
  const grey = (s: string) => (color ? `\x1b[90m${s}\x1b[0m` : s);
  const out = [`${cyan(d.file)}:${d.line}:${d.col} - ${red("error")} ${grey(d.code + ":")} ${d.message}`];
  if (d.sourceLine !== undefined) {
    const num = String(d.line);
    const text = d.sourceLine.replace(/\t/g, " ");
    const len = Math.max(1, Math.min(d.length, text.length - (d.col - 1)));
    out.push("", `${num} ${text}`, `${" ".repeat(num.length)} ${" ".repeat(d.col - 1)}${red("~".repeat(len))}`);
  }
  if (d.suggestion) out.push(`  ${grey("suggestion:")} ${d.suggestion}`);
  return out.join("\n");
}

export function renderDiagnostics(ds: Diagnostic[], color = false): string {
  const body = ds.map((d) => renderDiagnostic(d, color)).join("\n\n");
  const files = new Set(ds.map((d) => d.file)).size;
  return `${body}\n\nFound ${ds.length} error${ds.length === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}.\n`;
}
