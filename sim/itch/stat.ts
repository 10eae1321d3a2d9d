// Capture statistics behind `tsfpga pcap stat`: frame count, time span, UDP flows, MoldUDP64
// sessions with sequence ranges, gaps/missing/duplicates (receiver semantics: a packet above the
// next expected sequence is a gap event, messages below it are duplicates and are not counted), and
// ITCH message counts by type. Without a filter, any UDP payload that parses exactly as MoldUDP64 is
// taken as market data; with `filter` (which may accept any destination), every UDP payload to a
// matching destination is, and those that do not parse are counted as malformed. Every skipped frame
// is counted by reason, and messages that do not fit ITCH 5.0 (unknown type, or a length other than
// the spec's) raise a warning: a MoldUDP64 feed may carry another protocol.
import type { Capture } from "../pcap/read.js";
import { parseUdpFrame } from "../pcap/frame.js";
import { filterMatches, formatEndpoint, formatFilter, type DstFilter } from "../pcap/addr.js";
import { decodeMoldPacket } from "./moldudp64.js";
import { itchMessageLength } from "./spec.js";

export interface SessionStat {
  session: string;
  destination: string;
  packets: number;
  heartbeats: number;
  endOfSession: number;
  messages: number;
  firstSeq: bigint | null;
  lastSeq: bigint | null;
  gapEvents: number;
  /** Messages skipped by gaps: a sequence jump can exceed 2^53, so a bigint (a string in JSON). */
  missingMessages: bigint;
  duplicateMessages: number;
}

export interface PacketSummary {
  frame: number;
  session: string;
  sequence: bigint;
  count: number;
}

export interface CaptureStat {
  file: string;
  format: string;
  littleEndian: boolean;
  tsResolution: string;
  linktype: number;
  frames: number;
  bytes: number;
  firstTsNs: bigint | null;
  lastTsNs: bigint | null;
  /** Frames by destination ip:port, UDP only. */
  udpFlows: Record<string, number>;
  /** Frames that are not IPv4/UDP, by reason code. */
  nonUdp: Record<string, number>;
  /** The destination filter ("ip:port", "*:port", "ip:*", "any destination"), or null: any UDP
   *  payload that parses as MoldUDP64. */
  filter: string | null;
  moldPackets: number;
  /** Frames that are not MoldUDP64 market data (non-UDP, other flows, malformed). */
  skippedFrames: number;
  /** skippedFrames by reason: the nonUdp reasons, "other-destination" (filter), "not-moldudp64"
   *  (no filter: the UDP payload does not parse), "malformed" (filter: it does not parse). */
  skippedByReason: Record<string, number>;
  /** UDP packets to the filtered destination that failed MoldUDP64 decoding. */
  malformedPackets: number;
  /** Why UDP payloads failed MoldUDP64 decoding (both modes), by decoder reason code. */
  moldRejects: Record<string, number>;
  sessions: SessionStat[];
  /** Unique messages (duplicates excluded). */
  messages: number;
  byType: Record<string, number>;
  /** Messages of a known type whose block length differs from the ITCH 5.0 length. */
  lengthMismatches: number;
  /** Messages whose type byte is not an ITCH 5.0 type. */
  unknownTypes: number;
  /** Problems worth a user's attention (e.g. messages that do not fit ITCH 5.0). */
  warnings: string[];
  packetList?: PacketSummary[];
}

export interface StatOptions {
  filter?: DstFilter;
  /** Also return one summary line per MoldUDP64 packet. */
  packets?: boolean;
}

