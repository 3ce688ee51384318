"""Metrics on hand-made journals whose answers are worked out by hand."""

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from shared_signals.contract.codes import INTERRUPTED_REASON
from evaluator.analysis.columns import column_memory
from evaluator.analysis.metrics.accuracy import execution_accuracy
from evaluator.analysis.metrics.agreement import agreement
from evaluator.analysis.metrics.latency import signal_latencies, summarize
from evaluator.analysis.metrics.resources import resource_use
from evaluator.analysis.metrics.scalability import scalability
from evaluator.analysis.metrics.soak import soak_figures
from evaluator.analysis.metrics.stability import stability
from evaluator.analysis.metrics.trading import trading_results
from evaluator.report.markdown import difference_detail
from evaluator.settings import load_settings
from tests.evaluator.journals import MS, S, events, fill

HOUR = 3600 * S


def difference_row(result, signal_id):
    """The agreement's difference for ``signal_id``, as the report reads it."""
    (row,) = result.differences[result.differences["signal_id"] == signal_id].itertuples()
    return row


def test_latency_starts_at_the_strategy_s_receipt_on_every_platform_and_runs_in_both_clocks():
    """A provider's publication is the transport's stage, not the start: every platform's processing
    latency starts at its ``signal_received``; market time starts at the signal's own time."""
    journal = events(
        dict(kind="signal_received", signal_id="a", wall_ns=1000 * MS, sim_ts_ns=100 * S),
        dict(kind="order_submitted", signal_id="a", wall_ns=1002 * MS, sim_ts_ns=100 * S),
        fill("a", "BUY", 0.1, 100.0, 0.1, 101 * S, wall_ns=1005 * MS),
        dict(kind="signal_published", signal_id="b", wall_ns=2000 * MS),
        dict(kind="signal_received", signal_id="b", wall_ns=2008 * MS, sim_ts_ns=200 * S),
        dict(kind="order_submitted", signal_id="b", wall_ns=2010 * MS, sim_ts_ns=201 * S),
        dict(kind="order_submitted", signal_id="b", wall_ns=2050 * MS, sim_ts_ns=202 * S),
        dict(kind="signal_received", signal_id="c", wall_ns=3000 * MS, sim_ts_ns=300 * S),
    )
    schedule = pd.DataFrame({"signal_id": ["a", "b", "c"], "ts_ns": [99 * S, 200 * S, 300 * S]})
    table = signal_latencies(journal, schedule)
    assert list(table.index) == ["a", "b"]
    assert list(table["to_order_ms"]) == [2.0, 2.0]
    assert table.loc["a", "to_fill_ms"] == 5.0 and math.isnan(table.loc["b", "to_fill_ms"])
    assert list(table["market_to_order_ms"]) == [1_000.0, 1_000.0]
    assert table.loc["a", "market_to_fill_ms"] == 2_000.0 and math.isnan(table.loc["b", "market_to_fill_ms"])
    stats = summarize(pd.Series([2.0, 10.0]))
    assert (stats.count, stats.p50_ms, stats.max_ms) == (2, 6.0, 10.0)
    assert stats.p99_ms == pytest.approx(2 + 0.99 * 8)


def test_accuracy_against_the_reference():
    reference = pd.DataFrame(
        [
            dict(decided_ns=1 * S, filled_ns=1 * S, signal_id="a", action="BUY", side=1, qty=0.2, price=100.0, position_after=0.2),
            dict(decided_ns=5 * S, filled_ns=5 * S, signal_id="b", action="SELL", side=-1, qty=0.4, price=101.0, position_after=-0.2),
            dict(decided_ns=9 * S, filled_ns=9 * S, signal_id="c", action="CLOSE", side=1, qty=0.2, price=102.0, position_after=0.0),
            dict(decided_ns=20 * S, filled_ns=20 * S, signal_id="d", action="BUY", side=1, qty=0.2, price=102.0, position_after=0.2),
        ]
    )
    journal = events(
        fill("a", "BUY", 0.2, 100.0, 0.2, 1 * S),
        fill("b", "SELL", 0.3, 101.0, -0.1, 5 * S),  # partial: 0.3 of 0.4
        fill("c", "BUY", 0.1, 102.0, 0.0, 9 * S),  # size differs, but ends flat like the reference
        dict(kind="heartbeat", sim_ts_ns=12 * S),
    )
    result = execution_accuracy(journal, reference, horizon_ns=12 * S)  # d is beyond what the platform reached
    assert (result.actionable, result.executed_as_intended) == (3, 1)
    assert (result.position_checks, result.position_matches) == (3, 2)
    assert [m["signal_id"] for m in result.mismatches] == ["b", "c"]


