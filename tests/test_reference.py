"""Reference replay and the shared runner on hand-made inputs with known answers."""

import pandas as pd
import pytest

from shared_signals.config import NANOS_PER_SECOND, ExitParams, LoaderParams, RiskLimits, SignalCoreConfig
from shared_signals.reference import ReferenceVenue, reference_replay
from shared_signals.runner import SignalRunner
from shared_signals.table import SignalTable

START = pd.Timestamp("2025-01-06", tz="UTC")


def quotes(seconds=20):
    index = pd.DatetimeIndex([START + pd.Timedelta(seconds=s) for s in range(seconds)], name="timestamp")
    bid = [50_000.0 + 10 * s for s in range(seconds)]
    return pd.DataFrame({"bid_price": bid, "ask_price": [b + 1 for b in bid], "bid_size": 1.0, "ask_size": 1.0}, index=index)


def signals():
    rows = {  # second: (q10, q50, q90, side, prob_up)
        2: (-0.01, 0.01, 0.03, 1, 0.7),
        8: (-0.03, -0.01, 0.01, 0, 0.3),
        14: (-0.01, 0.0, 0.01, -1, 0.5),
    }
    index = pd.DatetimeIndex([START + pd.Timedelta(seconds=s) for s in rows], name="datetime")
    frame = pd.DataFrame(
        [dict(q10=a, q50=b, q90=c, side=d, prob_up=e, vol_risk=0.0, tier_confidence=5.0, fg_index=50.0,
              vol_scaled=0.5, signal_rel=0.1, regime_volatility="medium", vol_decile=0) for a, b, c, d, e in rows.values()],
        index=index,
    )
    return SignalTable("BTCUSDT", frame)


def test_immediate_fills_at_the_touch():
    trades = reference_replay([quotes()], signals())
    assert [(t.action, t.side) for t in trades] == [("BUY", 1), ("SELL", -1), ("CLOSE", 1)]
    buy, sell, close = trades
    assert buy.filled_ns == buy.decided_ns == (START + pd.Timedelta(seconds=2)).value
    assert buy.price == 50_021.0 and buy.qty == pytest.approx(0.19991)  # 10% of 100k / 50,021
    assert sell.price == 50_080.0 and sell.qty == pytest.approx(0.19991 + 0.19968)
    assert close.qty == pytest.approx(0.19968) and close.position_after == 0.0


def test_fill_delay_moves_fills_and_blocks_new_orders():
    trades = reference_replay([quotes()], signals(), venue=ReferenceVenue(fill_delay_ns=3 * NANOS_PER_SECOND))
    assert [round((t.filled_ns - t.decided_ns) / NANOS_PER_SECOND) for t in trades] == [3, 3, 3]
    assert trades[0].price == 50_051.0  # the ask three seconds later


