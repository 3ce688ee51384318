"""Resting exits the venue rejects because their price is already in the market when they arrive.
Replay, through the command line; every figure checked against the quote file and the reference.

- A crossed stop still closes the position: Nautilus' strategy closes by market order with that exit's
  cause. Made to happen with a stop loss inside the spread: a long enters at the ask, and its stop's
  trigger, a hundred-thousandth below, is above the bid already (a real case is a gap between quotes).
- A trailing stop whose activation the price passed before the order arrived is armed, not closed (the
  barrier's rule): with a 40 s fill delay the exits of a fill at 2:40 arrive at 3:20, after the bid
  stepped up 0.3% at 3:00, past the 0.2% activation; the trailing stop then closes when the bid falls
  back, where the reference's does.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from shared_signals.contract.journal import read_journal
from tests.exits.test_replays import Quotes, reference
from tests.minute_inputs import write_level_inputs

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
START = pd.Timestamp("2025-01-06", tz="UTC")
LONG = (-0.01, 0.01, 0.03, 1, 0.7)
EXITS = {"stop_loss": 0.00001, "take_profit": 0.01}
"""The stop a hundred-thousandth of 50,001 below: 50,000.49, above the 50,000 bid."""


TRAILING_EXITS = {"stop_loss": 0.004, "take_profit": 0.008, "trailing_stop_activation": 0.002, "trailing_stop_delta": 0.001}
B = 50_000.0
TRAILING_LEVELS = ((0, B), (3, B * 1.003), (10, B * 1.001))


def nautilus_run(folder: Path, levels: tuple, exits: dict, *flags: str) -> tuple[Path, Path]:
    quotes, signals, core = write_level_inputs(folder, START, levels, 60, {2: LONG, 31: LONG}, exits)
    done = subprocess.run(
        [sys.executable, "-m", "evaluator.cli", "run", "--platform", "nautilus", "--quotes", str(quotes), "--signals",
         str(signals), "--core-config", str(core), "--tolerance", "1h", "--out", str(folder / "out"), "--run-id", "rejected",
         *flags],
        capture_output=True, text=True, timeout=400, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return quotes, folder / "out" / "nautilus"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return nautilus_run(tmp_path_factory.mktemp("rejected-exit"), ((0, B),), EXITS)


def test_a_rejected_stop_is_replaced_by_a_market_close_with_its_cause(run):
    quotes_path, folder = run
    events = read_journal(folder).events
    fills = events[events["kind"] == "order_filled"].reset_index(drop=True)
    rejected = events[(events["kind"] == "order_rejected") & (events["code"] == "venue_rejected")]
    assert len(rejected) == 2 and rejected["reason"].str.contains("STOP").all()  # each entry's stop, on arrival
    assert list(zip(fills["side"], fills["code"].fillna(""))) == [("BUY", ""), ("SELL", "stop_loss")] * 2
    quotes = Quotes(quotes_path)
    for (_, entry), (_, close), (_, refusal) in zip(fills.iloc[::2].iterrows(), fills.iloc[1::2].iterrows(), rejected.iterrows(), strict=True):
        assert entry["price"] == quotes.close_price(int(entry["sim_ts_ns"]), "BUY") == 50_001.0
        assert int(close["sim_ts_ns"]) == int(refusal["sim_ts_ns"]) == int(entry["sim_ts_ns"])  # closed on the rejection
        assert close["price"] == quotes.close_price(int(close["sim_ts_ns"]), "SELL") == 50_000.0
        assert close["qty"] == pytest.approx(entry["qty"])
    submitted = events[(events["kind"] == "order_submitted") & (events["code"] == "stop_loss")]
    assert len(submitted) >= 4  # each stop resting, then each market close in its place
    ref = reference(folder)
    assert list(ref["cause"].fillna("")) == ["", "stop_loss"] * 2  # the reference closes the same way, a quote later
    assert np.allclose(ref.loc[ref["cause"] == "stop_loss", "price"], 50_000.0)


def test_a_trailing_stop_past_its_activation_on_arrival_is_armed_and_closes_where_the_reference_does(tmp_path):
    quotes_path, folder = nautilus_run(tmp_path, TRAILING_LEVELS, TRAILING_EXITS, "--fill-delay", "40s")
    events = read_journal(folder).events
    minute = 60_000_000_000
    start = START.value
    rejected = events[(events["kind"] == "order_rejected") & (events["code"] == "venue_rejected")]
    assert list(rejected["sim_ts_ns"]) == [start + 3 * minute + 20 * 1_000_000_000]  # the exits' arrival
    assert rejected["reason"].str.contains("TRAILING_STOP_MARKET").all()
    fills = events[events["kind"] == "order_filled"].reset_index(drop=True)
    assert list(fills["code"].fillna(""))[:2] == ["", "trailing_stop"]
    close = fills.iloc[1]
    assert int(close["sim_ts_ns"]) == start + 10 * minute  # the venue fills it on the quote that triggers it
    assert close["price"] == Quotes(quotes_path).close_price(int(close["sim_ts_ns"]), "SELL") == round(B * 1.001, 2)
    ref = reference(folder)
    trailing = ref[ref["cause"] == "trailing_stop"].iloc[0]
    assert (int(trailing["decided_ns"]), trailing["price"]) == (start + 10 * minute, close["price"])
