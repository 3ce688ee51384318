"""Replay: the real Hummingbot strategy on MockPaperExchange makes the trades the shared decision predicts.

Allowance, stated: ticks are as long as the quote spacing (1 s), so the strategy decides on every
quote exactly as ``reference_replay`` does; a market order fills at exactly the venue's fill delay
after submission, at the quote in force then (the matched venues' fill rule), i.e. ``reference_replay``
with the same fill delay. With that, trades must match exactly: signal, side, quantity, fill time and
fill price.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from shared_signals.contract.journal import EVENTS_PARQUET, read_journal
from shared_signals.contract.run_info import RUN_JSON
from poc_hummingbot import app
from poc_hummingbot.config import PROVIDER_DIR, SIGNAL_HISTORY, SIGNALS_DIR, HummingbotConfig
from shared_signals.contract.spec import VenueSpec
from shared_signals.config import NANOS_PER_SECOND, RiskLimits, SignalCoreConfig
from shared_signals.errors import InputError
from shared_signals.loader import load_signals
from shared_signals.quotes import iter_quote_batches
from shared_signals.reference import ReferenceVenue, reference_replay
from tests.hummingbot.conftest import replay_options, with_config


def predicted(quotes, signals, fill_delay_ns):
    return reference_replay(iter_quote_batches(quotes), load_signals(signals), SignalCoreConfig(), ReferenceVenue(fill_delay_ns))


def journal_fills(platform_dir):
    events = read_journal(platform_dir).events
    fills = events[events["kind"] == "order_filled"]
    return [
        (row.signal_id, 1 if row.side == "BUY" else -1, row.qty, int(row.sim_ts_ns), row.price, row.position_after)
        for row in fills.itertuples()
    ]


def reference_fills(trades):
    return [(t.signal_id, t.side, t.qty, t.filled_ns, t.price, t.position_after) for t in trades]


@pytest.mark.parametrize("fill_delay_s", [0.0, 2.5, 5.0])  # 2.5 s: off the 1 s tick grid, filled at 2.5 s all the same
def test_handmade_replay_matches_the_reference(tmp_path, handmade, fill_delay_s):
    quotes, signals = handmade
    result = app.run(replay_options(tmp_path, quotes, signals, venue=VenueSpec(fill_delay_s=fill_delay_s)))
    effective_ns = round(fill_delay_s * NANOS_PER_SECOND)
    expected = predicted(quotes, signals, effective_ns)
    assert [t.action for t in expected] == ["BUY", "SELL", "CLOSE"]
    assert journal_fills(result.platform_dir) == reference_fills(expected)
    assert (result.orders, result.fills, result.rejections) == (3, 3, 0)
    run_info = json.loads((result.platform_dir / RUN_JSON).read_text())
    assert run_info["venue"]["details"]["trade_execution_delay_s"] == fill_delay_s
    assert run_info["venue"]["fill_delay_ns"] == effective_ns  # what the evaluator's reference replay uses
    assert run_info["inputs"]["quotes"]["sha256"] and run_info["versions"]["hummingbot"]


def end_closes(platform_dir):
    events = read_journal(platform_dir).events
    return events[events["code"] == "end_of_run"]


@pytest.mark.parametrize("fill_delay_s", [0.0, 2.5])
def test_demo_replay_matches_the_reference_and_closes_what_is_open_at_the_end(tmp_path, small_demo, fill_delay_s):
    """The reference models no close at the end: the strategy's trades are its trades, then one close of
    the position they leave, decided at the last quote, a market order through the risk gate; it fills
    at that quote's touch when its fill time is within the data (no fill delay), and stays unfilled after
    the data (a fill delay), as on Nautilus."""
    result = app.run(replay_options(tmp_path, small_demo.quotes, small_demo.signals, venue=VenueSpec(fill_delay_s=fill_delay_s)))
    expected = predicted(small_demo.quotes, small_demo.signals, round(fill_delay_s * NANOS_PER_SECOND))
    held = expected[-1].position_after
    assert held != 0  # this demo ends with a position open
    fills = journal_fills(result.platform_dir)
    last = pd.read_parquet(small_demo.quotes).iloc[-1]
    last_ns, touch = pd.Timestamp(last["timestamp"]).value, float(last["bid_price"] if held > 0 else last["ask_price"])
    closes = end_closes(result.platform_dir)
    submitted = closes[closes["kind"] == "order_submitted"]
    assert len(submitted) == 1 and submitted["signal_id"].isna().all()
    assert (int(submitted["sim_ts_ns"].iloc[0]), float(submitted["qty"].iloc[0]), float(submitted["price"].iloc[0])) == (
        last_ns, abs(held), touch)
    if fill_delay_s:
        assert fills == reference_fills(expected) and (closes["kind"] == "order_filled").sum() == 0
    else:
        assert fills[:-1] == reference_fills(expected)
        assert fills[-1][1:] == (-1 if held > 0 else 1, abs(held), last_ns, touch, 0.0)  # flat at the end
    assert result.quotes == 7_200


def test_with_close_on_stop_false_the_position_stays_open(tmp_path, small_demo):
    spec = with_config(replay_options(tmp_path, small_demo.quotes, small_demo.signals), HummingbotConfig(close_on_stop=False))
    result = app.run(spec)
    expected = predicted(small_demo.quotes, small_demo.signals, 0)
    assert expected[-1].position_after != 0 and journal_fills(result.platform_dir) == reference_fills(expected)
    assert end_closes(result.platform_dir).empty


def test_journals_and_files_of_a_replay(tmp_path, handmade):
    quotes, signals = handmade
    result = app.run(replay_options(tmp_path, quotes, signals))
    folder = result.platform_dir
    events = read_journal(folder).events
    published = read_journal(folder / PROVIDER_DIR).events
    assert list(published["kind"].unique()) == ["signal_published"]
    assert list(published["signal_id"]) == list(events.loc[events["kind"] == "signal_received", "signal_id"])
    assert (published["sim_ts_ns"] == published["signal_id"].str.split(":").str[1].astype("int64")).all()
    sequence = events.loc[events["kind"] != "heartbeat", "kind"].tolist()
    assert sequence[:4] == ["signal_received", "decision", "order_submitted", "order_filled"]
    decisions = events[events["kind"] == "decision"]
    assert list(decisions["code"]) == ["BUY", "SELL", "CLOSE"]
    submitted = events[events["kind"] == "order_submitted"]
    assert list(submitted["price"]) == [50_021.0, 50_120.0, 50_241.0]  # the touch the order would trade at
    assert (events["kind"] == "heartbeat").any() and events["wall_ns"].notna().all()
    assert (folder / EVENTS_PARQUET).exists() and (folder / PROVIDER_DIR / EVENTS_PARQUET).exists()
    history = (folder / SIGNALS_DIR / SIGNAL_HISTORY).read_text().splitlines()
    assert [json.loads(line)["signal_id"] for line in history] == list(published["signal_id"])


def test_limit_orders_fill_at_their_price(tmp_path, handmade):
    quotes, signals = handmade
    result = app.run(with_config(replay_options(tmp_path, quotes, signals), HummingbotConfig(order_type="limit")))
    fills = read_journal(result.platform_dir).events.query("kind == 'order_filled'")
    submitted = read_journal(result.platform_dir).events.query("kind == 'order_submitted'")
    assert len(fills) == 3
    for touch, side, price in zip(submitted["price"], fills["side"], fills["price"]):
        offset = 1.001 if side == "BUY" else 0.999
        assert price == pytest.approx(touch * offset, abs=0.01)


def test_bad_input_is_an_input_error_before_any_journal(tmp_path, handmade):
    quotes, _ = handmade
    bad = tmp_path / "signals.csv"
    bad.write_text("datetime,q10,q50,q90\n2025-01-06 00:00:05,0.05,0.01,0.03\n")
    with pytest.raises(InputError, match="q10 > q50"):
        app.run(replay_options(tmp_path / "run", quotes, bad))
    assert not (tmp_path / "run").exists()


def test_risk_refusals_never_reach_the_venue_and_are_journaled_once(tmp_path, handmade):
    quotes, signals = handmade
    core = SignalCoreConfig(risk=RiskLimits(max_order_notional=1_000.0))
    result = app.run(replay_options(tmp_path, quotes, signals, core=core))
    events = read_journal(result.platform_dir).events
    rejected = events[events["kind"] == "order_rejected"]
    assert (result.orders, result.fills) == (0, 0) and result.rejections == 2
    assert list(rejected["signal_id"]) == list(events.loc[events["kind"] == "signal_received", "signal_id"])[:2]
    assert (rejected["code"] == "max_order_notional").all() and list(rejected["side"]) == ["BUY", "SELL"]


@pytest.mark.parametrize("value", ["no", 0, 1, None])
def test_close_on_stop_is_true_or_false_and_nothing_else(value):
    with pytest.raises(InputError, match="HummingbotConfig.close_on_stop"):
        HummingbotConfig.from_dict({"close_on_stop": value})
    assert HummingbotConfig.from_dict({"close_on_stop": False}).close_on_stop is False
