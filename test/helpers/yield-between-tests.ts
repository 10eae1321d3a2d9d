// Test setup: after every test, yield one turn of the event loop. Many tests here are synchronous
// (they spawn Verilator, Icarus or Yosys with spawnSync); without a turn, a long run of them never
// lets the worker read the runner's replies, and the runner then reports a spurious RPC timeout.
import { afterEach } from "vitest";

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
