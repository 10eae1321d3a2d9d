# tsfpga — the front door. `make demo` runs the main job on bundled examples; `make test` runs
# the test suite; `make bench` prints the benchmark table. Each target installs what it needs
# first (scripts/setup.sh is idempotent and quiet when everything is present).

NODE_BIN := node_modules/.bin
STAMP := dist/.build-stamp
SOURCES := $(shell find compiler runtime sim bench -name '*.ts' -not -path '*/node_modules/*' 2>/dev/null)

.PHONY: all setup build demo test test-full bench bench-pnr fuzz clean

all: build

setup:
	@bash scripts/setup.sh all

$(STAMP): $(SOURCES) package-lock.json tsconfig.json
	@bash scripts/setup.sh node
	@$(NODE_BIN)/tsc -p tsconfig.json
	@touch $(STAMP)

build: $(STAMP)

demo: setup build
	@node dist/bench/demo.js

# The last line is the plain summary "tests: N passed, N failed, N skipped" (scripts/test-summary.mjs).
test: setup build
	@mkdir -p build; $(NODE_BIN)/vitest run --reporter=default --reporter=json --outputFile.json=build/vitest-report.json; \
	  status=$$?; node scripts/test-summary.mjs $$status build/vitest-report.json

# The same suite with every long sweep at full size (TSFPGA_TEST_FULL=1; docs/testing.md lists what
# `make test` samples): each example design co-simulated and synthesized at 100, 250 and 400 MHz,
# the feed handler's RTL on every capture with and without stalls and on three random feeds.
test-full: setup build
	@mkdir -p build; TSFPGA_TEST_FULL=1 $(NODE_BIN)/vitest run --reporter=default --reporter=json --outputFile.json=build/vitest-report.json; \
	  status=$$?; node scripts/test-summary.mjs $$status build/vitest-report.json

bench: setup build
	@node dist/bench/run.js

# The order-book section alone (bench/book.ts, docs/book.md): tens of minutes on the 1 M-message feed;
# BOOK_BENCH_PARTS=latency,area,sw,rtl,compare picks parts, SIM_BENCH_MESSAGES the feed's size.
.PHONY: bench-book
bench-book: setup build
	@node dist/bench/book.js

# Place and route only (bench/synth.ts), with the feed handler on iCE40 HX8K and ECP5-25F, 3 seeds:
# long (the feed on ECP5 takes tens of minutes per seed), so not part of `make bench`.
bench-pnr: setup build
	@TSFPGA_PNR_FEED=1 node dist/bench/synth.js

# Fit the iCE40 HX8K and ECP5-25F delay models on place and route (sim/pnr/calibrate.ts): 33 small
# designs per target, both targets in parallel (about 20 minutes here, summing the runs that built the set); writes
# compiler/schedule/models/<target>.json. `node dist/sim/pnr/calibrate.js --refit` refits from the
# saved measurements in build/calibrate/ without routing; --add routes only new designs.
.PHONY: calibrate
calibrate: setup build
	@node dist/sim/pnr/calibrate.js

# Longer randomised runs than `make test`: the mutation robustness test over many seeds.
fuzz: setup build
	@for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do \
	  echo "fuzz: mutation seed $$seed"; \
	  TSFPGA_ROBUST_SEED=$$seed $(NODE_BIN)/vitest run test/robustness.test.ts --reporter=dot || exit 1; \
	done

clean:
	rm -rf dist build bench/results.json
