"""The offline V2 live run's inputs and command, shared by the tests of that run (through
``conftest.py``'s fixture) and by the Ctrl-C test: minute quotes made so each barrier and a signal flip
happen once, in PositionExecutor's order of checks (stop loss, trailing stop, take profit, time limit).

A long rises 1.2% in half an hour (take profit), the next falls 0.8% (stop loss), the next rises 0.5% and
falls back 0.3% (the trailing stop arms, then closes), the next sits still (time limit), the next is
flipped short by a signal 20 minutes in; the short is open at the end of the data. The network namespace
(``unshare -n``, only loopback up) lets nothing out: the run starts its own broker on loopback."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from pathlib import Path

import msgspec
import numpy as np
import pandas as pd

from shared_signals.config import ExitParams
from tests.minute_inputs import write_minute_inputs

ROOT = Path(__file__).resolve().parents[2]
SPEED = 200.0
FEE = 0.001
EXITS = ExitParams(stop_loss=0.004, take_profit=0.008, time_limit_s=2_400.0, trailing_stop_activation=0.002, trailing_stop_delta=0.001)
START = pd.Timestamp("2025-01-06", tz="UTC")
PRICE_KNOTS = (  # minute, price as a multiple of the start
    (0, 1.0), (30, 1.012), (70, 1.012), (110, 1.012 * 0.992), (120, 1.012 * 0.992),
    (145, 1.012 * 0.992 * 1.005), (165, 1.012 * 0.992 * 1.002), (290, 1.012 * 0.992 * 1.002),
)
MARKET_S = (PRICE_KNOTS[-1][0] + 1) * 60
LONG, SHORT = (-0.01, 0.01, 0.03, 1, 0.7), (-0.03, -0.01, 0.01, 0, 0.3)
SIGNALS = {2: LONG, 61: LONG, 121: LONG, 181: LONG, 241: LONG, 261: SHORT}
"""Minute: (q10, q50, q90, side, prob_up). Each opens a position from flat, but the last flips it."""
NETNS = shutil.which("unshare") is not None and os.geteuid() == 0


def offline(command: list[str]) -> list[str]:
    """``command`` in a new network namespace with only loopback up (``exec``: the command is the process)."""
    return ["unshare", "-n", "sh", "-c", "ip link set lo up && exec " + shlex.join(command)]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def write_inputs(folder: Path) -> tuple[Path, Path]:
    minutes = np.arange(PRICE_KNOTS[-1][0] + 1)
    return write_minute_inputs(folder, START, 50_000.0 * np.interp(minutes, *zip(*PRICE_KNOTS)), SIGNALS)


def run_command(folder: Path, command: str, duration_s: float, out: Path) -> list[str]:
    """``poc-eval run`` (or ``run-both``) of the V2 column on this data, written into ``folder``."""
    quotes, signals = write_inputs(folder)
    core = folder / "core.json"
    core.write_text(json.dumps({"exits": msgspec.to_builtins(EXITS)}))
    v2 = folder / "v2.json"
    v2.write_text(json.dumps({"live_start_delay_s": 1.5}))
    platform = ["--platform", "hummingbot-v2"] if command == "run" else ["--platforms", "hummingbot-v2"]
    return [sys.executable, "-m", "evaluator.cli", command, *platform, "--mode", "live", "--quotes", str(quotes),
            "--signals", str(signals), "--core-config", str(core), "--hummingbot-v2-config", str(v2), "--tolerance", "1h",
            "--fee-bps", f"{FEE * 10_000:g}", "--speed", f"{SPEED:g}", "--duration", f"{duration_s:.0f}s", "--out", str(out),
            *(["--run-id", "v2offline"] if command == "run" else [])]
