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
  type SessionState = SessionStat & { next: bigint | null; lastEnd: bigint | null };
  const sessions = new Map<string, SessionState>();
  let lastSession: SessionState | undefined;
  let lastSessionName = "";
  let lastFlowKey = -1;
  const typeCounts = new Float64Array(256);
  const flows = new Map<number, number>();
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
    const flowKey = u.dstIp * 65536 + u.dstPort;
    flows.set(flowKey, (flows.get(flowKey) ?? 0) + 1);
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
    let s = lastSession;
    if (!s || p.session !== lastSessionName || flowKey !== lastFlowKey) {
      const key = `${p.session}|${flowKey}`;
      s = sessions.get(key);
      if (!s) {
        s = {
          session: p.session, destination: formatEndpoint({ ip: u.dstIp, port: u.dstPort }), packets: 0, heartbeats: 0, endOfSession: 0,
          messages: 0, firstSeq: null, lastSeq: null, gapEvents: 0, missingMessages: 0, duplicateMessages: 0, next: null, lastEnd: null,
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
      s.missingMessages += Number(seq - next);
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
      if (len > 0 && len !== m.length) st.lengthMismatches++;
    }
  }
  for (const [k, v] of flows) st.udpFlows[formatEndpoint({ ip: Math.floor(k / 65536), port: k % 65536 })] = v;
  st.sessions = [...sessions.values()].map(({ next: _next, lastEnd, ...rest }) => ({ ...rest, lastSeq: lastEnd === null ? null : lastEnd - 1n }));
  typeCounts.forEach((n, b) => {
    if (n > 0) st.byType[String.fromCharCode(b)] = n;
  });
  st.messages = st.sessions.reduce((a, s) => a + s.messages, 0);
  return st;
}
