// The order encoder (examples/strategy/encoder.ts) in every engine: random OrderRequests under random
// configurations, run natively and in the interpreter (equal record by record and in the final
// state), every frame decoded by the independent decoder (test/ouch-decoder.ts) and each field checked
// against the request, the configuration and the order's position in the session (sequence +50,
// UserRefNum +1, IP id +1 per order, wrapping), both checksums valid; in Verilator (the ECP5-25F
// schedule at 80 MHz) with no stalls and under random backpressure and bubbles (equal to native, and the readable session and counters equal
// native's final state); and tshark decodes the frames, written to a pcap, as IPv4/TCP with checksum
// validation on and as SoupBinTCP (skipped with a notice when tshark is missing).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileKernel } from "../compiler/driver.js";
import { generateKernelHardware } from "../compiler/verilog/backend.js";
import { interpKernelStepper, nativeKernelStepper } from "../sim/kernel-sim.js";
import { startKernelRtl } from "../sim/kernel-rtl.js";
import { runKernelStream } from "../sim/kernel-run.js";
import { encodePcap } from "../sim/pcap/index.js";
import { withDelayModel } from "../compiler/schedule/delay-model.js";
import { loadDelayModel } from "../sim/pnr/models.js";
import { FAST_BUILD, FULL, lint, run } from "./cosim-helpers.js";
import { prng } from "./helpers/feed-frames.js";
import { decodeOrderFrame } from "./ouch-decoder.js";
import { encoder, type EncoderConfig, type EncoderState } from "../examples/strategy/encoder.js";
import type { OrderRequest } from "../examples/strategy/order.js";

const FILE = "examples/strategy/encoder.ts";
const DIR = join("build", "test-order-encoder");
const haveTshark = spawnSync("tshark", ["-v"]).status === 0;
if (!haveTshark) console.warn("NOTICE: tshark not found — the Wireshark decode of order frames is skipped");

const k = compileKernel(FILE, "encoder");

type Rnd = () => number;
const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);
const u32 = (rnd: Rnd) => int(rnd, 2 ** 32);
const big = (rnd: Rnd, bitsN: number) => { let x = 0n; for (let i = 0; i < bitsN; i += 16) x = (x << 16n) | BigInt(int(rnd, 65536)); return BigInt.asUintN(bitsN, x); };
const letters = (rnd: Rnd, n: number, pad: number) => Array.from({ length: n }, (_, i) => (i < pad ? 65 + int(rnd, 26) : 32));
const asciiBig = (codes: number[]) => codes.reduce((a, c) => (a << 8n) | BigInt(c), 0n);
const asciiStr = (x: bigint, n: number) => String.fromCharCode(...Array.from({ length: n }, (_, i) => Number((x >> BigInt(8 * (n - 1 - i))) & 0xffn)));

/** A random configuration; near-wrapping starts now and then (sequence, UserRefNum, IP id). */
function randomConfig(rnd: Rnd) {
  const nearTop = rnd() < 0.4;
  return {
    dstMac: big(rnd, 48), srcMac: big(rnd, 48), srcIp: u32(rnd), dstIp: u32(rnd), srcPort: int(rnd, 65536), dstPort: int(rnd, 65536),
    firstSeq: nearTop ? 2 ** 32 - 50 * int(rnd, 4) - 1 : u32(rnd), ack: u32(rnd), window: int(rnd, 65536),
    firstIpId: nearTop ? 65535 - int(rnd, 3) : int(rnd, 65536), firstUserRefNum: nearTop ? 2 ** 32 - 1 - int(rnd, 3) : u32(rnd),
    clOrdIdPrefix: asciiBig(letters(rnd, 6, 6)), ttl: 1 + int(rnd, 255),
    display: "YNA".charCodeAt(int(rnd, 3)), capacity: "APR".charCodeAt(int(rnd, 3)), ise: "YN".charCodeAt(int(rnd, 2)), crossType: "NOC".charCodeAt(int(rnd, 3)),
    epoch: rnd() < 0.5,
  };
}
type Cfg = ReturnType<typeof randomConfig>;

function randomRequest(rnd: Rnd) {
  return {
    locate: int(rnd, 65536), slot: int(rnd, 64), symbol: asciiBig(letters(rnd, 8, 1 + int(rnd, 8))), buy: rnd() < 0.5,
    shares: rnd() < 0.1 ? 2 ** 32 - 1 : int(rnd, 100_000), price: rnd() < 0.1 ? 2 ** 32 - 1 : u32(rnd), timeInForce: "03".charCodeAt(int(rnd, 2)),
    timestamp: big(rnd, 48), sequence: big(rnd, 64),
  };
}
type Req = ReturnType<typeof randomRequest>;

const macStr = (x: bigint) => Array.from({ length: 6 }, (_, i) => Number((x >> BigInt(40 - 8 * i)) & 0xffn).toString(16).padStart(2, "0")).join(":");
const ipStr = (x: number) => [24, 16, 8, 0].map((s) => (x >>> s) & 255).join(".");

