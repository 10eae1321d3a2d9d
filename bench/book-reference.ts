/**
 * The reference order book's speed (test/reference-book/book.ts), apart from the CLI and from
 * `make bench`: a `pcap synth` feed (1,000,000 messages, 500 symbols, seed 1 by default) is written
 * once to build/bench-book/, its book inputs are read straight from the capture (records.ts, not
 * timed), and the book applies them three times per watchlist (every symbol, the 64 busiest, 1);
 * the median of the three is printed as messages per second. Run it with
 * `npx vite-node bench/book-reference.ts` (or `node dist/bench/book-reference.js` after
 * `make build`); BOOK_BENCH_MESSAGES and BOOK_BENCH_SYMBOLS change the feed.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ReferenceBook, type BookInput } from "../test/reference-book/book.js";
import { bookInputsFromCapture } from "../test/reference-book/records.js";
import { synthToPcap } from "../sim/itch/to-pcap.js";
import { median, printSections, type Row } from "./table.js";
import { loadavg } from "node:os";

const messages = Number(process.env.BOOK_BENCH_MESSAGES ?? 1_000_000);
const symbols = Number(process.env.BOOK_BENCH_SYMBOLS ?? 500);
const dir = join("build", "bench-book");
const pcap = join(dir, `synth-${messages}-${symbols}-1.pcap`);
mkdirSync(dir, { recursive: true });
if (!existsSync(pcap)) {
  synthToPcap({ messages, symbols, seed: 1 }, pcap, {
    session: "0000000001", startSeq: 1n,
    frame: { srcIp: 0x0a010101, dstIp: 0xe9360c6f, srcPort: 26477, dstPort: 26477 },
  });
}
const records: BookInput[] = [...bookInputsFromCapture(pcap)];
if (records.length !== messages) throw new Error(`bench: ${pcap} gave ${records.length} records, not ${messages}`);

// Busiest locates first (the synthetic day gives low locates more traffic; counted, not assumed).
const traffic = new Map<number, number>();
for (const r of records) if (r.type !== 83 && r.type !== 82 && r.type !== 72) traffic.set(r.locate, (traffic.get(r.locate) ?? 0) + 1);
const busiest = [...traffic.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([l]) => l);

const rows: Row[] = [];
for (const [name, watch] of [[`every symbol (${busiest.length})`, busiest], ["64 busiest", busiest.slice(0, 64)], ["1 (busiest)", busiest.slice(0, 1)]] as const) {
  const rates: number[] = [];
  let last: ReferenceBook | undefined;
  for (let run = 0; run < 3; run++) {
    const book = new ReferenceBook(watch);
    const t0 = process.hrtime.bigint();
    for (const r of records) book.apply(r);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(records.length / s);
    last = book;
  }
  const c = last!.counters;
  rows.push({
    name: `reference book, watchlist ${name}`, value: median(rates), unit: "msgs/s",
    note: `median of ${rates.map((x) => Math.round(x).toLocaleString("en-US")).join(", ")}; ${c.updates.toLocaleString("en-US")} updates, ${last!.dump().liveOrders.toLocaleString("en-US")} orders left, ${c.notWatched.toLocaleString("en-US")} not watched`,
  });
}
printSections([{ title: `reference order book on ${pcap} (${messages.toLocaleString("en-US")} messages, ${symbols} symbols; Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)})`, rows }]);
