// Streaming kernels: the kernel(INIT, step) form is recognised, and the native run and the
// interpreter agree beat for beat (same records from the same beats, same final state) on random
// frames with a random run-time config.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileKernel } from "../compiler/driver.js";
import { frameToBeats, runKernelInterp, runKernelNative } from "../sim/kernel-sim.js";

const FILE = "examples/kernels/frame_sum.ts";

describe("kernel form", () => {
  const r = compileKernel(FILE, undefined);

  it("compiles the only kernel of the file without --top", () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.kernel?.name).toBe("frameSum");
    expect(r.kernel?.init).toEqual([0n, 0n, 0n]);
  });

  it("splits frames into 8-byte beats with keep and last", () => {
    const beats = frameToBeats(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(beats.map((b) => [b.keep, b.last])).toEqual([[0xff, false], [0x03, true]]);
    expect(beats[1].bytes).toEqual([9, 10, 0, 0, 0, 0, 0, 0]);
  });

  it("native and interpreter agree beat for beat on random frames", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 65535 }),
        async (datas, bias) => {
          const frames = datas.map((data) => ({ data }));
          const a = await runKernelNative(FILE, r.kernel!, frames, { bias });
          const b = runKernelInterp(r.pkg!, r.fn!, r.kernel!, frames, { bias });
          expect(b.records).toEqual(a.records);
          expect(b.beatOfRecord).toEqual(a.beatOfRecord);
          expect(b.finalState).toEqual(a.finalState);
          expect(a.records.length).toBe(frames.length);
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });
});
