// ITCH → pcap pipelines behind `tsfpga pcap from-itch` and `tsfpga pcap synth`: stream the messages
// of an ITCH BinaryFILE, or of the synthetic day generator, through a MoldFeed (packing, optional
// VLAN, drop/duplicate injection) into a pcap file on disk. Both return the feed result plus the
// per-type message counts. The file appears under its name only when complete (see writeFeed).
import { createPcapFile } from "../pcap/write.js";
import type { UdpFrameSpec } from "../pcap/frame.js";
import { readBinaryFile } from "./binaryfile.js";
import { synthesizeItch, type SynthOptions } from "./synth.js";
import { renameSync, unlinkSync } from "node:fs";
import { temporaryNameFor } from "../cleanup.js";
import { MoldFeed, type FeedOptions, type FeedResult } from "./feed.js";

export interface FromItchOptions extends Omit<FeedOptions, "frame"> {
  frame: UdpFrameSpec;
  zeroLengths?: boolean;
  nanosecond?: boolean;
}

export interface FromItchResult extends FeedResult {
  byType: Record<string, number>;
}

export function convertItchToPcap(input: string, output: string, opts: FromItchOptions): FromItchResult {
  const counts = new Float64Array(256);
  const result = writeFeed(output, opts, (feed) => {
    for (const m of readBinaryFile(input, { zeroLengths: opts.zeroLengths })) {
      counts[m.data[0]!]!++;
      feed.push(m.data);
    }
  });
  const byType: Record<string, number> = {};
  counts.forEach((n, b) => {
    if (n > 0) byType[String.fromCharCode(b)] = n;
  });
  return { ...result, byType };
}

export function synthToPcap(synth: SynthOptions, output: string, opts: FromItchOptions): FromItchResult {
  let byType: Record<string, number> = {};
  const result = writeFeed(output, opts, (feed) => {
    byType = synthesizeItch(synth, (msg, len) => feed.push(msg, len));
  });
  return { ...result, byType };
}

// The capture is written under a temporary name in the output's folder and renamed into place only
// when complete: an interrupted or failed run never leaves a truncated file under the output's name.
function writeFeed(output: string, opts: FromItchOptions, produce: (feed: MoldFeed) => void): FeedResult {
  const tmp = temporaryNameFor(output);
  const file = createPcapFile(tmp, { nanosecond: opts.nanosecond });
  try {
    const feed = new MoldFeed(file.writer, opts);
    produce(feed);
    const result = feed.finish();
    file.close();
    renameSync(tmp, output);
    return result;
  } catch (e) {
    try {
      file.close();
    } catch {
      // already closed
    }
    try {
      unlinkSync(tmp);
    } catch {
      // the original error matters more than a failed cleanup
    }
    throw e;
  }
}
