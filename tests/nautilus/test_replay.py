"""Replay mode on a real BacktestEngine: the trades the shared decision predicts, deterministically."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from poc_nautilus import app
from poc_nautilus.config import Q50StrategyConfig
from poc_nautilus.reports import REPORT_FILES, STATISTICS_FILE
from shared_signals.config import (
    NANOS_PER_SECOND,
    DecisionParams,
    LoaderParams,
    ProbabilityParams,
    RiskLimits,
    SignalCoreConfig,
    SizingParams,
)
from shared_signals.loader import load_signals
from shared_signals.quotes import iter_quote_batches
from shared_signals.reference import reference_replay
from tests.nautilus.conftest import hand_quotes, hand_signals, journal, kinds, options, write_inputs

ONE_QUOTE_NS = NANOS_PER_SECOND
JOURNAL_COLUMNS = ["kind", "signal_id", "sim_ts_ns", "side", "qty", "price", "position_after", "reason", "fee"]


def expected_trades(inputs, core=SignalCoreConfig()):
    return reference_replay(iter_quote_batches(inputs.quotes), load_signals(inputs.signals, loader_params=core.loader), core)


def signal_fills(events: pd.DataFrame) -> pd.DataFrame:
    fills = kinds(events, "order_filled")
    return fills[fills["signal_id"].notna()].reset_index(drop=True)


def assert_same_trades(events: pd.DataFrame, expected) -> None:
    fills = signal_fills(events)
    assert len(fills) == len(expected) > 0
    for fill, trade in zip(fills.itertuples(), expected):
        assert fill.signal_id == trade.signal_id
        assert fill.side == {1: "BUY", -1: "SELL"}[trade.side]
        assert fill.qty == pytest.approx(trade.qty, abs=1e-9)
        assert abs(fill.sim_ts_ns - trade.filled_ns) <= ONE_QUOTE_NS
        assert fill.position_after == pytest.approx(trade.position_after, abs=1e-9)


def test_demo_replay_makes_exactly_the_reference_trades(tmp_path, small_demo):
    result = app.run(options(small_demo, tmp_path / "run"))
    events = journal(tmp_path / "run")
    assert_same_trades(events, expected_trades(small_demo))
    assert result.quotes == len(pd.read_parquet(small_demo.quotes))
    assert result.fills == len(kinds(events, "order_filled")) and kinds(events, "error").empty
    nautilus_fills = pd.read_csv(tmp_path / "run" / "nautilus" / REPORT_FILES["fills"])
    assert len(nautilus_fills) == result.fills


def test_hand_made_buy_sell_close_at_the_touch(tmp_path, hand_inputs):
    app.run(options(hand_inputs, tmp_path / "run"))
    events = journal(tmp_path / "run")
    expected = expected_trades(hand_inputs)
    assert [t.action for t in expected] == ["BUY", "SELL", "CLOSE"]
    assert_same_trades(events, expected)
    fills = signal_fills(events)
    assert list(fills["price"]) == [t.price for t in expected]
    assert (fills["fee"] > 0).all()
    decisions = kinds(events, "decision")
    assert list(decisions["code"]) == ["BUY", "SELL", "CLOSE"]
    assert list(kinds(events, "signal_received")["signal_id"]) == list(fills["signal_id"])


def test_every_journal_event_follows_its_cause(tmp_path, hand_inputs):
    app.run(options(hand_inputs, tmp_path / "run"))
    events = journal(tmp_path / "run")
    assert list(events["seq"]) == list(range(1, len(events) + 1))
    for signal_id, rows in events[events["signal_id"].notna()].groupby("signal_id"):
        order = list(rows["kind"])
        assert order[:5] == ["signal_received", "decision", "order_submitted", "order_accepted", "order_filled"], signal_id
    folder = tmp_path / "run" / "nautilus"
    for name in (*REPORT_FILES.values(), STATISTICS_FILE, "events.parquet", "run.json"):
        assert (folder / name).exists(), name
    assert len(pd.read_parquet(folder / "events.parquet")) == len(events)


def test_open_position_is_closed_on_stop(tmp_path):
    inputs = write_inputs(tmp_path / "inputs", hand_quotes(), hand_signals({2: (-0.01, 0.01, 0.03, 1, 0.7)}))
    app.run(options(inputs, tmp_path / "run"))
    events = journal(tmp_path / "run")
    fills = kinds(events, "order_filled")
    assert list(fills["side"]) == ["BUY", "SELL"]
    assert fills["signal_id"].iloc[1] is None or pd.isna(fills["signal_id"].iloc[1])
    assert fills["qty"].iloc[0] == fills["qty"].iloc[1] and fills["position_after"].iloc[-1] == 0.0
    last = kinds(events, "decision").iloc[-1]
    assert last["code"] == "CLOSE" and last["reason"].startswith("strategy stopping")


def test_same_inputs_same_journal(tmp_path, small_demo):
    runs = []
    for name in ("a", "b"):
        app.run(options(small_demo, tmp_path / name))
        events = journal(tmp_path / name)
        runs.append(events[events["kind"] != "heartbeat"][JOURNAL_COLUMNS].reset_index(drop=True))
    pd.testing.assert_frame_equal(runs[0], runs[1])


def test_a_signal_older_than_the_tolerance_never_trades(tmp_path):
    late_quotes = hand_quotes()[lambda q: q["timestamp"] >= q["timestamp"].iloc[10]]
    inputs = write_inputs(tmp_path / "inputs", late_quotes, hand_signals({0: (-0.01, 0.01, 0.03, 1, 0.7)}))
    stale = SignalCoreConfig(loader=LoaderParams(tolerance_ns=5 * NANOS_PER_SECOND))
    result = app.run(options(inputs, tmp_path / "stale", core=stale))
    events = journal(tmp_path / "stale")
    assert result.orders == 0 and kinds(events, "signal_received", "decision", "order_submitted", "order_filled").empty
    in_force = SignalCoreConfig(loader=LoaderParams(tolerance_ns=60 * NANOS_PER_SECOND))
    app.run(options(inputs, tmp_path / "fresh", core=in_force))
    assert len(signal_fills(journal(tmp_path / "fresh"))) == 1


def test_an_order_over_a_risk_limit_is_journaled_and_never_reaches_the_venue(tmp_path, hand_inputs):
    capped = SignalCoreConfig(risk=RiskLimits(max_order_notional=1_000.0))
    result = app.run(options(hand_inputs, tmp_path / "run", core=capped))
    events = journal(tmp_path / "run")
    rejected = kinds(events, "order_rejected")
    assert len(rejected) == 2 and rejected["signal_id"].is_unique
    assert (rejected["code"] == "max_order_notional").all() and rejected["reason"].str.contains("notional").all()
    assert result.rejections == 2 and result.orders == 0
    assert kinds(events, "order_submitted", "order_filled").empty
    folder = tmp_path / "run" / "nautilus"
    for report in ("orders", "fills"):
        assert pd.read_csv(folder / REPORT_FILES[report]).empty


def test_an_order_nautilus_denies_is_journaled_once_and_not_resent(tmp_path, hand_inputs):
    below_min_notional = SignalCoreConfig(decision=DecisionParams(sizing=SizingParams(capital=50.0)))
    result = app.run(options(hand_inputs, tmp_path / "run", core=below_min_notional))
    events = journal(tmp_path / "run")
    rejected = kinds(events, "order_rejected")
    assert len(rejected) == len(kinds(events, "order_submitted")) == 2 and rejected["signal_id"].is_unique
    assert (rejected["code"] == "platform_denied").all()
    assert rejected["reason"].str.contains("RiskEngine denied: NOTIONAL_LESS_THAN_MIN").all()
    assert result.fills == 0 and kinds(events, "order_filled").empty
    orders = pd.read_csv(tmp_path / "run" / "nautilus" / REPORT_FILES["orders"])
    assert list(orders["status"]) == ["DENIED", "DENIED"]


def test_the_whole_core_config_reaches_the_strategy_and_run_json(tmp_path, small_demo):
    core = SignalCoreConfig(
        decision=DecisionParams(sizing=SizingParams(method="target_pct")),
        probability=ProbabilityParams(target_pct_min=0.003, target_pct_max=0.003),
        loader=LoaderParams(duplicates="last"),
    )
    config = app.strategy_config(options(small_demo, tmp_path, core=core))
    assert Q50StrategyConfig.parse(config.json()).core == core
    app.run(options(small_demo, tmp_path, core=core))
    assert_same_trades(journal(tmp_path), expected_trades(small_demo, core))
    recorded = json.loads((tmp_path / "nautilus" / "run.json").read_text())["platform"]["strategy_config"]["core"]
    assert recorded["probability"]["target_pct_max"] == 0.003 and recorded["loader"]["duplicates"] == "last"


def test_replay_journals_wall_clock_heartbeats_between_batches(tmp_path, small_demo):
    app.run(options(small_demo, tmp_path, heartbeat_s=0.001))
    beats = kinds(journal(tmp_path), "heartbeat")
    assert len(beats) >= 2  # one after the (single) quote batch, one at stop
    assert beats["sim_ts_ns"].notna().all()
