// `pcap renumber`: rewrites the MoldUDP64 sequence numbers of a capture so that every packet's
// messages are new — for replaying captures whose packets repeat a sequence number (public per-type
// samples send sequence 0 in every packet, which a receiver, the feed kernel included, counts as
// duplicates). Per session and destination, the first packet keeps its sequence number, each data
// packet then starts where the previous one ended, and heartbeats / end-of-session packets carry the
// next sequence number. Frames are copied otherwise unchanged, with their timestamps; a non-zero
// UDP checksum of a rewritten packet is set to 0 (no checksum, legal over IPv4). The output is
// written under a temporary name in its folder and renamed into place only when complete.
import { renameSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { readCaptureFile } from "../pcap/read.js";
import { parseUdpFrame } from "../pcap/frame.js";
import { createPcapFile } from "../pcap/write.js";
import { filterMatches, type DstFilter } from "../pcap/addr.js";
import { decodeMoldPacket } from "./moldudp64.js";

export interface RenumberResult {
  frames: number;
  /** MoldUDP64 packets whose sequence number was rewritten (changed or not). */
  packets: number;
  /** Packets whose sequence number changed. */
  changed: number;
  /** Messages in the rewritten data packets. */
  messages: number;
}

export function renumberCapture(input: string, output: string, filter: DstFilter = {}): RenumberResult {
  const cap = readCaptureFile(input);
  const tmp = join(dirname(output), `.${basename(output)}.tmp-${process.pid}`);
  const out = createPcapFile(tmp, { nanosecond: cap.info.tsResolution === "ns" });
  const next = new Map<string, bigint>();
  const r: RenumberResult = { frames: 0, packets: 0, changed: 0, messages: 0 };
  try {
    for (const f of cap.frames()) {
      r.frames++;
      const data = f.data.slice();
      const u = parseUdpFrame(data);
      const mold = u.ok && filterMatches(filter, u.dstIp, u.dstPort) ? decodeMoldPacket(u.payload) : undefined;
      if (u.ok && mold?.ok) {
        const key = `${mold.packet.session}|${u.dstIp}:${u.dstPort}`;
        const seq = next.get(key) ?? mold.packet.sequence;
        const p = u.payload.byteOffset - data.byteOffset;
        new DataView(data.buffer, data.byteOffset).setBigUint64(p + 10, seq, false);
        if (seq !== mold.packet.sequence) {
          r.changed++;
          if (u.udpChecksum !== 0) data[p - 2] = data[p - 1] = 0;
        }
        const count = mold.packet.kind === "data" ? mold.packet.count : 0;
        next.set(key, (seq + BigInt(count)) & 0xffff_ffff_ffff_ffffn);
        r.packets++;
        r.messages += count;
      }
      out.writer.writeFrame(f.tsNs, data, f.origLen);
    }
    out.close();
    renameSync(tmp, output);
  } catch (e) {
    try { out.close(); } catch { /* already closed */ }
    try { unlinkSync(tmp); } catch { /* the original error matters more */ }
    throw e;
  }
  return r;
}