def test_stale_signal_never_trades():
    config = SignalCoreConfig(loader=LoaderParams(tolerance_ns=NANOS_PER_SECOND // 2))
    only_late = quotes()[lambda q: q.index > START + pd.Timedelta(seconds=15)]
    assert reference_replay([only_late], signals(), config) == []


def test_refused_orders_never_fill_and_are_reported_once():
    config = SignalCoreConfig(risk=RiskLimits(max_order_notional=1_000.0))
    assert reference_replay([quotes()], signals(), config) == []
    runner = SignalRunner(config)
    signal = signals().signal(0)
    first = runner.step(signal.ts_ns, 50_000.0, 50_001.0, signal, 0.0, 100_000.0)
    again = runner.step(signal.ts_ns + 1, 50_000.0, 50_001.0, signal, 0.0, 100_000.0)
    assert not first.submit and first.first_refusal and "notional" in first.verdict.reason
    assert not again.submit and not again.first_refusal
    assert first.new_signal and not again.new_signal


def test_a_refusal_is_reported_once_though_its_figures_move_with_the_price():
    runner = SignalRunner(SignalCoreConfig(risk=RiskLimits(max_order_notional=1_000.0)))
    signal = signals().signal(0)
    steps = [runner.step(signal.ts_ns + i, 50_000.0 + i, 50_001.0 + i, signal, 0.0, 100_000.0) for i in range(3)]
    assert len({s.verdict.reason for s in steps}) == 3
    assert [s.first_refusal for s in steps] == [True, False, False]
    assert steps[0].verdict.rule == "max_order_notional"


def test_repeated_holds_are_the_same_step_and_never_hide_a_change():
    runner = SignalRunner(SignalCoreConfig())
    signal = signals().signal(2)  # a hold signal
    first = runner.step(signal.ts_ns, 50_000.0, 50_001.0, signal, 0.0, 100_000.0)
    again = runner.step(signal.ts_ns + 1, 49_000.0, 49_001.0, signal, 0.0, 100_000.0)
    assert first.new_signal and not again.new_signal and again.decision == first.decision
    moved = runner.step(signal.ts_ns + 2, 49_000.0, 49_001.0, signal, 0.3, 100_000.0)
    assert moved.decision.action.value == "CLOSE"
    stale = runner.step(signal.ts_ns + 10**12, 49_000.0, 49_001.0, signal, 0.0, 100_000.0)
    assert stale.signal is None and stale.decision.reason == "no signal in force"


def test_only_new_signals_orders_sent_and_first_refusals_are_journaled():
    runner = SignalRunner(SignalCoreConfig(risk=RiskLimits(max_order_notional=1_000.0)))
    signal = signals().signal(0)
    steps = [runner.step(signal.ts_ns + i, 50_000.0, 50_001.0, signal, 0.0, 100_000.0) for i in range(3)]
    assert [s.journal_decision for s in steps] == [True, False, False]  # refused again on every quote, journaled once


def test_a_signal_the_platform_refused_is_no_longer_in_force():
    runner = SignalRunner(SignalCoreConfig())
    signal = signals().signal(0)
    assert runner.step(signal.ts_ns, 50_000.0, 50_001.0, signal, 0.0, 100_000.0).submit
    runner.refused_by_platform(signal.signal_id)
    after = runner.step(signal.ts_ns + 1, 50_000.0, 50_001.0, signal, 0.0, 100_000.0)
    assert after.signal is None and not after.submit and after.decision.reason == "no signal in force"


def test_close_at_stop_goes_through_the_gate_and_holds_when_flat():
    runner = SignalRunner(SignalCoreConfig(risk=RiskLimits(max_order_notional=10_000.0)))
    flat = runner.close(0, 50_000.0, 50_001.0, 0.000004, 100_000.0, "stop")
    assert flat.verdict is None and flat.decision.reason == "already flat"
    close = runner.close(1, 50_000.0, 50_001.0, 0.1, 100_000.0, "stop")
    assert close.submit and close.decision.side == -1 and close.decision.order_qty == 0.1 and close.price == 50_000.0
    too_big = runner.close(2, 50_000.0, 50_001.0, -0.5, 100_000.0, "stop")
    assert not too_big.submit and too_big.price == 50_001.0 and "notional" in too_big.verdict.reason


def test_a_time_limit_between_quotes_closes_at_its_deadline_on_the_quote_in_force():
    """Sparse quotes (every 5 s): the platforms' clocks stop at the deadline, so does the reference."""
    sparse = quotes()[lambda q: q.index.second % 5 == 0]
    one_signal = SignalTable("BTCUSDT", signals().frame.iloc[:1])
    config = SignalCoreConfig(exits=ExitParams(time_limit_s=3.0))
    for delay_s, close_bid in ((0, 50_050.0), (1, 50_100.0)):
        entry, close = reference_replay([sparse], one_signal, config, ReferenceVenue(fill_delay_ns=delay_s * NANOS_PER_SECOND))[:2]
        assert entry.filled_ns == (START + pd.Timedelta(seconds=5 + delay_s)).value
        assert close.cause == "time_limit" and close.decided_ns == entry.filled_ns + 3 * NANOS_PER_SECOND
        assert close.filled_ns == close.decided_ns + delay_s * NANOS_PER_SECOND
        assert close.price == close_bid  # the bid in force at the fill: 5 s's quote at 8 s, 10 s's at 10 s