def test_a_platform_that_fills_its_own_later_decision_is_filled_as_decided():
    """Decided a tick later, at another price, so sized 30 steps apart from the reference: that is its
    decision time, shown as 'traded as the reference', not an execution failure. A partial fill is one."""
    reference = pd.DataFrame([
        dict(decided_ns=1 * S, filled_ns=1 * S, signal_id="a", action="BUY", side=1, qty=0.1234, price=100.0, position_after=0.1234),
        dict(decided_ns=5 * S, filled_ns=5 * S, signal_id="b", action="SELL", side=-1, qty=0.1234, price=100.0, position_after=0.0),
    ])
    journal = events(
        dict(kind="order_submitted", signal_id="a", side="BUY", qty=0.1231, sim_ts_ns=61 * S),
        fill("a", "BUY", 0.1231, 100.3, 0.1231, 62 * S),
        dict(kind="order_submitted", signal_id="b", side="SELL", qty=0.1231, sim_ts_ns=65 * S),
        fill("b", "SELL", 0.1, 100.0, 0.0231, 66 * S),
    )
    result = execution_accuracy(journal, reference, horizon_ns=100 * S)
    assert (result.decided, result.filled_as_decided, result.decided_share) == (2, 1, 0.5)
    assert (result.actionable, result.executed_as_intended) == (2, 0)


def test_the_position_path_is_checked_after_every_trade_of_either_side():
    """A signal the platform did not fill is no mismatch when its position is still the reference's
    (the older check counted it as one); a trade the reference never made is checked as well."""
    reference = pd.DataFrame([
        dict(decided_ns=1 * S, filled_ns=1 * S, signal_id="a", action="BUY", side=1, qty=0.2, price=100.0, position_after=0.2),
        dict(decided_ns=5 * S, filled_ns=5 * S, signal_id="b", action="BUY", side=1, qty=0.0, price=101.0, position_after=0.2),
        dict(decided_ns=9 * S, filled_ns=9 * S, signal_id="c", action="SELL", side=-1, qty=0.2, price=102.0, position_after=0.0),
    ])
    journal = events(
        fill("a", "BUY", 0.2, 100.0, 0.2, 1 * S),  # b: no fill, and none due (a zero-size top-up): position 0.2 either way
        fill("x", "BUY", 0.1, 101.5, 0.3, 7 * S),  # a trade of its own: 0.3 against the reference's 0.2
        fill("c", "SELL", 0.2, 102.0, 0.1, 9 * S),  # carries x's extra: 0.1 against 0.0
    )
    result = execution_accuracy(journal, reference, horizon_ns=12 * S)
    assert (result.position_checks, result.position_matches) == (4, 2)  # a and b match; x and c do not


def test_agreement_classifies_each_difference():
    first = events(
        fill("a", "BUY", 0.2, 100.0, 0.2, 1 * S),
        fill("b", "SELL", 0.40000, 101.0, -0.2, 5 * S),
        fill("c", "BUY", 0.2, 102.0, 0.0, 9 * S),
        fill("d", "BUY", 0.1, 102.0, 0.1, 11 * S),
    )
    second = events(
        fill("a", "BUY", 0.2, 100.5, 0.2, 6 * S),
        fill("b", "SELL", 0.40003, 101.0, -0.2, 10 * S),
        fill("c", "BUY", 0.5, 102.0, 0.3, 14 * S),
        dict(kind="signal_skipped", code="stale", signal_id="d", reason="stale: 400 s old"),
    )
    result = agreement(("nautilus", "hummingbot"), first, second)
    assert (result.compared, result.agreeing) == (4, 1)
    causes = dict(zip(result.differences["signal_id"], result.differences["cause"]))
    assert causes == {"b": "rounding", "c": "size", "d": "not traded"}
    assert (result.first, result.second) == ("nautilus", "hummingbot")
    d = difference_row(result, "d")
    assert (d.untraded_by, d.account_kind, d.account_code, d.account_reason) == ("hummingbot", "signal_skipped", "stale", "stale: 400 s old")
    assert difference_detail(d, "nautilus", "hummingbot") == "hummingbot: signal_skipped stale: stale: 400 s old"
    c = difference_row(result, "c")
    assert (c.qty_first, c.qty_second) == pytest.approx((0.2, 0.5))
    assert list(result.fill_delay_s) == [5.0]


