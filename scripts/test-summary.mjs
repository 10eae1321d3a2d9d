// Prints the test run's closing line in the plain form "tests: N passed, N failed, N skipped" from
// vitest's JSON report (written beside the default reporter's output by `make test`), and exits
// with vitest's own status, which the Makefile passes as the first argument.
import { readFileSync } from "node:fs";

const [status = "1", file = "build/vitest-report.json"] = process.argv.slice(2);
try {
  const r = JSON.parse(readFileSync(file, "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
} catch (e) {
  console.log(`tests: no report in ${file} (${e.message})`);
}
process.exit(Number(status));
