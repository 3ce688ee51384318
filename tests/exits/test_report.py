"""The report's Exits section on a comparison with barriers, on hourly signals over gapped 15-minute
quotes: each column's closes by cause are the codes of its journal, beside its reference replay's
closes, and what they realised adds up to the column's gross PnL when it ends flat."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from shared_signals.contract.spec import read_spec
from shared_signals.demo import write_demo
from tests.exits.test_replays import SPARSE, SPARSE_EXITS

pytestmark = pytest.mark.slow
CAUSE_WORDS = {"signal": "a signal (flip or close)", "stop_loss": "stop loss", "take_profit": "take profit",
               "time_limit": "time limit", "trailing_stop": "trailing stop", "end_of_run": "end of the run"}


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exits-report")
    files = write_demo(folder / "data", SPARSE)
    config = folder / "core.json"
    config.write_text(json.dumps({"exits": SPARSE_EXITS}))
    done = subprocess.run([sys.executable, "-m", "evaluator.cli", "run-both", "--quotes", str(files.quotes), "--signals",
                           str(files.signals), "--core-config", str(config), "--out", str(folder / "out")],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    return next((folder / "out").iterdir())


def journal(run: Path, column: str) -> pd.DataFrame:
    return pd.DataFrame([json.loads(line) for line in (run / column / "events.jsonl").read_text().splitlines()])


def table_rows(text: str, after: str) -> dict[str, list[str]]:
    lines = text.split(after, 1)[1].strip().splitlines()
    rows = {}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def test_closes_by_cause_are_the_journal_s_beside_the_reference_s(run):
    text = (run / "report.md").read_text()
    assert "## Exits" in text and "stop loss 0.01, take profit 0.015, time limit (s) 7200" in text
    rows = table_rows(text, "Closing fills by cause (the reference replay's in brackets):")
    names = ["nautilus", "hummingbot"]
    barriers = 0
    for k, column in enumerate(names):
        fills = journal(run, column).query("kind == 'order_filled'")
        own = fills["code"].value_counts().to_dict()
        ref = pd.read_parquet(run / "reference" / f"{column}.parquet")["cause"].value_counts().to_dict()
        for cause, words in CAUSE_WORDS.items():
            if words in rows:
                assert rows[words][k] == f"{own.get(cause, 0)} ({ref.get(cause, 0)})", (column, cause)
            else:
                assert own.get(cause, 0) == 0 and ref.get(cause, 0) == 0, (column, cause)
        barriers += sum(own.get(c, 0) for c in ("stop_loss", "take_profit", "time_limit", "trailing_stop"))
    assert barriers > 0


def test_what_the_closes_realised_adds_up_to_the_gross_pnl_of_a_column_that_ends_flat(run):
    metrics = json.loads((run / "metrics.json").read_text())
    text = (run / "report.md").read_text()
    realised = table_rows(text, "Realised by those closes against the position's average entry, before fees (USDT):")
    fills = journal(run, "nautilus").query("kind == 'order_filled'")
    sign = fills["side"].map({"BUY": 1.0, "SELL": -1.0})
    assert abs((sign * fills["qty"]).sum()) < 1e-9  # its close at the end leaves it flat
    gross = metrics["platforms"]["nautilus"]["trading"]["pnl"] + metrics["platforms"]["nautilus"]["trading"]["fees"]
    total = sum(float(cells[0].replace(",", "")) for cells in realised.values() if cells[0] != "n/a")
    assert total == pytest.approx(gross, abs=0.01 * len(realised))


def test_closes_worse_than_the_touch_are_named_with_what_they_forwent(run):
    """Recomputed from the journal and the quote file: each take-profit fill against the touch in force
    at its fill time (the bid for a sell, the ask for a buy), beyond a tick's rounding."""
    quotes = pd.read_parquet(read_spec(run / "nautilus" / "spec.json").quotes)
    ts = pd.to_datetime(quotes["timestamp"], utc=True).dt.as_unit("ns").astype("int64").to_numpy()
    text = (run / "report.md").read_text()
    for column in ("nautilus", "hummingbot"):
        fills = journal(run, column).query("kind == 'order_filled' and code == 'take_profit'")
        i = np.searchsorted(ts, fills["sim_ts_ns"].to_numpy(dtype=np.int64), side="right") - 1
        touch = np.where(fills["side"] == "SELL", quotes["bid_price"].to_numpy()[i], quotes["ask_price"].to_numpy()[i])
        worse = np.where(fills["side"] == "SELL", touch - fills["price"], fills["price"] - touch)
        off = worse > 1e-5 * fills["price"].to_numpy()
        forgone = float((worse[off] * fills["qty"].to_numpy()[off]).sum())
        line = f"Closes at their own price: {off.sum():,} of {column}'s {len(fills):,} take profit close(s) filled worse than the touch in force, by {forgone:,.2f} USDT"
        assert (line in text) == bool(off.sum()), (column, line)
    named = [line for line in text.splitlines() if "Closes at their own price" in line]
    assert any("nautilus's" in line for line in named) and not any("hummingbot's" in line for line in named)  # LIMITs, not market closes
    assert "with exits on, closes by its own orders: on the entry fill a take-profit LIMIT" in text
    assert "Hummingbot (a StrategyPyBase strategy): acts on its clock's ticks" in text


def test_resting_exits_are_recorded_and_their_wait_is_holding_not_a_fill_delay(run):
    """Nautilus' exits rest at its venue from the entry fill (inputs.json records which): the price's move
    while they rest is no fill delay, which on a run without one is zero for every fill."""
    record = json.loads((run / "inputs.json").read_text())
    resting = {c["name"]: tuple(c["resting_exits"]) for c in record["columns"]}
    assert resting == {"nautilus": ("stop_loss", "take_profit", "trailing_stop"), "hummingbot": ()}
    text = (run / "report.md").read_text()
    row = next(line for line in text.splitlines() if line.startswith("| fill-delay price (order → fill) |"))
    assert row.split("|")[2:5] == [" 0.00 ", " 0.00 ", " 0.00 "], row


def test_the_replay_clock_s_steps_beside_its_ticks_are_counted_apart(run):
    """A fill with no fill delay needs a step of its own at its decision's market time: the report counts
    those apart, so the ticks stepped are never more than the ticks spanned."""
    details = json.loads((run / "hummingbot" / "result.json").read_text())["details"]
    extra, ticks = details["clock_fill_steps"], details["clock_ticks"]
    assert 0 < extra and details["clock_steps"] - extra <= ticks
    assert (f"events clock: stepped {details['clock_steps'] - extra:,} of the {ticks:,} ticks the market time spans (only ticks "
            f"where a quote, signal or expiry was due, and none while a market order waited for its fill: what came meanwhile is "
            f"taken at the fill's step), and {extra:,} time(s) at a market order's fill time") in (run / "report.md").read_text()
