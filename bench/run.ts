/**
 * `make bench`: runs every benchmark section, prints the table and writes bench/results.json.
 * Sections live in their own files; each measures side by side what it compares.
 */
import { coreBench } from "./core.js";
import { pcapBench } from "./pcap.js";
import { backendBench } from "./backend.js";
import { feedBench } from "./feed.js";
import { synthBench } from "./synth.js";
import { delayModelBench } from "./delay-model.js";
import { startupBench } from "./startup.js";
import { simulateBench } from "./simulate.js";
import { gateLevelBench } from "./gate-level.js";
import { bookBench } from "./book.js";
import { printSections, writeResults, type Section } from "./table.js";

const sections: Section[] = [];
for (const [name, run] of [["startup", startupBench], ["core", coreBench], ["backend", backendBench], ["pcap", pcapBench], ["feed", feedBench], ["synth", synthBench], ["delay model", () => delayModelBench()], ["simulate", simulateBench], ["gate level", gateLevelBench], ["book", bookBench]] as const) {
  process.stderr.write(`bench: ${name}…\n`);
  sections.push(await run());
}
printSections(sections);
writeResults(sections);
process.stdout.write("\nwritten: bench/results.json\n");
