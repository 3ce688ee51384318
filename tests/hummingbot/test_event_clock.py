"""Hummingbot's replay clock steps only where something can happen, and trades exactly as a clock
stepping every tick: same decisions, same fills, same prices, on data where both apply."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from poc_hummingbot import app
from poc_hummingbot.config import EVERY_TICK, HummingbotConfig
from shared_signals.config import NANOS_PER_HOUR, NANOS_PER_SECOND, LoaderParams, SignalCoreConfig
from shared_signals.contract.journal import read_journal
from shared_signals.demo import DemoParams, write_demo
from tests.hummingbot.conftest import replay_options, with_config

START = pd.Timestamp("2025-01-06", tz="UTC")
HOURLY = SignalCoreConfig(loader=LoaderParams(tolerance_ns=NANOS_PER_HOUR))
TRADE_COLUMNS = ["signal_id", "side", "qty", "price", "sim_ts_ns"]


@pytest.fixture(scope="module")
def sparse_day(tmp_path_factory):
    """A day of 15-minute quotes and hourly signals, as a qlib user's data looks (seeded)."""
    return write_demo(tmp_path_factory.mktemp("sparse"), DemoParams(hours=30.0, seed=5, quote_interval_s=900, bar_minutes=60))


def fills(result) -> pd.DataFrame:
    events = read_journal(result.platform_dir).events
    return events.loc[events["kind"] == "order_filled", TRADE_COLUMNS].reset_index(drop=True)


def decisions(result) -> pd.DataFrame:
    events = read_journal(result.platform_dir).events
    return events.loc[events["kind"] == "decision", ["signal_id", "code", "qty", "price", "sim_ts_ns"]].reset_index(drop=True)


@pytest.mark.parametrize("tick_s", [1, 60])
def test_stepping_only_events_trades_as_every_tick_does(tmp_path, sparse_day, tick_s):
    config = HummingbotConfig(tick_size_s=tick_s)
    spec = with_config(replay_options(tmp_path / "events", sparse_day.quotes, sparse_day.signals, core=HOURLY), config)
    if tick_s == 1:  # every second of 30 hours is slow to step; the first 14 hold the first trades
        spec = replace(spec, duration_ns=14 * NANOS_PER_HOUR)
    by_events = app.run(spec)
    by_ticks = app.run(with_config(replace(spec, run_dir=tmp_path / "ticks"), replace(config, replay_clock=EVERY_TICK)))
    assert by_events.fills > 0
    pd.testing.assert_frame_equal(fills(by_events), fills(by_ticks))
    pd.testing.assert_frame_equal(decisions(by_events), decisions(by_ticks))
    events_steps, ticks_steps = by_events.details["clock_steps"], by_ticks.details["clock_steps"]
    # every tick, and a step of its own for each market order's fill (at its decision's time: no fill delay)
    assert ticks_steps == by_ticks.details["clock_ticks"] + by_ticks.orders
    assert by_ticks.details["clock_fill_steps"] == by_ticks.orders  # the steps beside the ticks: the report's count
    assert events_steps - by_events.details["clock_fill_steps"] <= by_events.details["clock_ticks"]
    assert by_ticks.details["clock_ticks"] == by_events.details["clock_ticks"]
    assert events_steps < ticks_steps / 10  # the point: a step per event, not per simulated tick


def handmade(folder, quote_seconds, signal_rows) -> tuple:
    quotes = pd.DataFrame({
        "timestamp": [START + pd.Timedelta(seconds=s) for s in quote_seconds],
        "bid_price": [50_000.0 + 100 * i for i in range(len(quote_seconds))],
        "ask_price": [50_001.0 + 100 * i for i in range(len(quote_seconds))],
        "bid_size": 0.5, "ask_size": 0.5,
    })
    signals = pd.DataFrame([
        dict(datetime=START + pd.Timedelta(seconds=s), q10=-0.01, q50=0.01, q90=0.03, side=1, prob_up=0.7, vol_risk=0.0)
        for s in signal_rows
    ])
    folder.mkdir(parents=True, exist_ok=True)
    quotes.to_parquet(folder / "quotes.parquet", index=False)
    signals.to_parquet(folder / "signals.parquet", index=False)
    return folder / "quotes.parquet", folder / "signals.parquet"


def test_a_signal_between_quotes_is_acted_on_at_its_tick_and_its_fill_is_not_skipped(tmp_path):
    quotes, signals = handmade(tmp_path / "in", [0, 900, 1800], [300])
    result = app.run(replay_options(tmp_path / "run", quotes, signals, core=HOURLY))
    events = read_journal(result.platform_dir).events
    at = {kind: int(events.loc[events["kind"] == kind, "sim_ts_ns"].iloc[0]) for kind in ("signal_received", "order_submitted", "order_filled")}
    second = NANOS_PER_SECOND
    assert at["signal_received"] == at["order_submitted"] == START.value + 300 * second  # published on its own tick
    assert at["order_filled"] == START.value + 300 * second  # no fill delay: at once, though no quote came until 900 s
    fill = events[events["kind"] == "order_filled"].iloc[0]
    assert fill["price"] == 50_001.0  # at the quote in force: the one of 0 s
    assert result.details["clock_steps"] < 10 and result.details["clock_ticks"] == 1801


def test_the_clock_steps_when_the_signal_in_force_expires(tmp_path):
    quotes, signals = handmade(tmp_path / "in", [0, 7200], [60])
    short = SignalCoreConfig(loader=LoaderParams(tolerance_ns=600 * NANOS_PER_SECOND))
    spec = with_config(replay_options(tmp_path / "run", quotes, signals, core=short), HummingbotConfig(order_type="limit", limit_offset=0.0))
    result = app.run(spec)
    events = read_journal(result.platform_dir).events
    expired = events[(events["kind"] == "signal_skipped") & (events["code"] == "expired")]
    assert list(expired["sim_ts_ns"]) == [START.value + 661 * NANOS_PER_SECOND]  # the first tick past 60 s + 10 min