def test_agreement_reads_the_record_that_decided_and_counts_whole_steps():
    """A HOLD followed by an expiry skip was not traded because of the HOLD; a difference of exactly
    five quantity steps is rounding (a float bound once called it size), six is size."""
    first = events(
        fill("e", "SELL", 0.3, 100.0, -0.3, 1 * S),
        fill("f", "BUY", 0.12345, 100.0, -0.17655, 2 * S),
        fill("g", "BUY", 0.12345, 100.0, -0.05310, 3 * S),
    )
    second = events(
        dict(kind="decision", code="HOLD", signal_id="e", reason="HOLD: already short"),
        dict(kind="signal_skipped", code="expired", signal_id="e", reason="expired: is the provider silent?"),
        fill("f", "BUY", 0.12340, 100.0, -0.1766, 2 * S),
        fill("g", "BUY", 0.12339, 100.0, -0.0532, 3 * S),
    )
    result = agreement(("nautilus", "hummingbot"), first, second)
    details = result.differences.set_index("signal_id")
    e = difference_row(result, "e")
    assert (e.cause, e.untraded_by, e.account_kind, e.account_code, e.account_reason) == (
        "not traded", "hummingbot", "decision", "HOLD", "HOLD: already short")
    assert difference_detail(e, "nautilus", "hummingbot") == "hummingbot: decided HOLD: HOLD: already short"
    assert details.at["f", "cause"] == "rounding" and details.at["g", "cause"] == "size"


def test_a_size_that_follows_a_later_decision_price_is_named_so():
    """Hummingbot live decides on its tick, a minute of market time later at speed 60: three steps
    apart is its decision price, not rounding."""
    first = events(dict(kind="decision", signal_id="h", side="BUY", qty=0.01671, price=59_850.0),
                   fill("h", "BUY", 0.01671, 59_850.0, 0.01671, 1 * S))
    second = events(dict(kind="decision", signal_id="h", side="BUY", qty=0.01668, price=59_960.0),
                    fill("h", "BUY", 0.01668, 59_960.0, 0.01668, 61 * S))
    result = agreement(("nautilus", "hummingbot"), first, second)
    row = difference_row(result, "h")
    assert row.cause == "decision price" and (row.price_first, row.price_second) == (59_850.0, 59_960.0)
    assert (row.qty_first, row.qty_second) == pytest.approx((0.01671, 0.01668))
    assert "decided at 59850 and 59960" in difference_detail(row, "nautilus", "hummingbot")


def test_a_close_decided_at_the_same_quote_differs_by_its_size_not_its_decision_price():
    """The live run's close: both decided at the quote whose mid is 59078.61, one platform's mid
    computed in another order of operations (59078.61000000001); the sizes differ because the
    positions they close did."""
    first = events(dict(kind="decision", signal_id="c", side="BUY", qty=0.02, price=59_078.61000000001),
                   fill("c", "BUY", 0.02, 59_079.0, 0.0, 1 * S))
    second = events(dict(kind="decision", signal_id="c", side="BUY", qty=0.03, price=59_078.61),
                    fill("c", "BUY", 0.03, 59_079.0, 0.0, 1 * S))
    assert difference_row(agreement(("nautilus", "hummingbot"), first, second), "c").cause == "size"


