/**
 * A self-contained HTML report (no scripts, no external files): the pipeline schedule (stages,
 * estimated delay against the budget, TypeScript lines per stage), op counts as a resource table,
 * a latency histogram as inline SVG, and any summary tables. `tsfpga compile` writes one beside the
 * Verilog; `tsfpga simulate --report` writes one with the run's figures.
 */
import type { ScheduleReport } from "../compiler/schedule/schedule.js";

const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export function table(head: string[], rows: unknown[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

export function scheduleSection(r: ScheduleReport & { kernel?: { inputStages: number; loopStage: number; stateLoopNs: number; configStages?: number } }): string {
  const bar = (ns: number) => `<span class="bar" style="width:${Math.min(100, (100 * ns) / Math.max(r.budgetNs, 1e-9)).toFixed(1)}%"></span>`;
  const stages = r.perStage.map((s) => `<tr><td>${s.stage}</td><td>${s.estimatedDelayNs.toFixed(3)} ns ${bar(s.estimatedDelayNs)}</td><td>${s.ops}</td><td class="lines">${esc(s.sourceLines.join(" "))}</td></tr>`).join("");
  const ops = Object.entries(r.opCounts).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  return `<h2>Pipeline schedule</h2><p>${r.stages} stage(s) at ${r.clockMhz} MHz (period ${r.periodNs} ns, ${r.budgetNs} ns usable per stage): latency ${r.latencyCycles} cycle(s), initiation interval ${r.ii}.</p>${r.kernel ? `<p>Kernel state loop: stage ${r.kernel.loopStage}, ${r.kernel.stateLoopNs.toFixed(3)} ns of ${r.budgetNs} ns; ${r.kernel.inputStages} input stage(s) of beat-only logic ahead of it (added input latency ${r.kernel.inputStages} cycle(s))${r.kernel.configStages ? `; ${r.kernel.configStages} configuration stage(s): logic of cfg alone, registered once` : ""}.</p>` : ""}
<table><thead><tr><th>stage</th><th>estimated logic delay</th><th>ops</th><th>TypeScript lines</th></tr></thead><tbody>${stages}</tbody></table>
<h2>Resources (IR ops)</h2>${table(["op", "count"], ops)}`;
}

/** Histogram of integer values (e.g. latency in cycles) as inline SVG. */
export function histogramSvg(values: number[], unit: string): string {
  if (!values.length) return "<p>(no values)</p>";
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const lo = keys[0], hi = keys[keys.length - 1];
  const n = hi - lo + 1;
  const max = Math.max(...counts.values());
  const W = 640, H = 200, bw = Math.max(2, Math.floor((W - 40) / n));
  const bars = Array.from({ length: n }, (_, i) => {
    const c = counts.get(lo + i) ?? 0;
    const h = Math.round((H - 40) * (c / max));
    return `<rect x="${30 + i * bw}" y="${H - 20 - h}" width="${bw - 1}" height="${h}"><title>${lo + i} ${unit}: ${c}</title></rect>`;
  }).join("");
  return `<svg width="${W}" height="${H}" role="img" aria-label="histogram"><g fill="#4a78c2">${bars}</g>
<text x="30" y="${H - 4}" font-size="11">${lo} ${esc(unit)}</text><text x="${30 + (n - 1) * bw}" y="${H - 4}" font-size="11" text-anchor="end">${hi}</text>
<text x="2" y="14" font-size="11">${max}</text></svg>`;
}

export function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>
body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f2f2f2}
.bar{display:inline-block;height:9px;background:#4a78c2;margin-left:6px;vertical-align:middle;max-width:200px}
.lines{font:12px monospace;max-width:600px}</style></head><body><h1>${esc(title)}</h1>${body}</body></html>
`;
}
