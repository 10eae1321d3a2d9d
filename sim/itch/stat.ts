// Capture statistics behind `tsfpga pcap stat`: frame count, time span, UDP flows, MoldUDP64
// sessions with sequence ranges, gaps/missing/duplicates (receiver semantics: a packet above the
// next expected sequence is a gap event, messages below it are duplicates and are not counted), and
// ITCH message counts by type. Without a filter, any UDP payload that parses exactly as MoldUDP64 is
// taken as market data; with `filter`, only that destination ip:port is, and bad packets are counted.
import type { Capture } from "../pcap/read.js";
import { parseUdpFrame } from "../pcap/frame.js";
import { formatEndpoint, type Endpoint } from "../pcap/addr.js";
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
  missingMessages: number;
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
  moldPackets: number;
  /** Frames that are not MoldUDP64 market data (non-UDP, other flows, malformed). */
  skippedFrames: number;
  /** UDP packets to the filtered destination that failed MoldUDP64 decoding. */
  malformedPackets: number;
  sessions: SessionStat[];
  /** Unique messages (duplicates excluded). */
  messages: number;
  byType: Record<string, number>;
  /** Messages of a known type whose block length differs from the ITCH 5.0 length. */
  lengthMismatches: number;
  packetList?: PacketSummary[];
}

export interface StatOptions {
  filter?: Endpoint;
  /** Also return one summary line per MoldUDP64 packet. */
  packets?: boolean;
}

export function statCapture(cap: Capture, opts: StatOptions = {}): CaptureStat {
  const st: CaptureStat = {
    file: cap.file, format: cap.info.format, littleEndian: cap.info.littleEndian, tsResolution: cap.info.tsResolution,
    linktype: cap.info.linktype, frames: 0, bytes: 0, firstTsNs: null, lastTsNs: null, udpFlows: {}, nonUdp: {},
    moldPackets: 0, skippedFrames: 0, malformedPackets: 0, sessions: [], messages: 0, byType: {}, lengthMismatches: 0,
    packetList: opts.packets ? [] : undefined,
  };
  const sessions = new Map<string, SessionStat & { next: bigint | null }>();
  const typeCounts = new Float64Array(256);
  for (const f of cap.frames()) {
    st.frames++;
    st.bytes += f.data.length;
    if (st.firstTsNs === null || f.tsNs < st.firstTsNs) st.firstTsNs = f.tsNs;
    if (st.lastTsNs === null || f.tsNs > st.lastTsNs) st.lastTsNs = f.tsNs;
    const u = parseUdpFrame(f.data);
    if (!u.ok) {
      st.nonUdp[u.reason] = (st.nonUdp[u.reason] ?? 0) + 1;
      st.skippedFrames++;
      continue;
    }
    const dst = formatEndpoint({ ip: u.dstIp, port: u.dstPort });
    st.udpFlows[dst] = (st.udpFlows[dst] ?? 0) + 1;
    const wanted = opts.filter ? u.dstIp === opts.filter.ip && u.dstPort === opts.filter.port : true;
    const mold = wanted ? decodeMoldPacket(u.payload) : undefined;
    if (!mold || !mold.ok) {
      if (opts.filter && wanted) st.malformedPackets++;
      st.skippedFrames++;
      continue;
    }
    const p = mold.packet;
    st.moldPackets++;
    st.packetList?.push({ frame: f.index, session: p.session, sequence: p.sequence, count: p.count });
    const key = `${p.session}|${dst}`;
    let s = sessions.get(key);
    if (!s) {
      s = { session: p.session, destination: dst, packets: 0, heartbeats: 0, endOfSession: 0, messages: 0, firstSeq: null, lastSeq: null, gapEvents: 0, missingMessages: 0, duplicateMessages: 0, next: null };
      sessions.set(key, s);
    }
    s.packets++;
    if (p.kind === "heartbeat") s.heartbeats++;
    if (p.kind === "end-of-session") s.endOfSession++;
    if (s.next !== null && p.sequence > s.next) {
      s.gapEvents++;
      s.missingMessages += Number(p.sequence - s.next);
    }
    if (s.next === null) s.next = p.sequence;
    if (p.kind !== "data") {
      if (p.sequence > s.next) s.next = p.sequence;
      continue;
    }
    p.messages.forEach((m, i) => {
      const seq = p.sequence + BigInt(i);
      if (seq < s.next!) {
        s.duplicateMessages++;
        return;
      }
      s.next = seq + 1n;
      if (s.firstSeq === null) s.firstSeq = seq;
      s.lastSeq = seq;
      s.messages++;
      typeCounts[m[0]!]!++;
      const len = itchMessageLength(m[0]!);
      if (len > 0 && len !== m.length) st.lengthMismatches++;
    });
  }
  st.sessions = [...sessions.values()].map(({ next: _next, ...rest }) => rest);
  typeCounts.forEach((n, b) => {
    if (n > 0) st.byType[String.fromCharCode(b)] = n;
  });
  st.messages = st.sessions.reduce((a, s) => a + s.messages, 0);
  return st;
}
