// `tsfpga pcap …` command group: `stat` (what is in a capture), `renumber` (sequence numbers
// rewritten so every packet's messages are new), `from-itch` (ITCH BinaryFILE →
// MoldUDP64/UDP/IPv4/Ethernet pcap) and `synth` (a realistic synthetic feed). This file only parses
// options, calls the library in sim/pcap and sim/itch, and prints; user errors from the library
// (PcapError, ItchFileError, InputError, file-system errors) become one line on stderr and exit
// code 1, without a stack trace.
import type { Command } from "commander";
import { InputError, ItchFileError, PcapError } from "../../sim/pcap/error.js";
import { readCaptureFile } from "../../sim/pcap/read.js";
import { parseEndpoint, parseFilter } from "../../sim/pcap/addr.js";
import { statCapture, type CaptureStat } from "../../sim/itch/stat.js";
import { formatSession } from "../../sim/itch/moldudp64.js";
import { renumberCapture } from "../../sim/itch/renumber.js";
import { convertItchToPcap, synthToPcap, type FromItchOptions, type FromItchResult } from "../../sim/itch/to-pcap.js";
import { UserError } from "./common.js";
import { checkOutputPath } from "./paths.js";

const DEFAULT_DST = "233.54.12.111:26477";
const DEFAULT_SRC = "10.1.1.1:26477";

export function registerPcapCommands(program: Command): void {
  const pcap = program.command("pcap").description("market-data capture tools (pcap/pcapng, MoldUDP64, ITCH 5.0)");

  pcap
    .command("stat <file>")
    .description("frames, linktype, time span, MoldUDP64 sessions, sequence ranges, gaps and ITCH message counts")
    .option("--json", "print JSON instead of text")
    .option("--filter <ip:port>", "market-data destination: ip:port, *:port, ip:* or any, as for simulate (default: any UDP payload that parses as MoldUDP64)")
    .option("--packets", "also list every MoldUDP64 packet: frame index, session, sequence, count")
    .action(guard((file: string, o: { json?: boolean; filter?: string; packets?: boolean }) => {
      const filter = o.filter === undefined ? undefined : parseFilter(o.filter);
      const st = statCapture(readCaptureFile(file), { filter, packets: o.packets });
      out(o.json ? JSON.stringify(st, bigintToString, 2) : formatStat(st));
      // Prominent: also on stderr, so it shows even when stdout goes to a file or a pipe.
      for (const w of st.warnings) process.stderr.write(`tsfpga pcap: warning: ${file}: ${w}\n`);
    }));

  pcap
    .command("renumber <capture>")
    .description("rewrite MoldUDP64 sequence numbers so every packet's messages are new (replay captures that repeat a sequence number, e.g. sequence 0 in every packet)")
    .requiredOption("-o, --output <file>", "output pcap file")
    .option("--filter <ip:port>", "only packets to this destination: ip:port, *:port, ip:* or any (default any)")
    .option("--json", "print the result as JSON")
    .action(guard((input: string, o: { output: string; filter?: string; json?: boolean }) => {
      const filter = parseFilter(o.filter ?? "any");
      checkOutputPath(o.output, "output pcap");
      const r = renumberCapture(input, o.output, filter);
      out(o.json ? JSON.stringify({ output: o.output, ...r }, null, 2)
        : `${o.output}: ${n(r.frames)} frames, ${n(r.packets)} MoldUDP64 packets renumbered (${n(r.changed)} changed), ${n(r.messages)} messages`);
    }));

  addFeedOptions(
    pcap
      .command("from-itch <binaryfile>")
      .description("wrap an ITCH BinaryFILE (u16 length + message) into MoldUDP64/UDP/IPv4/Ethernet frames")
      .option("--zero-lengths", "the file's length prefixes are all 0x0000: take each message's length from its type byte"),
  ).action(guard((input: string, o: FeedFlags & { zeroLengths?: boolean }) => {
    const started = Date.now();
    checkOutputPath(o.output, "output pcap");
    const r = convertItchToPcap(input, o.output, { ...feedOptions(o), zeroLengths: o.zeroLengths });
    report(o, r, started);
  }));

  addFeedOptions(
    pcap
      .command("synth")
      .description("write a synthetic ITCH 5.0 day (Nasdaq 2019 type mix, consistent order lifecycles) as a MoldUDP64 pcap")
      .requiredOption("--messages <n>", "number of ITCH messages")
      .option("--symbols <k>", "number of stocks", "100"),
  ).action(guard((o: FeedFlags & { messages: string; symbols: string }) => {
    const started = Date.now();
    const synth = {
      messages: intOption("--messages", o.messages, 1, Number.MAX_SAFE_INTEGER),
      symbols: intOption("--symbols", o.symbols, 1, 65535),
      seed: intOption("--seed", o.seed, 0, 2 ** 32 - 1),
    };
    checkOutputPath(o.output, "output pcap");
    report(o, synthToPcap(synth, o.output, feedOptions(o)), started);
  }));
}

