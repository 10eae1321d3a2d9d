# tsfpga — the front door. `make demo` runs the main job on bundled examples; `make test` runs
# the test suite; `make bench` prints the benchmark table. Each target installs what it needs
# first (scripts/setup.sh is idempotent and quiet when everything is present).

NODE_BIN := node_modules/.bin
STAMP := dist/.build-stamp
SOURCES := $(shell find compiler runtime sim bench -name '*.ts' -not -path '*/node_modules/*' 2>/dev/null)

.PHONY: all setup build demo test bench fuzz clean

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

test: setup build
	@$(NODE_BIN)/vitest run --reporter=default

bench: setup build
	@node dist/bench/run.js

clean:
	rm -rf dist build bench/results.json
