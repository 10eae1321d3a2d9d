// The tick-to-order pipeline (examples/strategy/strategy.ts: feed → book → strategy → risk) on the
// bundled capture examples/itch/data/sample.pcap, watching its stock directory, with strategy
// parameters and limits under which some orders pass and some are rejected: native and the
// interpreter agree at every kernel boundary (0 mismatches), a reference strategy
// (test/strategy-reference.ts) on the book's updates gives the strategy's intents, the reference
// risk gate on those intents passes exactly the dialect gate's orders, no passed order breaks a
// limit, and the counters add up. With TSFPGA_TEST_FULL=1 the pipeline's top module also runs in Verilator
// under backpressure and bubbles, compared at its output.
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { frameList } from "./helpers/feed-frames.js";
import { FAST_BUILD, FULL } from "./cosim-helpers.js";
import { runTickToOrder, stockDirectory, tickToOrderStages, type TickToOrderRun } from "./tick-to-order-run.js";
import { tickToOrderConfig, type TickToOrderSetup } from "../examples/strategy/setup.js";

const SAMPLE = "examples/itch/data/sample.pcap";
/** The same setup as a --config file for the command line (docs/strategy.md); UPDATE_SAMPLE_CONFIG=1 rewrites it. */
const SAMPLE_CONFIG = "examples/strategy/sample.config.json";

/** The setup of docs/strategy.md: both sides, thin under 300 shares, 3:2 depth, 100 shares IOC; limits that bind on this capture ($20,000 an order, 300 shares and $50,000 a symbol, 2 orders in 10 minutes). */
export const SAMPLE_SETUP = (): TickToOrderSetup => ({
  watch: stockDirectory(SAMPLE),
  strategy: { buys: true, sells: true, thinBelow: 300, num: 3, den: 2, quantity: 100, timeInForce: "3" },
  limits: {
    maxShares: 1000, maxNotional: 200_000_000n, collar: 500, maxPosition: 300, maxExposure: 500_000_000n,
    throttleOrders: 2, throttleWindow: 600_000_000_000n, kill: false, killAfter: 0,
  },
});

// Compile while the file is collected (a long synchronous step inside a test can keep the worker from answering the runner).
tickToOrderStages();

function expectClean(r: TickToOrderRun) {
  expect(r.stream.firstMismatch).toBeUndefined();
  expect(r.stream.mismatches).toBe(0);
  for (const t of r.stream.rtls) { expect(t.summary.protocolErrors).toBe(0); expect(t.summary.hung).toBe(false); }
  expect(r.intentDiffs).toEqual([]);
  expect(r.orderDiffs).toEqual([]);
  expect(r.violations).toEqual([]);
}

describe("tickToOrder on the bundled capture", () => {
  it(`${SAMPLE_CONFIG} is tickToOrderConfig of the test's setup`, () => {
    const json = JSON.stringify(tickToOrderConfig(SAMPLE_SETUP())) + "\n";
    if (process.env.UPDATE_SAMPLE_CONFIG === "1") writeFileSync(SAMPLE_CONFIG, json);
    expect(readFileSync(SAMPLE_CONFIG, "utf8")).toBe(json);
  });

  it("native = interpreter at every boundary; the reference gate passes the same orders; some pass, some are rejected", async () => {
    const setup = SAMPLE_SETUP();
    expect(setup.watch.length).toBeGreaterThan(10);
    const r = await runTickToOrder(frameList(SAMPLE), setup, { interp: true });
    expectClean(r);
    const [feed, book, strategy, risk] = r.stream.recordsByStage;
    console.log(`tick-to-order: ${setup.watch.length} symbols; records feed ${feed}, book ${book}, strategy ${strategy}, risk ${risk}; risk ${JSON.stringify(r.stats.risk)}; ${JSON.stringify(r.stream.engineSeconds)}`);
    const s = r.stats.risk as Record<string, number>;
    expect(s.intents).toBe(strategy);
    expect(s.passed).toBe(risk);
    expect(s.passed).toBeGreaterThan(10);
    expect(s.rejected).toBeGreaterThan(10);
    expect(s.intents).toBe(s.passed + s.rejKilled + s.rejected);
    expect(s.rejQuantity + s.rejNotional + s.rejCollar + s.rejPosition + s.rejExposure + s.rejThrottle).toBe(s.rejected);
  }, 600_000);

  it.runIf(FULL)("the top module in Verilator under 30% backpressure and bubbles = native = interpreter", async () => {
    const r = await runTickToOrder(frameList(SAMPLE), SAMPLE_SETUP(), { interp: true, rtl: { backpressure: 0.3, bubbles: 0.3, seed: 5, clockMhz: 108, buildFlags: FAST_BUILD } });
    expectClean(r);
    expect(r.stream.rtls[0]!.summary.records).toBe(r.stream.records);
    console.log(`tick-to-order RTL: latency ${JSON.stringify(r.stream.rtls[0]!.latency.summary())}`);
  }, 1_800_000);
});
