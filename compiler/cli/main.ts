/**
 * The tsfpga command line: one file per subcommand, registered here. This folder is the only part
 * of compiler/ that touches files, processes and the terminal. Registering must stay cheap: a
 * command file imports the driver (which loads TypeScript), the backend and the simulators inside
 * its action with `await import(...)`, so `--version`, `--help` and `pcap` never load TypeScript
 * (test/startup.test.ts checks it).
 */
import { Command } from "commander";
import { registerCheck } from "./check.js";
import { registerIr } from "./ir.js";
import { registerRun } from "./run.js";
import { registerCompile } from "./compile.js";
import { registerSimulate } from "./simulate.js";
import { registerTestbench } from "./testbench.js";
import { registerPcapCommands } from "./pcap.js";
import { registerSynth } from "./synth.js";
import { VERSION } from "../version.js";

export function buildProgram(): Command {
  const program = new Command();
  program.name("tsfpga").description("TypeScript-to-FPGA high-level synthesis for low-latency trading").version(VERSION, "-V, --version");
  registerCheck(program);
  registerIr(program);
  registerRun(program);
  registerCompile(program);
  registerSimulate(program);
  registerTestbench(program);
  registerPcapCommands(program);
  registerSynth(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
