/** Benchmark result rows, the terminal table and bench/results.json writer shared by all sections. */
import * as fs from "node:fs";

export interface Row { name: string; value: number | string; unit: string; note?: string }
export interface Section { title: string; rows: Row[] }

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function fmt(v: number | string): string {
  if (typeof v === "string") return v;
  if (Number.isInteger(v) || v >= 1000) return Math.round(v).toLocaleString("en-US");
  return v >= 10 ? v.toFixed(1) : v.toFixed(3);
}

export function printSections(sections: Section[]): void {
  for (const s of sections) {
    process.stdout.write(`\n== ${s.title}\n`);
    const w = Math.max(...s.rows.map((r) => r.name.length));
    const vw = Math.max(...s.rows.map((r) => fmt(r.value).length));
    for (const r of s.rows) process.stdout.write(`${r.name.padEnd(w)}  ${fmt(r.value).padStart(vw)} ${r.unit}${r.note ? `  (${r.note})` : ""}\n`);
  }
}

export function writeResults(sections: Section[], file = "bench/results.json"): void {
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, sections }, null, 2) + "\n");
}
