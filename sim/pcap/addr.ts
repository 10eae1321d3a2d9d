// Address helpers for the frame builder/parser and the CLI: dotted IPv4 ↔ u32, "ip:port" endpoint
// strings, MAC strings, and the IPv4-multicast → Ethernet MAC mapping (01:00:5e + low 23 bits).
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