interface FeedFlags {
  output: string;
  msgsPerPacket?: string;
  mtu?: string;
  session: string;
  startSeq: string;
  vlan?: string;
  dst: string;
  src: string;
  drop: string;
  dup: string;
  seed: string;
  endOfSession?: boolean;
  ns?: boolean;
  date?: string;
  json?: boolean;
}

function addFeedOptions(cmd: Command): Command {
  return cmd
    .requiredOption("-o, --output <file>", "output pcap file")
    .option("--msgs-per-packet <n>", "at most N messages per MoldUDP64 packet (alone: no MTU bound)")
    .option("--mtu <bytes>", "IPv4 MTU bound on each packet (default 1500 unless --msgs-per-packet is given alone)")
    .option("--session <name>", "MoldUDP64 session, up to 10 ASCII characters", "0000000001")
    .option("--start-seq <n>", "sequence number of the first message", "1")
    .option("--vlan <id>", "add an 802.1Q tag with this VLAN id")
    .option("--dst <ip:port>", "UDP destination", DEFAULT_DST)
    .option("--src <ip:port>", "UDP source", DEFAULT_SRC)
    .option("--drop <p>", "drop each packet with probability p", "0")
    .option("--dup <p>", "send each packet twice with probability p", "0")
    .option("--seed <n>", "PRNG seed (drops, duplicates, synthetic content)", "1")
    .option("--end-of-session", "append a MoldUDP64 end-of-session packet (count 0xFFFF)")
    .option("--ns", "nanosecond pcap timestamps (default microseconds)")
    .option("--date <yyyy-mm-dd>", "capture date; frame time = date (UTC midnight) + ITCH timestamp (default 1970-01-01)")
    .option("--json", "print the result as JSON");
}

function feedOptions(o: FeedFlags): FromItchOptions {
  const dst = parseEndpoint(o.dst);
  const src = parseEndpoint(o.src);
  let tsBaseNs = 0n;
  if (o.date !== undefined) {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(o.date) ? Date.parse(`${o.date}T00:00:00Z`) : NaN;
    if (Number.isNaN(ms)) throw new InputError(`--date: expected yyyy-mm-dd, got "${o.date}"`);
    tsBaseNs = BigInt(ms) * 1_000_000n;
  }
  const startSeq = /^\d{1,20}$/.test(o.startSeq) ? BigInt(o.startSeq) : -1n;
  if (startSeq < 0n || startSeq >= 2n ** 64n) throw new InputError(`--start-seq: expected an unsigned 64-bit integer, got "${o.startSeq}"`);
  return {
    session: o.session,
    startSeq,
    frame: {
      srcIp: src.ip, srcPort: src.port, dstIp: dst.ip, dstPort: dst.port,
      vlan: o.vlan === undefined ? undefined : intOption("--vlan", o.vlan, 0, 4095),
    },
    mtu: o.mtu === undefined ? undefined : intOption("--mtu", o.mtu, 120, 65535),
    msgsPerPacket: o.msgsPerPacket === undefined ? undefined : intOption("--msgs-per-packet", o.msgsPerPacket, 1, 65534),
    drop: probOption("--drop", o.drop),
    dup: probOption("--dup", o.dup),
    seed: intOption("--seed", o.seed, 0, 2 ** 32 - 1),
    tsBaseNs,
    endOfSession: o.endOfSession,
    nanosecond: o.ns,
  };
}

function intOption(name: string, text: string, min: number, max: number): number {
  const v = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(v >= min && v <= max)) throw new InputError(`${name}: expected an integer in ${min}..${max}, got "${text}"`);
  return v;
}

function probOption(name: string, text: string): number {
  const v = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!(v >= 0 && v <= 1)) throw new InputError(`${name}: expected a probability in 0..1, got "${text}"`);
  return v;
}

function report(o: FeedFlags, r: FromItchResult, started: number): void {
  const secs = Math.max(Date.now() - started, 1) / 1000;
  if (o.json) {
    out(JSON.stringify({ output: o.output, ...r, seconds: secs }, bigintToString, 2));
    return;
  }
  const last = r.nextSeq - 1n;
  out(
    `${o.output}: ${n(r.messages)} messages in ${n(r.packets)} MoldUDP64 packets, ${n(r.framesWritten)} frames; ` +
      `sequence ${r.firstSeq}..${last}\n` +
      `  dropped ${n(r.droppedPackets)} packets (${n(r.droppedMessages)} messages), duplicated ${n(r.duplicatedPackets)} packets (${n(r.duplicatedMessages)} messages)\n` +
      `  by type: ${byTypeLine(r.byType)}\n` +
      `  ${secs.toFixed(2)} s, ${n(Math.round(r.messages / secs))} messages/s`,
  );
}