def test_trading_results_by_hand():
    marks = pd.DataFrame({"ts_ns": [0, HOUR, 2 * HOUR, 3 * HOUR], "mid": [100.0, 110.0, 105.0, 120.0]})
    journal = events(
        fill("a", "BUY", 1.0, 100.0, 1.0, 0, fee=0.1),
        fill("b", "SELL", 1.0, 105.0, 0.0, 2 * HOUR, fee=0.1),
    )
    result = trading_results(journal, marks, capital=1000.0)
    assert result.pnl == pytest.approx(5.0 - 0.2)
    assert result.return_pct == pytest.approx(0.48) and result.gross_return_pct == pytest.approx(0.5)
    assert result.trades == 2 and result.fees == pytest.approx(0.2)
    assert list(result.equity["equity"]) == pytest.approx([999.9, 1009.9, 1004.8, 1004.8])
    assert result.max_drawdown_pct == pytest.approx(100 * (1009.9 - 1004.8) / 1009.9)
    returns = np.array([1009.9 / 999.9 - 1, 1004.8 / 1009.9 - 1, 0.0])
    assert result.sharpe == pytest.approx(returns.mean() / returns.std(ddof=1) * math.sqrt(24 * 365))


def test_cpu_and_peaks():
    samples = pd.DataFrame(
        {"wall_ns": [0, HOUR // 2, HOUR, 2 * HOUR], "rss_mb": [100.0, 105.0, 110.0, 120.0], "cpu_pct": [0.0, 30.0, 20.0, 40.0],
         "threads": [4, 5, 5, 4], "open_files": [10, 12, 11, 10], "processes": [1, 1, 1, 1]}
    )
    use = resource_use(samples)
    assert (use.mean_cpu_pct, use.peak_cpu_pct, use.peak_rss_mb, use.peak_threads) == (30.0, 40.0, 120.0, 5)  # psutil's first 0.0 left out


def test_scalability_counts_the_strategy_s_events_not_its_provider_s():
    journal = events(
        *(dict(kind="signal_published", component="provider", signal_id=f"p{i}", wall_ns=i * S) for i in range(6)),
        dict(kind="signal_received", component="strategy", signal_id="a", wall_ns=0),
        dict(kind="signal_received", component="strategy", signal_id="b", wall_ns=60 * S),
    )
    figures = scalability(journal, {"quotes": 10, "wall_s": 2.0})
    assert figures.events_per_s == 1.0 and figures.signals_per_min == 2.0


def test_soak_figures_per_hour():
    journal = events(
        dict(kind="signal_received", signal_id="a", sim_ts_ns=10 * S, wall_ns=1 * S),
        dict(kind="order_submitted", signal_id="a", sim_ts_ns=10 * S, wall_ns=1 * S),
        dict(kind="order_submitted", signal_id="a", sim_ts_ns=20 * S, wall_ns=2 * S),
        dict(kind="signal_received", signal_id="b", sim_ts_ns=HOUR + 5 * S, wall_ns=3 * S),
        dict(kind="heartbeat", sim_ts_ns=HOUR + 6 * S, wall_ns=0),
        dict(kind="heartbeat", wall_ns=10 * S),
        dict(kind="heartbeat", wall_ns=40 * S),
        dict(kind="error", wall_ns=41 * S),
    )
    schedule = pd.DataFrame({"ts_ns": [0, 10 * S, 30 * S, HOUR + 5 * S, 2 * HOUR]})
    figures = soak_figures(journal, schedule, 10.0, 2.0)

    assert figures.hourly.to_dict("list") == {
        "hour": [0, 1],
        "scheduled": [3, 1],
        "received": [1, 1],
        "acted_on": [1, 0],
        "errors": [1, 0],
        "heartbeat_gaps": [1, 0],
    }


def test_a_soak_judges_memory_after_its_warm_up_against_its_own_threshold():
    settings = load_settings()
    settings = replace(settings, soak=replace(settings.soak, warmup_s=60.0, max_rss_slope_mb_per_h=12.0))
    hours = np.arange(0, 2 * HOUR + 1, HOUR // 6)
    resources = pd.DataFrame({"wall_ns": np.concatenate([[0], 60 * S + hours]),
                              "rss_mb": np.concatenate([[900.0], 100.0 + 10.0 * hours / HOUR])})
    memory = column_memory(resources, settings, pace=4.0, soaked=True)  # the 900 MB start-up sample is left out
    assert memory.per_wall_hour.slope == pytest.approx(10.0) and memory.per_market_hour.slope == pytest.approx(2.5)
    assert memory.samples == 13 and memory.verdict == "stable" and memory.threshold_mb_per_h == 12.0
    strict = replace(settings, soak=replace(settings.soak, max_rss_slope_mb_per_h=2.0))
    assert column_memory(resources, strict, pace=4.0, soaked=True).verdict == "growing"
    whole_run = column_memory(resources, settings, pace=4.0, soaked=False)  # not a soak: every sample, the success threshold
    assert whole_run.samples == 14 and whole_run.threshold_mb_per_h == settings.success.max_rss_slope_mb_per_h
    too_short = column_memory(resources.iloc[:3], settings, pace=1.0, soaked=True)
    assert too_short.verdict == "not enough data" and too_short.samples == 2


def test_stability_counts():
    journal = events(
        dict(kind="heartbeat", wall_ns=0), dict(kind="heartbeat", wall_ns=1 * S), dict(kind="heartbeat", wall_ns=5 * S),
        dict(kind="heartbeat", wall_ns=6 * S), dict(kind="error", code="handler_failed", reason="boom"),
        dict(kind="signal_skipped", code="stale", reason="old"), dict(kind="signal_skipped", code="duplicate", reason="seen"),
        dict(kind="signal_skipped", code="stale", reason="older"),
        dict(kind="signal_skipped", code="out_of_order", reason="out of order: not newer than x"),
        dict(kind="order_rejected", code="max_orders_per_minute", reason="order rate"),
    )
    result = stability(journal, {"returncode": -9}, None, torn_lines=1, heartbeat_s=1.0, gap_factor=3.0)
    assert result.crashed and result.exit_code == -9 and not result.completed
    assert (result.errors, result.rejections, result.torn_lines) == (1, 1, 1)
    assert result.skipped == {"duplicate": 1, "out_of_order": 1, "stale": 2}  # the code, never the words
    assert result.rejections_by_kind == {"max_orders_per_minute": 1} and result.errors_by_kind == {"handler_failed": 1}
    assert (result.heartbeats, result.heartbeat_gaps, result.longest_heartbeat_gap_s) == (4, 1, 4.0)


def test_a_run_shorter_than_one_gap_measures_no_heartbeat_gaps():
    """A replay of 2 wall seconds writes its heartbeats near the end: "no gap" would be empty evidence."""
    journal = events(dict(kind="heartbeat", wall_ns=int(1.9 * S)), dict(kind="heartbeat", wall_ns=2 * S), dict(kind="decision", wall_ns=0))
    result = stability(journal, {"returncode": 0}, {}, torn_lines=0, heartbeat_s=1.0, gap_factor=3.0)
    assert result.heartbeats == 2 and result.heartbeat_gaps is None


def test_a_platform_the_user_stopped_did_not_crash():
    journal = events(dict(kind="error", code="handler_failed", reason="boom"), dict(kind="error", code="interrupted", reason=INTERRUPTED_REASON))
    stopped = stability(journal, {"returncode": 130, "stopped_by_user": True}, None, torn_lines=0, heartbeat_s=1.0, gap_factor=3.0)
    assert stopped.stopped_by_user and not stopped.crashed and stopped.exit_code == 130
    assert stopped.errors == 1 and stopped.error_samples == ["boom"]  # the stop itself is not the platform's error
    assert stopped.errors_by_kind == {"handler_failed": 1, "interrupted": 1}  # but it is counted as what it was
    crashed = stability(journal, {"returncode": 130}, None, torn_lines=0, heartbeat_s=1.0, gap_factor=3.0)
    assert crashed.crashed and not crashed.stopped_by_user


def test_the_signal_rate_a_live_run_offered_comes_from_the_schedule_over_the_covered_market_time():
    from types import SimpleNamespace

    from evaluator.analysis.criteria import offered_per_min

    journal = events(
        dict(kind="heartbeat", sim_ts_ns=0, wall_ns=0),
        dict(kind="heartbeat", sim_ts_ns=HOUR, wall_ns=2 * 60 * S),  # an hour of market time in two wall minutes
    )
    schedule = pd.DataFrame({"ts_ns": [k * 15 * 60 * S for k in range(8)]})  # four in the hour, four after it
    run = SimpleNamespace(columns={"p": SimpleNamespace(events=journal)}, schedule=schedule)
    assert offered_per_min(run, "p") == pytest.approx(5 / 2)  # 0, 15, 30, 45 and 60 min
