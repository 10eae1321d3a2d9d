#!/usr/bin/env node
// Entry point of the tsfpga command: runs the compiled CLI (npm run build writes dist/).
import "../dist/compiler/cli/main.js";
