/**
 * The order-book part of `make demo`: the pipeline feed → book (examples/book/book.ts, `feedBook`)
 * on the bundled capture in Node, the interpreter and Verilator (every kernel boundary compared), the
 * same capture through the independent reference book (test/reference-book/, configured with the
 * dialect book's capacity) compared update by update, the top of book of the busiest symbols printed
 * from the last update of each, and the HTML report of the run (latency histograms per kernel and
 * end to end, counters, schedules) with a top-of-book section added.
 */
import * as fs from "node:fs";
import { spawnSync } from "node:child_process";
import { ReferenceBook } from "../test/reference-book/book.js";
import { bookInputsFromCapture } from "../test/reference-book/records.js";
import { CAPACITY as BOOK_CAPACITY } from "../test/reference-book/engines.js";
import { table } from "../sim/report-html.js";

export const BOOK = "examples/book/book.ts";

/** `--config` for feedBook watching `watch` (slots beyond the list are zero and unwatched). */
export function bookConfig(watch: number[]): string {
  return JSON.stringify({ book: { watch: [...watch, ...new Array<number>(64 - watch.length).fill(0)], watchCount: watch.length } });
}

type Update = Record<string, unknown> & { locate: number; bidPrice: number[]; bidShares: number[]; bidOrders: number[]; askPrice: number[]; askShares: number[]; askOrders: number[] };

const price = (p: number) => (p / 10000).toFixed(4);

/** The best `n` levels of each side of an update, as rows: level, bid orders/shares/price, ask price/shares/orders. */
function topRows(u: Update, n: number): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const bid = u.bidOrders[i] ? [String(u.bidOrders[i]), String(u.bidShares[i]), price(u.bidPrice[i])] : ["", "", "—"];
    const ask = u.askOrders[i] ? [price(u.askPrice[i]), String(u.askShares[i]), String(u.askOrders[i])] : ["—", "", ""];
    rows.push([String(i), ...bid, ...ask]);
  }
  return rows;
}
const HEAD = ["level", "bid orders", "bid shares", "bid price", "ask price", "ask shares", "ask orders"];

/** Runs the book part; prints to stdout and returns the number of problems. */
export function demoBook(capture: string, clockMhz: number, outDir: string): number {
  const tsfpga = (args: string[]) => spawnSync(process.execPath, ["bin/tsfpga.js", ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  // Watch every symbol of the capture that has order traffic (the bundled capture has 25), busiest first.
  const inputs = [...bookInputsFromCapture(capture)];
  const traffic = new Map<number, number>();
  for (const r of inputs) if ("AFECXDU".includes(String.fromCharCode(r.type))) traffic.set(r.locate, (traffic.get(r.locate) ?? 0) + 1);
  const watch = [...traffic.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([l]) => l).slice(0, 64);
  const sorted = [...watch].sort((a, b) => a - b);
  process.stdout.write(`\n== ${BOOK}: feed → book (pipeline feedBook) on ${capture}, watching its ${watch.length} symbols (locates ${sorted[0]}–${sorted[sorted.length - 1]})\n`);
  const records = `${outDir}/book-updates.jsonl`, report = `${outDir}/feed-book.html`;
  const run = (mhz: number) => tsfpga(["simulate", BOOK, "--top", "feedBook", "--pcap", capture, "--engine", "all", "--clock-mhz", String(mhz), "--config", bookConfig(watch), "--records", records, "--report", report]);
  let sim = run(clockMhz);
  const fastest = /fastest clock[a-z ]* is (\d+)(?:\.\d+)? MHz/.exec(sim.stderr);
  if (sim.status !== 0 && fastest) {
    process.stdout.write(`at ${clockMhz} MHz: ${sim.stderr.trim().split("\n")[0]}\nso at ${fastest[1]} MHz, the fastest clock the delay model allows:\n`);
    sim = run(Number(fastest[1]));
  }
  process.stdout.write(sim.stdout);
  if (sim.status !== 0) { process.stderr.write(sim.stderr); return 1; }
  const updates = fs.readFileSync(records, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Update);
  // The reference book on the same messages (read straight from the capture), record by record.
  const ref = new ReferenceBook(watch, BOOK_CAPACITY);
  const expected: string[] = [];
  for (const r of inputs) {
    const u = ref.apply(r);
    if (u) expected.push(JSON.stringify(u, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
  }
  const keyed = (u: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.keys(u).sort().map((k) => [k, u[k]])));
  const exp = expected.map((j) => keyed(JSON.parse(j)));
  let differ = exp.length === updates.length ? 0 : 1;
  let first = -1;
  for (let i = 0; i < Math.min(exp.length, updates.length); i++) if (exp[i] !== keyed(updates[i])) { differ++; if (first < 0) first = i; }
  process.stdout.write(`reference book (test/reference-book, ${JSON.stringify(BOOK_CAPACITY)}): ${expected.length} updates; ${differ === 0 ? "equal to the dialect book's, record for record" : `${differ} difference(s)${first >= 0 ? `, first at update ${first}` : ""} (dialect book ${updates.length} updates)`}\n`);
  // The top of book at the end of the capture: the last update of each symbol carries both sides.
  const last = new Map<number, Update>();
  const count = new Map<number, number>();
  for (const u of updates) { last.set(u.locate, u); count.set(u.locate, (count.get(u.locate) ?? 0) + 1); }
  const shown = [...count.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 3).map(([l]) => l);
  const sections: string[] = [];
  for (const l of shown) {
    const u = last.get(l)!;
    const rows = topRows(u, 4);
    process.stdout.write(`\nlocate ${l}: top of book after sequence ${u.sequence} (${count.get(l)} updates; best 4 of 16 levels a side)\n`);
    const w = HEAD.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
    for (const r of [HEAD, ...rows]) process.stdout.write("  " + r.map((x, c) => (c === 0 ? x.padEnd(w[c]) : x.padStart(w[c]))).join("  ") + "\n");
    sections.push(`<h3>locate ${l}: after sequence ${u.sequence} (${count.get(l)} updates)</h3>${table(HEAD, topRows(u, 8))}`);
  }
  // The report of the run, with the top of book added before its end.
  const html = fs.readFileSync(report, "utf8");
  const tob = `<h2>Top of book at the end of the capture (best 8 levels a side, from each symbol's last update; prices in dollars)</h2><p>Reference book: ${expected.length} updates, ${differ === 0 ? "equal record for record" : `${differ} difference(s)`}.</p>${sections.join("\n")}`;
  fs.writeFileSync(report, html.replace("</body>", `${tob}</body>`));
  process.stdout.write(`\nreport: ${report}\n`);
  return differ ? 1 : 0;
}