/** What frame `i` of a session must hold, field by field, as the decoder reports it. */
function expected(cfg: Cfg, r: Req, i: number) {
  const ref = (cfg.firstUserRefNum + i) % 2 ** 32;
  return {
    eth: { dst: macStr(cfg.dstMac), src: macStr(cfg.srcMac), etherType: 0x0800 },
    ip: { version: 4, ihl: 5, dscpEcn: 0, totalLength: 90, id: (cfg.firstIpId + i) % 65536, flags: 2, fragOffset: 0, ttl: cfg.ttl, protocol: 6, src: ipStr(cfg.srcIp), dst: ipStr(cfg.dstIp) },
    tcp: { srcPort: cfg.srcPort, dstPort: cfg.dstPort, seq: (cfg.firstSeq + 50 * i) % 2 ** 32, ack: cfg.ack, dataOffset: 5, flags: 0x18, window: cfg.window, urgent: 0, payloadLength: 50 },
    soup: { packetLength: 48, type: "U" },
    ouch: {
      type: "O", userRefNum: ref, side: r.buy ? "B" : "S", quantity: r.shares, symbol: asciiStr(r.symbol, 8), price: BigInt(r.price),
      timeInForce: String.fromCharCode(r.timeInForce), display: String.fromCharCode(cfg.display), capacity: String.fromCharCode(cfg.capacity),
      intermarketSweep: String.fromCharCode(cfg.ise), crossType: String.fromCharCode(cfg.crossType),
      clOrdId: asciiStr(cfg.clOrdIdPrefix, 6) + ref.toString(16).toUpperCase().padStart(8, "0"), appendageLength: 0,
    },
    ipChecksumOk: true, tcpChecksumOk: true, problems: [],
  };
}

interface FrameRec { bytes: number[]; userRefNum: number; seq: number; timestamp: string; sequence: string }

/** Check every frame of a run against its request and position. */
function checkFrames(cfg: Cfg, reqs: Req[], recs: FrameRec[]) {
  expect(recs.length).toBe(reqs.length);
  recs.forEach((rec, i) => {
    expect(rec.bytes.length).toBe(104);
    const { ip, tcp, ...rest } = decodeOrderFrame(Uint8Array.from(rec.bytes));
    const want = expected(cfg, reqs[i]!, i);
    const { checksum: _ic, ...ipFields } = ip;
    const { checksum: _tc, ...tcpFields } = tcp;
    expect({ ...rest, ip: ipFields, tcp: tcpFields }, `frame ${i}`).toEqual(want);
    expect(rec).toMatchObject({ userRefNum: want.ouch.userRefNum, seq: want.tcp.seq, timestamp: String(reqs[i]!.timestamp), sequence: String(reqs[i]!.sequence) });
  });
}

const toJson = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));

