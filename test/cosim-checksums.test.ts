// Co-simulation of examples/basics/checksums.ts at 100/250/400 MHz against the interpreter (see cosim-suite.ts).
import { cosimSuite } from "./cosim-suite.js";

cosimSuite("checksums.ts");
