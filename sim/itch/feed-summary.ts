// Host-side helpers that `simulate --pcap` uses to report on the ITCH feed kernel
// (examples/itch/feed.ts): the `--filter` text as the kernel's run-time config (0 = any), the
// kernel's per-type counters as one `byType` map in the spec's letter case, the skipped frames by
// reason in words, and the ITCH 5.0 fit check of the capture (the same warning as `pcap stat`).
import { formatFilter, parseFilter, type DstFilter } from "../pcap/addr.js";
import { readCaptureFile } from "../pcap/read.js";
import { statCapture } from "./stat.js";

/** The feed kernel's FeedConfig for a filter: an address or port of 0 accepts any. */
export function feedConfigFor(filter: DstFilter): { dstIp: number; dstPort: number } {
  return { dstIp: filter.ip ?? 0, dstPort: filter.port ?? 0 };
}

/** A --filter value (see parseFilter for the syntax) as the feed kernel's { ip, port }, 0 = any. */
export function filterEndpoint(text: string): { ip: number; port: number } {
  const c = feedConfigFor(parseFilter(text));
  return { ip: c.dstIp, port: c.dstPort };
}

/**
 * Delivered messages per ITCH 5.0 type letter from the kernel's counters: `byType` (a Vec indexed by
 * letter − 65 for the upper-case types) and `opHalt`, the one lower-case type 'h'. Zero counts are
 * left out. Undefined when the stats have no `byType`.
 */
export function byTypeOfStats(stats: Record<string, unknown>): Record<string, number> | undefined {
  const bt = stats.byType;
  if (!Array.isArray(bt)) return undefined;
  const out: Record<string, number> = {};
  bt.forEach((n, i) => {
    const v = Number(n);
    if (v) out[String.fromCharCode((bt.length > 26 ? 0 : 65) + i)] = v;
  });
  const h = Number(stats.opHalt ?? 0);
  if (h) out.h = h;
  return out;
}

const SKIP_WORDS: Record<string, string> = {
  notIpv4: "not IPv4",
  badIp: "bad IPv4 or UDP header",
  fragment: "IPv4 fragment",
  notUdp: "not UDP",
  notOurs: "destination not the filter",
  truncated: "truncated frame",
};

/**
 * "notOurs 5 (destination not the filter 233.54.12.111:26477; --filter any accepts every
 * destination)": the frames each reason excluded, with the way out when the filter excluded frames.
 */
export function skipReasonsText(byReason: Record<string, unknown>, filterText: string): string {
  const parts = Object.entries(byReason).map(([k, v]) => [k, Number(v)] as const).filter(([, v]) => v > 0).map(([k, v]) => {
    const words = SKIP_WORDS[k] ?? k;
    if (k !== "notOurs") return `${k} ${v} (${words})`;
    return `${k} ${v} (${words} ${formatFilter(parseFilter(filterText))}; --filter any accepts every destination)`;
  });
  return parts.join(", ");
}

/** The ITCH 5.0 fit warnings for the capture's MoldUDP64 packets to the filter's destinations. */
export function itchFitWarnings(capture: string, filterText: string): string[] {
  return statCapture(readCaptureFile(capture, { stream: true }), { filter: parseFilter(filterText) }).warnings;
}