function formatStat(st: CaptureStat): string {
  const lines: string[] = [];
  const res = st.tsResolution === "us" ? "µs" : st.tsResolution;
  lines.push(`file       ${st.file} (${st.format}, ${st.littleEndian ? "little" : "big"}-endian, ${res} timestamps)`);
  lines.push(`linktype   ${st.linktype} (Ethernet)`);
  lines.push(`frames     ${n(st.frames)} (${n(st.bytes)} captured bytes)`);
  if (st.firstTsNs !== null && st.lastTsNs !== null) {
    const span = Number(st.lastTsNs - st.firstTsNs) / 1e9;
    lines.push(`time       ${isoNs(st.firstTsNs)} → ${isoNs(st.lastTsNs)} (${span.toFixed(6)} s)`);
  }
  const flows = Object.entries(st.udpFlows).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${n(v)}`).join(", ");
  lines.push(`udp flows  ${flows || "none"}`);
  const nonUdp = Object.entries(st.nonUdp).map(([k, v]) => `${k} ${n(v)}`).join(", ");
  if (nonUdp) lines.push(`non-udp    ${nonUdp}`);
  lines.push(`moldudp64  ${n(st.moldPackets)} packets${st.filter ? ` to ${st.filter}` : ""}; ${n(st.skippedFrames)} other frames skipped` +
    (st.malformedPackets ? `; ${n(st.malformedPackets)} malformed` : ""));
  if (st.skippedFrames) lines.push(`skipped    ${skipReasons(st)}`);
  for (const s of st.sessions) {
    lines.push(
      `session    "${formatSession(s.session)}" → ${s.destination}: ${n(s.packets)} packets (${s.heartbeats} heartbeats, ${s.endOfSession} end-of-session), ` +
        `sequence ${s.firstSeq ?? "-"}..${s.lastSeq ?? "-"}, ${n(s.gapEvents)} gaps (${n(s.missingMessages)} missing), ${n(s.duplicateMessages)} duplicates`,
    );
  }
  lines.push(`messages   ${n(st.messages)}: ${byTypeLine(st.byType)}`);
  for (const w of st.warnings) lines.push(`WARNING    ${w}`);
  for (const p of st.packetList ?? []) lines.push(`packet     frame ${p.frame} session "${formatSession(p.session)}" seq ${p.sequence} count ${p.count}`);
  return lines.join("\n");
}

/** "other-destination 3 · malformed 2 (truncated-block 2)": each skip reason with its frame count. */
function skipReasons(st: CaptureStat): string {
  const mold = Object.entries(st.moldRejects).map(([k, v]) => `${k} ${n(v)}`).join(", ");
  return Object.entries(st.skippedByReason).sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${n(v)}${(k === "malformed" || k === "not-moldudp64") && mold ? ` (${mold})` : ""}`).join(" · ");
}

function byTypeLine(byType: Record<string, number>): string {
  return Object.entries(byType).sort((a, b) => b[1] - a[1]).map(([t, c]) => `${t} ${n(c)}`).join(" · ") || "none";
}

function isoNs(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, "0")}Z`;
}

function n(v: number | bigint): string {
  return v.toLocaleString("en-US");
}

function bigintToString(_key: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

let pipeGuarded = false;

function out(text: string): void {
  if (!pipeGuarded) {
    // `tsfpga pcap stat big.pcap --json | head` closes the pipe early: that is not an error.
    pipeGuarded = true;
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  process.stdout.write(text + "\n");
}

/** Wraps an action so user errors print one line and set exit code 1; anything else is a bug and propagates. */
function guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (e) {
      const message = userErrorMessage(e);
      if (message === undefined) throw e;
      process.stderr.write(`tsfpga pcap: ${message}\n`);
      process.exitCode = 1;
    }
  };
}

function userErrorMessage(e: unknown): string | undefined {
  if (e instanceof PcapError || e instanceof ItchFileError || e instanceof InputError || e instanceof UserError) return e.message;
  const errno = e as NodeJS.ErrnoException;
  if (e instanceof Error && typeof errno.code === "string" && typeof errno.syscall === "string") {
    return `${errno.path ?? "file"}: ${errno.syscall} failed (${errno.code})`;
  }
  return undefined;
}
