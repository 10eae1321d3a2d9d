"""cocotb 2.x AXI-Stream vector test for a tsfpga module (copied verbatim by sim/cocotb.ts).

Reads tb_config.json (port names, widths, seed, traffic probabilities, configuration
values) and vectors.txt (one line per transaction: input hex, expected output hex,
optional tkeep hex and tlast bit) from its own directory. Drives the inputs with seeded
random bubbles, applies seeded random backpressure on m_axis_tready, and checks every
output in order against the expected value, the output count (no loss, no extras), and
the AXI-Stream rule that m_axis_tvalid/tdata stay stable while stalled.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge

HERE = Path(__file__).resolve().parent


def load_vectors(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            rows.append(line.split())
    return rows


def bit(sig) -> bool:
    return str(sig.value) == "1"


@cocotb.test()
async def axis_vectors(dut) -> None:
    cfg = json.loads((HERE / "tb_config.json").read_text())
    rows = load_vectors(HERE / "vectors.txt")
    inputs = [int(r[0], 16) for r in rows]
    expected = [int(r[1], 16) for r in rows]
    sideband = cfg["inputSideband"]  # names in line order after the two data columns
    rng = random.Random(cfg["seed"])
    bubbles, backpressure = cfg["bubbles"], cfg["backpressure"]
    clk = getattr(dut, cfg["clock"])
    rst = getattr(dut, cfg["reset"])
    on = 1 if cfg["resetActiveHigh"] else 0

    Clock(clk, cfg["clockPeriodPs"], unit="ps").start()
    for name, value in cfg["config"].items():
        getattr(dut, name).value = int(value, 16)
    dut.s_axis_tvalid.value = 0
    dut.m_axis_tready.value = 0
    rst.value = on
    for _ in range(cfg["resetCycles"]):
        await RisingEdge(clk)
    rst.value = 1 - on

    n_in = n_out = cycle = idle = drained = 0
    s_valid = False
    stalled_snapshot: str | None = None
    errors: list[str] = []
    in_fire = out_fire = False
    while True:
        await RisingEdge(clk)
        if in_fire:
            n_in += 1
            s_valid = False
        if out_fire:
            n_out += 1
        cycle += 1
        idle = 0 if (in_fire or out_fire) else idle + 1
        if n_in == len(inputs) and n_out >= len(expected):
            drained += 1
            if drained > cfg["drainCycles"]:
                break
        if idle > cfg["maxIdleCycles"]:
            errors.append(f"hang: no handshake for {idle} cycles ({n_in} in, {n_out} out of {len(expected)})")
            break

        have = n_in < len(inputs)
        if have and not s_valid:
            s_valid = rng.random() >= bubbles
        if have:
            dut.s_axis_tdata.value = inputs[n_in]
            for k, name in enumerate(sideband):
                getattr(dut, name).value = int(rows[n_in][2 + k], 16)
        dut.s_axis_tvalid.value = int(s_valid)
        m_ready = n_out >= len(expected) or rng.random() >= backpressure
        dut.m_axis_tready.value = int(m_ready)

        await ReadOnly()
        m_valid = bit(dut.m_axis_tvalid)
        data = dut.m_axis_tdata.value
        snapshot = str(data) + "".join(str(getattr(dut, p).value) for p in cfg["outputSideband"])
        if stalled_snapshot is not None:
            if not m_valid:
                errors.append(f"cycle {cycle}: m_axis_tvalid dropped before the handshake")
            elif snapshot != stalled_snapshot:
                errors.append(f"cycle {cycle}: m_axis_tdata/sideband changed while stalled")
        stalled_snapshot = snapshot if (m_valid and not m_ready) else None
        in_fire = s_valid and bit(dut.s_axis_tready)
        out_fire = m_valid and m_ready
        if out_fire:
            if not data.is_resolvable:
                errors.append(f"cycle {cycle}: output {n_out} has X/Z bits: {data}")
            elif n_out >= len(expected):
                errors.append(f"cycle {cycle}: extra output {n_out}: 0x{data.to_unsigned():x}")
            elif data.to_unsigned() != expected[n_out]:
                errors.append(
                    f"cycle {cycle}: output {n_out}: expected 0x{expected[n_out]:x}, got 0x{data.to_unsigned():x}"
                )
        if len(errors) >= 20:
            break

    dut._log.info("%d inputs, %d outputs, %d cycles, %d errors", n_in, n_out, cycle, len(errors))
    assert not errors, f"{len(errors)} error(s):\n" + "\n".join(errors)
    assert n_out == len(expected), f"expected {len(expected)} outputs, got {n_out}"
