// Address helpers for the frame builder/parser and the CLI: dotted IPv4 ↔ u32, "ip:port" endpoint
// strings, destination filters ("any", "ip:port", "*:port", "ip:*"), MAC strings, and the
// IPv4-multicast → Ethernet MAC mapping (01:00:5e + low 23 bits).
import { InputError } from "./error.js";

export interface Endpoint {
  ip: number;
  port: number;
}

export function parseIpv4(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new InputError(`bad IPv4 address "${text}" (expected a.b.c.d)`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(ip: number): string {
  return `${(ip >>> 24) & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** Parses "a.b.c.d:port". */
export function parseEndpoint(text: string): Endpoint {
  const m = /^([^:]+):(\d{1,5})$/.exec(text);
  if (!m || Number(m[2]) > 65535) throw new InputError(`bad endpoint "${text}" (expected ip:port, e.g. 233.54.12.111:26477)`);
  return { ip: parseIpv4(m[1]!), port: Number(m[2]) };
}

export function formatEndpoint(e: Endpoint): string {
  return `${formatIpv4(e.ip)}:${e.port}`;
}

export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) throw new InputError(`bad MAC address "${text}"`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function formatMac(mac: Uint8Array): string {
  return [...mac.subarray(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** The Ethernet MAC a host uses for an IPv4 destination: multicast mapping, else a fixed unicast MAC. */
export function macForIpv4(ip: number): Uint8Array {
  if (ip >>> 28 === 0xe) return Uint8Array.of(0x01, 0x00, 0x5e, (ip >>> 16) & 0x7f, (ip >>> 8) & 255, ip & 255);
  return Uint8Array.of(0x02, 0x00, (ip >>> 24) & 255, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255);
}

/**
 * A destination filter, the same for `pcap stat --filter` and `simulate --pcap --filter`: an
 * undefined field accepts any value. It maps onto the feed kernel's run-time config, where 0 means
 * any (`{ dstIp: ip ?? 0, dstPort: port ?? 0 }`), so address 0.0.0.0 and port 0 are wildcards here too.
 */
export interface DstFilter {
  ip?: number;
  port?: number;
}

const FILTER_SYNTAX = "expected any, ip:port, *:port or ip:* (e.g. 233.54.12.111:26477; 0.0.0.0 and port 0 also mean any)";

/** Parses a --filter value: "any", "ip:port", "*:port", "ip:*" or "*:*". */
export function parseFilter(text: string): DstFilter {
  const t = text.trim();
  if (t === "any" || t === "*") return {};
  const m = /^([^:]+):([^:]+)$/.exec(t);
  if (!m) throw new InputError(`bad filter "${text}" (${FILTER_SYNTAX})`);
  const f: DstFilter = {};
  if (m[1] !== "*") {
    try { f.ip = parseIpv4(m[1]!); } catch { throw new InputError(`bad filter "${text}": bad IPv4 address "${m[1]}" (${FILTER_SYNTAX})`); }
    if (f.ip === 0) delete f.ip;
  }
  if (m[2] !== "*") {
    if (!/^\d{1,5}$/.test(m[2]!) || Number(m[2]) > 65535) throw new InputError(`bad filter "${text}": bad UDP port "${m[2]}" (${FILTER_SYNTAX})`);
    if (Number(m[2]) !== 0) f.port = Number(m[2]);
  }
  return f;
}

export function formatFilter(f: DstFilter): string {
  if (f.ip === undefined && f.port === undefined) return "any destination";
  return `${f.ip === undefined ? "*" : formatIpv4(f.ip)}:${f.port === undefined ? "*" : f.port}`;
}

export function filterMatches(f: DstFilter, ip: number, port: number): boolean {
  return (f.ip === undefined || f.ip === ip) && (f.port === undefined || f.port === port);
}