describe("the order encoder", () => {
  it("compiles without a diagnostic", () => {
    expect(k.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([]);
  });

  const RUNS = FULL ? 40 : 8;
  it(`native = interpreter on ${RUNS} random sessions; every field of every frame decodes as expected`, async () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const rnd = prng(seed * 7919);
      const cfg = randomConfig(rnd);
      const reqs = Array.from({ length: 5 + int(rnd, 40) }, () => randomRequest(rnd));
      const steppers = [
        { name: "native", stepper: await nativeKernelStepper(FILE, k.kernel!, toJson(cfg)) },
        { name: "interp", stepper: interpKernelStepper(k.pkg!, k.fn!, k.kernel!, toJson(cfg)) },
      ];
      const recs: FrameRec[] = [];
      const r = await runKernelStream({ frames: [reqs], steppers, sink: (j) => recs.push(JSON.parse(j) as FrameRec) });
      expect(r.firstMismatch, `seed ${seed}`).toBeUndefined();
      checkFrames(cfg, reqs, recs);
      const n = reqs.length;
      expect(r.finalState).toEqual({
        started: true, epoch: cfg.epoch,
        next: { seq: (cfg.firstSeq + 50 * n) % 2 ** 32, userRefNum: (cfg.firstUserRefNum + n) % 2 ** 32, ipId: (cfg.firstIpId + n) % 65536 },
        stats: { orders: n, buys: reqs.filter((q) => q.buy).length },
      });
    }
  });

  it("flipping the configuration's epoch starts a new session from the first* fields (native)", () => {
    const rnd = prng(77);
    const a = randomConfig(rnd);
    const cfgA = a as unknown as EncoderConfig;
    const cfgB = { ...cfgA, epoch: !a.epoch, firstSeq: 1000, firstUserRefNum: 7, firstIpId: 3 } as EncoderConfig;
    const req = () => randomRequest(rnd) as unknown as OrderRequest;
    let s: EncoderState = encoder.init;
    const refs: number[] = [], seqs: number[] = [];
    for (const c of [cfgA, cfgA, cfgA, cfgB, cfgB, cfgA]) {
      const r = encoder.step(s, req(), c);
      s = r.state;
      refs.push(r.out.userRefNum); seqs.push(r.out.seq);
      expect(decodeOrderFrame(Uint8Array.from(r.out.bytes)).problems).toEqual([]);
    }
    const A = a.firstUserRefNum, S = a.firstSeq, w = (x: number) => x % 2 ** 32;
    expect(refs).toEqual([A, w(A + 1), w(A + 2), 7, 8, A]);
    expect(seqs).toEqual([S, w(S + 50), w(S + 100), 1000, 1050, S]);
    expect(s.stats.orders).toBe(6);
  });

  it("Verilator (ECP5 model at 80 MHz: 6 stages) = native; lint and Icarus clean; with no stalls and under random backpressure and bubbles; readable session and counters", async () => {
    mkdirSync(DIR, { recursive: true });
    // The schedule the encoder is built with: ECP5-25F's delay model at 80 MHz (6 stages with the routing term of its 1,833 port bits, docs/delay-model.md; 4 with the models before it).
    const hw = withDelayModel(loadDelayModel("ecp5-25f"), () => generateKernelHardware(k.fn!, k.kernel!, { clockMhz: 80, source: FILE, sourceHash: "test" }));
    expect(hw.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toEqual([]);
    expect((hw.signature as { latencyCycles: number }).latencyCycles).toBe(6);
    const v = join(DIR, "encoder.v");
    writeFileSync(v, hw.verilog!);
    expect(lint(v)).toBe("");
    expect(run("iverilog", ["-g2005", "-o", "/dev/null", v]).code).toBe(0);
    for (const [seed, pressure] of [[1, 0], [2, 0.5]] as const) {
      const rnd = prng(seed * 104729);
      const cfg = randomConfig(rnd);
      const reqs = Array.from({ length: 200 }, () => randomRequest(rnd));
      let cb: (rec: unknown, lat: number | null) => void = () => {};
      const stream = await startKernelRtl({ k: k.kernel!, verilog: hw.verilog!, signature: hw.signature, cfg: toJson(cfg), backpressure: pressure, bubbles: pressure, seed, workDir: DIR, buildFlags: FAST_BUILD, onRecord: (r, l) => cb(r, l) });
      try {
        const recs: FrameRec[] = [];
        const groups = Array.from({ length: Math.ceil(reqs.length / 16) }, (_, g) => reqs.slice(16 * g, 16 * g + 16));
        const r = await runKernelStream({ frames: groups, steppers: [{ name: "native", stepper: await nativeKernelStepper(FILE, k.kernel!, toJson(cfg)) }], rtl: { stream, attach: (f) => { cb = f; } }, sink: (j) => recs.push(JSON.parse(j) as FrameRec) });
        expect(r.firstMismatch, `seed ${seed}`).toBeUndefined();
        expect(r.rtl!.protocolErrors).toBe(0);
        expect(r.rtl!.hung).toBe(false);
        checkFrames(cfg, reqs, recs);
        const fin = r.finalState as { next: unknown; stats: unknown };
        expect(r.rtl!.readable).toEqual({ next: fin.next, stats: fin.stats });
        console.log(`order-encoder: Verilator, stalls ${pressure}: ${r.records} frames in ${r.rtl!.cycles} cycles, latency ${JSON.stringify(r.latency.summary())}`);
      } finally {
        stream.kill();
      }
    }
  }, 300_000);

  it.skipIf(!haveTshark)("tshark decodes the frames as IPv4/TCP with valid checksums and as SoupBinTCP (and a corrupted one as bad)", async () => {
    mkdirSync(DIR, { recursive: true });
    const rnd = prng(4242);
    const cfg = randomConfig(rnd);
    const reqs = Array.from({ length: 20 }, () => randomRequest(rnd));
    const st = await nativeKernelStepper(FILE, k.kernel!, toJson(cfg));
    const frames = reqs.map((q, i) => ({ tsNs: BigInt(i) * 1000n, data: Uint8Array.from((st.step(q) as FrameRec).bytes) }));
    // The last frame with one OUCH byte changed: tshark must call its TCP checksum bad (validation is on).
    const bad = frames[frames.length - 1]!.data.slice();
    bad[90] ^= 0x20;
    frames.push({ tsNs: 1_000_000n, data: bad });
    const pcap = join(DIR, "orders.pcap");
    writeFileSync(pcap, encodePcap(frames));
    const r = spawnSync("tshark", ["-r", pcap, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-d", `tcp.port==${cfg.dstPort},soupbintcp`,
      "-T", "fields", "-E", "separator=|", "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "tcp.seq_raw", "-e", "soupbintcp.packet_type", "-e", "soupbintcp.packet_length", "-e", "_ws.expert.message"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.length).toBe(reqs.length + 1);
    // Wireshark's checksum status: 1 good, 0 bad.
    lines.slice(0, reqs.length).forEach((line, i) => {
      const [ipOk, tcpOk, seq, type, len] = line.split("|");
      expect({ ipOk, tcpOk, seq: Number(seq), type, len: Number(len) }, line).toEqual({ ipOk: "1", tcpOk: "1", seq: (cfg.firstSeq + 50 * i) % 2 ** 32, type: "'U'", len: 48 });
    });
    expect(lines[reqs.length]!.split("|").slice(0, 2)).toEqual(["1", "0"]);
  });
});
