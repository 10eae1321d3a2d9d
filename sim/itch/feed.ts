// MoldUDP64 feed writer: packs ITCH messages into MoldUDP64 packets (by MTU and/or a fixed message
// count), wraps each in Ethernet/IPv4/UDP and streams it into a PcapWriter. It can inject packet
// drops and duplicates from a seeded PRNG (a duplicate is re-sent right after its original) and
// records what it injected, so a decoder's gap/duplicate counts can be checked exactly. A frame's
// timestamp is `tsBaseNs` + the ITCH timestamp of the last message in the packet.
import type { PcapWriter } from "../pcap/write.js";
import { UdpFrameBuilder, type UdpFrameSpec } from "../pcap/frame.js";
import { MOLD_HEADER_LENGTH, moldSessionBytes, writeMoldHeader } from "./moldudp64.js";
import { Prng } from "./prng.js";
import { InputError } from "../pcap/error.js";

export interface FeedOptions {
  session: string;
  startSeq: bigint;
  frame: UdpFrameSpec;
  /** IPv4 MTU bound on each packet (default 1500 unless msgsPerPacket is given alone). */
  mtu?: number;
  /** At most this many messages per packet. */
  msgsPerPacket?: number;
  /** Probability that a packet is dropped (not written). */
  drop?: number;
  /** Probability that a written packet is written twice. */
  dup?: number;
  seed?: number;
  tsBaseNs?: bigint;
  /** Keep a per-packet log (sequence, count, dropped, duplicated) in the result. */
  log?: boolean;
  /** Append an end-of-session packet (count 0xFFFF) after the last message. */
  endOfSession?: boolean;
}

export interface PacketLogEntry {
  sequence: bigint;
  count: number;
  dropped: boolean;
  duplicated: boolean;
}

export interface FeedResult {
  messages: number;
  packets: number;
  framesWritten: number;
  droppedPackets: number;
  droppedMessages: number;
  duplicatedPackets: number;
  duplicatedMessages: number;
  firstSeq: bigint;
  nextSeq: bigint;
  log?: PacketLogEntry[];
}

const MAX_IP_PACKET = 65535;

export class MoldFeed {
  private readonly builder: UdpFrameBuilder;
  private readonly session: Uint8Array;
  private readonly maxPayload: number;
  private readonly maxCount: number;
  private readonly rng: Prng;
  private readonly pkt: Uint8Array;
  private pos = MOLD_HEADER_LENGTH;
  private count = 0;
  private lastTs = 0;
  private seq: bigint;
  private readonly result: FeedResult;

  constructor(
    private readonly writer: PcapWriter,
    private readonly opts: FeedOptions,
  ) {
    this.builder = new UdpFrameBuilder(opts.frame);
    this.session = moldSessionBytes(opts.session);
    const mtu = opts.mtu ?? (opts.msgsPerPacket ? MAX_IP_PACKET : 1500);
    this.maxPayload = Math.min(this.builder.maxPayload(mtu), this.builder.maxPayload(MAX_IP_PACKET));
    if (this.maxPayload < MOLD_HEADER_LENGTH + 2 + 50) throw new InputError(`MTU ${mtu} is too small for one ITCH message in a MoldUDP64 packet`);
    this.maxCount = Math.min(opts.msgsPerPacket ?? 65534, 65534);
    if (!(this.maxCount >= 1)) throw new InputError(`messages per packet must be at least 1`);
    this.rng = new Prng(opts.seed ?? 1);
    this.pkt = new Uint8Array(this.maxPayload);
    this.seq = opts.startSeq;
    this.result = {
      messages: 0, packets: 0, framesWritten: 0, droppedPackets: 0, droppedMessages: 0,
      duplicatedPackets: 0, duplicatedMessages: 0, firstSeq: opts.startSeq, nextSeq: opts.startSeq,
      log: opts.log ? [] : undefined,
    };
  }

  /** Adds one message (the first `len` bytes of `msg`). */
  push(msg: Uint8Array, len = msg.length): void {
    if (this.count > 0 && (this.pos + 2 + len > this.maxPayload || this.count >= this.maxCount)) this.flush();
    if (MOLD_HEADER_LENGTH + 2 + len > this.maxPayload) throw new InputError(`a ${len}-byte message does not fit the MTU`);
    const p = this.pkt;
    p[this.pos] = len >> 8;
    p[this.pos + 1] = len & 255;
    p.set(len === msg.length ? msg : msg.subarray(0, len), this.pos + 2);
    if (len >= 11) this.lastTs = (p[this.pos + 7]! * 2 ** 40) + (p[this.pos + 8]! * 2 ** 32) + ((p[this.pos + 9]! << 24) >>> 0) + (p[this.pos + 10]! << 16) + (p[this.pos + 11]! << 8) + p[this.pos + 12]!;
    this.pos += 2 + len;
    this.count++;
    this.result.messages++;
  }

  /** Sends the packet being filled, if any. */
  flush(): void {
    if (this.count === 0) return;
    writeMoldHeader(this.pkt, 0, this.session, this.seq, this.count);
    this.emit(this.pkt.subarray(0, this.pos), this.count);
    this.seq += BigInt(this.count);
    this.pos = MOLD_HEADER_LENGTH;
    this.count = 0;
  }

  private emit(payload: Uint8Array, count: number): void {
    const r = this.result;
    r.packets++;
    const dropped = this.rng.chance(this.opts.drop ?? 0);
    const duplicated = !dropped && this.rng.chance(this.opts.dup ?? 0);
    r.log?.push({ sequence: this.seq, count, dropped, duplicated });
    if (dropped) {
      r.droppedPackets++;
      r.droppedMessages += count;
      return;
    }
    const ts = (this.opts.tsBaseNs ?? 0n) + BigInt(this.lastTs);
    const len = this.builder.frameLength(payload.length);
    const fill = (b: Uint8Array, o: number): void => void this.builder.writeInto(b, o, payload);
    this.writer.writeFrameWith(ts, len, fill);
    r.framesWritten++;
    if (duplicated) {
      this.writer.writeFrameWith(ts, len, fill);
      r.framesWritten++;
      r.duplicatedPackets++;
      r.duplicatedMessages += count;
    }
  }

  finish(): FeedResult {
    this.flush();
    if (this.opts.endOfSession) {
      const eos = new Uint8Array(MOLD_HEADER_LENGTH);
      writeMoldHeader(eos, 0, this.session, this.seq, 0xffff);
      const ts = (this.opts.tsBaseNs ?? 0n) + BigInt(this.lastTs);
      this.writer.writeFrameWith(ts, this.builder.frameLength(eos.length), (b, o) => void this.builder.writeInto(b, o, eos));
      this.result.framesWritten++;
    }
    this.result.nextSeq = this.seq;
    return this.result;
  }
}
