// Test runner configuration: all tests live in test/, run in forked workers so the
// TypeScript compiler API's memory is reclaimed between files.
import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { tsfpga: fileURLToPath(new URL("./runtime/index.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/yield-between-tests.ts"],
    pool: "forks",
    // Two workers even on two cores: much of the suite waits on Verilator/C++ builds.
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
