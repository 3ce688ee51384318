"""Live paper mode: a real TradingNode on the wall clock, the replay feed and the Sandbox venue."""

from __future__ import annotations

import pandas as pd
import pytest

from poc_nautilus import app
from poc_nautilus.reports import REPORT_FILES
from shared_signals.config import NANOS_PER_MS, NANOS_PER_SECOND
from tests.nautilus.conftest import journal, kinds, options

FAST = 2_000.0
"""Two hours of demo quotes in about 3.6 s of wall time."""
SCHEDULE_SLACK_NS = 50_000_000
"""How late (wall clock) a signal may become visible against its scheduled time, scaled."""
SIGNAL_TO_ORDER_BUDGET_NS = 50 * NANOS_PER_MS
"""Wall time from a signal's arrival to its order's submission."""


@pytest.fixture(scope="module")
def fast_run(tmp_path_factory, small_demo):
    run_dir = tmp_path_factory.mktemp("live") / "run"
    result = app.run(options(small_demo, run_dir, mode="live", speed=FAST))
    return result, journal(run_dir), run_dir / "nautilus"


def test_a_fast_live_run_trades_and_journals_everything(fast_run, small_demo):
    result, events, folder = fast_run
    submitted, filled = kinds(events, "order_submitted"), kinds(events, "order_filled")
    assert result.quotes == len(pd.read_parquet(small_demo.quotes))
    assert result.fills > 0 and len(submitted) == len(filled) == result.orders
    assert kinds(events, "error").empty and not kinds(events, "heartbeat").empty
    assert filled["position_after"].iloc[-1] == 0.0
    assert len(pd.read_csv(folder / REPORT_FILES["fills"])) == result.fills
    for signal_id, rows in events[events["signal_id"].notna()].groupby("signal_id"):
        order = list(rows["kind"])
        assert order[:2] == ["signal_received", "decision"], signal_id
        if "order_submitted" in order:
            assert order.index("order_submitted") < order.index("order_filled")


def test_signals_become_visible_at_their_scheduled_wall_time(fast_run):
    _, events, _ = fast_run
    received = kinds(events, "signal_received")
    assert len(received) > 3
    market_gap = received["sim_ts_ns"] - received["sim_ts_ns"].iloc[0]
    wall_gap = received["wall_ns"] - received["wall_ns"].iloc[0]
    lateness = wall_gap - market_gap / FAST
    assert lateness.abs().max() < SCHEDULE_SLACK_NS


def test_signal_to_order_wall_latency_stays_within_its_budget(fast_run):
    _, events, _ = fast_run
    received = kinds(events, "signal_received").set_index("signal_id")["wall_ns"]
    submitted = kinds(events, "order_submitted").dropna(subset=["signal_id"]).groupby("signal_id")["wall_ns"].min()
    latency_ns = submitted - received.reindex(submitted.index)
    assert len(latency_ns) > 0 and (latency_ns < SIGNAL_TO_ORDER_BUDGET_NS).all()


def test_duration_stops_a_real_time_run(tmp_path, small_demo):
    result = app.run(options(small_demo, tmp_path / "run", mode="live", speed=1.0, duration_ns=NANOS_PER_SECOND))
    assert 1 <= result.quotes <= 3 and result.wall_s < 10
    assert not kinds(journal(tmp_path / "run"), "heartbeat").empty
