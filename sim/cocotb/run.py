#!/usr/bin/env python3
"""Runner for a generated tsfpga cocotb testbench (copied verbatim by sim/cocotb.ts).

Builds the design with cocotb_tools.runner and runs tb_axis.py against it. Uses Icarus
Verilog by default; picks Verilator only when one >= 5.036 is installed (older ones
cannot build cocotb 2's VPI library). Override with TSFPGA_COCOTB_SIM=icarus|verilator.
Passes timescale 1ns/1ps so sources without a `timescale line still work on Icarus.
Prints a one-line JSON summary; exit status 0 only when every test passed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cocotb_tools.check_results import get_results  # noqa: E402
from cocotb_tools.runner import get_runner  # noqa: E402

MIN_VERILATOR = (5, 36)


def verilator_version() -> tuple[int, int] | None:
    exe = shutil.which("verilator")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return None
    m = re.search(r"Verilator (\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def pick_simulator() -> str:
    forced = os.environ.get("TSFPGA_COCOTB_SIM")
    if forced:
        return forced
    v = verilator_version()
    return "verilator" if v is not None and v >= MIN_VERILATOR else "icarus"


def main() -> int:
    cfg = json.loads((HERE / "tb_config.json").read_text())
    sim = pick_simulator()
    build_dir = HERE / "sim_build" / sim
    runner = get_runner(sim)
    build_args = [a for d in cfg["libraryDirs"] for a in ("-y", d)]
    runner.build(
        sources=cfg["sources"],
        hdl_toplevel=cfg["top"],
        build_dir=build_dir,
        build_args=build_args,
        timescale=("1ns", "1ps"),
        always=True,
    )
    results = runner.test(
        hdl_toplevel=cfg["top"],
        test_module="tb_axis",
        build_dir=build_dir,
        test_dir=HERE,
        seed=cfg["seed"],
        timescale=("1ns", "1ps"),
    )
    tests, failed = get_results(Path(results))
    ok = tests > 0 and failed == 0
    print(json.dumps({"simulator": sim, "tests": tests, "failed": failed, "ok": ok, "results": str(results)}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