export function statCapture(cap: Capture, opts: StatOptions = {}): CaptureStat {
  const st: CaptureStat = {
    file: cap.file, format: cap.info.format, littleEndian: cap.info.littleEndian, tsResolution: cap.info.tsResolution,
    linktype: cap.info.linktype, frames: 0, bytes: 0, firstTsNs: null, lastTsNs: null, udpFlows: {}, nonUdp: {},
    filter: opts.filter ? formatFilter(opts.filter) : null, moldPackets: 0, skippedFrames: 0, skippedByReason: {}, malformedPackets: 0,
    moldRejects: {}, sessions: [], messages: 0, byType: {}, lengthMismatches: 0, unknownTypes: 0, warnings: [],
    packetList: opts.packets ? [] : undefined,
  };
  type SessionState = SessionStat & { next: bigint | null; lastEnd: bigint | null };
  const sessions = new Map<string, SessionState>();
  let lastSession: SessionState | undefined;
  let lastSessionName = "";
  let lastFlowKey = -1;
  const typeCounts = new Float64Array(256);
  const flows = new Map<number, number>();
  const skip = (reason: string): void => {
    st.skippedFrames++;
    st.skippedByReason[reason] = (st.skippedByReason[reason] ?? 0) + 1;
  };
  for (const f of cap.frames()) {
    st.frames++;
    st.bytes += f.data.length;
    if (st.firstTsNs === null || f.tsNs < st.firstTsNs) st.firstTsNs = f.tsNs;
    if (st.lastTsNs === null || f.tsNs > st.lastTsNs) st.lastTsNs = f.tsNs;
    const u = parseUdpFrame(f.data);
    if (!u.ok) {
      st.nonUdp[u.reason] = (st.nonUdp[u.reason] ?? 0) + 1;
      skip(u.reason);
      continue;
    }
    const flowKey = u.dstIp * 65536 + u.dstPort;
    flows.set(flowKey, (flows.get(flowKey) ?? 0) + 1);
    if (opts.filter && !filterMatches(opts.filter, u.dstIp, u.dstPort)) {
      skip("other-destination");
      continue;
    }
    const mold = decodeMoldPacket(u.payload);
    if (!mold.ok) {
      st.moldRejects[mold.reason] = (st.moldRejects[mold.reason] ?? 0) + 1;
      if (opts.filter) st.malformedPackets++;
      skip(opts.filter ? "malformed" : "not-moldudp64");
      continue;
    }
    const p = mold.packet;
    st.moldPackets++;
    st.packetList?.push({ frame: f.index, session: p.session, sequence: p.sequence, count: p.count });
    let s = lastSession;
    if (!s || p.session !== lastSessionName || flowKey !== lastFlowKey) {
      const key = `${p.session}|${flowKey}`;
      s = sessions.get(key);
      if (!s) {
        s = {
          session: p.session, destination: formatEndpoint({ ip: u.dstIp, port: u.dstPort }), packets: 0, heartbeats: 0, endOfSession: 0,
          messages: 0, firstSeq: null, lastSeq: null, gapEvents: 0, missingMessages: 0n, duplicateMessages: 0, next: null, lastEnd: null,
        };
        sessions.set(key, s);
      }
      lastSession = s;
      lastSessionName = p.session;
      lastFlowKey = flowKey;
    }
    s.packets++;
    const seq = p.sequence;
    let next = s.next ?? seq;
    if (seq > next) {
      s.gapEvents++;
      s.missingMessages += seq - next;
      next = seq;
    }
    if (p.kind !== "data") {
      if (p.kind === "heartbeat") s.heartbeats++;
      else s.endOfSession++;
      s.next = next;
      continue;
    }
    // Messages numbered below the next expected sequence are duplicates (only per-packet bigint work).
    let dups = 0;
    if (seq < next) {
      const behind = next - seq;
      dups = behind >= BigInt(p.count) ? p.count : Number(behind);
      s.duplicateMessages += dups;
      if (dups === p.count) {
        s.next = next;
        continue;
      }
    }
    if (s.firstSeq === null) s.firstSeq = dups === 0 ? seq : seq + BigInt(dups);
    s.next = seq + BigInt(p.count);
    s.lastEnd = s.next;
    s.messages += p.count - dups;
    for (let i = dups; i < p.count; i++) {
      const m = p.messages[i]!;
      typeCounts[m[0]!]!++;
      const len = itchMessageLength(m[0]!);
      if (len < 0) st.unknownTypes++;
      else if (len !== m.length) st.lengthMismatches++;
    }
  }
  for (const [k, v] of flows) st.udpFlows[formatEndpoint({ ip: Math.floor(k / 65536), port: k % 65536 })] = v;
  st.sessions = [...sessions.values()].map(({ next: _next, lastEnd, ...rest }) => ({ ...rest, lastSeq: lastEnd === null ? null : lastEnd - 1n }));
  typeCounts.forEach((n, b) => {
    if (n > 0) st.byType[String.fromCharCode(b)] = n;
  });
  st.messages = st.sessions.reduce((a, s) => a + s.messages, 0);
  const fit = itchFitWarning(st.messages, st.unknownTypes, st.lengthMismatches);
  if (fit) st.warnings.push(fit);
  return st;
}

/**
 * The warning for messages that do not fit ITCH 5.0 (a type it does not define, or a length other
 * than the spec's for the type), or undefined when all fit. Shared by `pcap stat` and `simulate`.
 */
export function itchFitWarning(messages: number, unknownTypes: number, lengthMismatches: number): string | undefined {
  const bad = unknownTypes + lengthMismatches;
  if (bad === 0) return undefined;
  const pct = messages > 0 ? ` (${((100 * bad) / messages).toFixed(bad === messages ? 0 : 1)}%)` : "";
  return `${bad.toLocaleString("en-US")} of ${messages.toLocaleString("en-US")} messages${pct} do not fit ITCH 5.0 ` +
    `(${unknownTypes.toLocaleString("en-US")} of a type ITCH 5.0 does not define, ${lengthMismatches.toLocaleString("en-US")} with a length other than the spec's for their type): ` +
    `this MoldUDP64 feed may carry another protocol, and its messages decoded as ITCH 5.0 are meaningless`;
}
