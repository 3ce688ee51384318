"""Closes by cause from a hand-made journal, each figure worked out by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from evaluator.analysis.causes import (
    Causes, ClosesOffTouch, EndClose, LateTimeLimitCloses, ReferenceGap, closes_off_touch, end_closes, held_open,
)
from evaluator.analysis.metrics.exits import CauseCloses, exit_causes, exit_causes_by_column
from evaluator.report.causes import cause_lines
from shared_signals.contract.codes import ExitCause


def journal(*fills: tuple[str, float, float, float, str | None]) -> pd.DataFrame:
    rows = [dict(seq=i, kind="order_filled", sim_ts_ns=i, side=s, qty=q, price=p, fee=f, code=c)
            for i, (s, q, p, f, c) in enumerate(fills)]
    rows.append(dict(seq=len(rows), kind="heartbeat", sim_ts_ns=len(rows), side=None, qty=None, price=None, fee=None, code=None))
    return pd.DataFrame(rows)


def test_each_close_realises_its_move_from_the_average_entry():
    events = journal(
        ("BUY", 0.1, 100.0, 0.01, None),          # long 0.1 at 100
        ("BUY", 0.1, 110.0, 0.01, None),          # adds: long 0.2 at 105
        ("SELL", 0.2, 95.0, 0.02, "stop_loss"),   # -10 x 0.2 = -2
        ("SELL", 0.3, 90.0, 0.03, None),          # short 0.3 at 90
        ("BUY", 0.5, 80.0, 0.05, "signal"),       # flip: +10 x 0.3 = +3; long 0.2 at 80
        ("SELL", 0.2, 84.0, 0.02, "take_profit"), # +4 x 0.2 = +0.8
        ("SELL", 0.1, 83.0, 0.01, None),          # short 0.1 at 83
        ("BUY", 0.1, 85.0, 0.01, "end_of_run"),   # -2 x 0.1 = -0.2
    )
    found = exit_causes(events)
    assert [row.cause for row in found.by_cause] == [ExitCause.SIGNAL, ExitCause.STOP_LOSS, ExitCause.TAKE_PROFIT, ExitCause.END_OF_RUN]
    expected = {ExitCause.SIGNAL: (1, 3.0, 0.05), ExitCause.STOP_LOSS: (1, -2.0, 0.02), ExitCause.TAKE_PROFIT: (1, 0.8, 0.02),
                ExitCause.END_OF_RUN: (1, -0.2, 0.01)}
    for cause, (fills, pnl, fees) in expected.items():
        row = found.of(cause)
        assert (row.fills, row.gross_pnl, row.fees) == (fills, pytest.approx(pnl), pytest.approx(fees))
    assert found.of(ExitCause.TIME_LIMIT) is None


def test_per_column_and_a_journal_without_closes():
    opened = journal(("BUY", 0.1, 100.0, 0.0, None))
    closed = journal(("BUY", 0.1, 100.0, 0.0, None), ("SELL", 0.1, 101.0, 0.0, "time_limit"))
    found = exit_causes_by_column({"a": opened, "b": closed})
    assert found["a"].by_cause == ()
    assert found["b"].by_cause == (CauseCloses(ExitCause.TIME_LIMIT, 1, pytest.approx(0.1), 0.0),)


def test_a_close_at_the_end_is_set_beside_the_columns_that_held_a_position_and_closed_nothing():
    """Of three columns, one closes at the end, one ends holding what it bought, one ends flat: only the
    one holding is named as having closed nothing (the flat one had nothing to close)."""
    columns = {
        "closes": journal(("BUY", 0.1, 100.0, 0.01, None), ("SELL", 0.1, 98.0, 0.01, "end_of_run")),
        "holds": journal(("BUY", 0.1, 100.0, 0.01, None)),
        "flat": journal(("BUY", 0.1, 100.0, 0.01, None), ("SELL", 0.1, 102.0, 0.01, "signal")),
    }
    found = exit_causes_by_column(columns)
    assert (found["closes"].held_at_end, found["holds"].held_at_end, found["flat"].held_at_end) == (0.0, pytest.approx(0.1), 0.0)
    figures = SimpleNamespace(columns={n: SimpleNamespace(exits=e) for n, e in found.items()})
    assert end_closes(figures) == [EndClose("closes", 1, pytest.approx(-0.2), pytest.approx(0.01), ("holds",))]


def test_a_close_worse_than_the_touch_is_counted_with_what_it_forwent():
    """A take-profit LIMIT sold at 104 while the bid in force was 106 (the quote jumped past the limit)
    forwent 2 x 0.5 = 1.0; a stop's market close at the bid, and one a cent off the touch (the venue's
    tick), forwent nothing; a buy above the ask counts like a sell below the bid."""
    events = journal(
        ("BUY", 0.5, 100.0, 0.0, None),
        ("SELL", 0.5, 104.0, 0.0, "take_profit"),   # bid 106 at t=1
        ("BUY", 0.5, 100.0, 0.0, None),
        ("SELL", 0.5, 97.0, 0.0, "stop_loss"),      # bid 97 at t=3: at the touch
        ("SELL", 0.2, 120.0, 0.0, None),            # short at t=4
        ("BUY", 0.2, 117.0, 0.0, "take_profit"),    # ask 116 at t=5: 1 x 0.2 = 0.2
        ("BUY", 0.1, 100.0, 0.0, None),
        ("SELL", 0.1, 49_999.99, 0.0, "time_limit"),  # bid 50,000 at t=7: a cent off, the tick
    )
    touch = pd.DataFrame({"ts_ns": [0, 1, 3, 4, 5, 7], "bid": [99.9, 106.0, 97.0, 120.0, 115.0, 50_000.0],
                          "ask": [100.0, 106.1, 97.1, 120.1, 116.0, 50_000.1]})
    found = exit_causes(events, touch)
    take = found.of(ExitCause.TAKE_PROFIT)
    assert (take.fills, take.beyond_touch, take.forgone) == (2, 2, pytest.approx(1.2))
    assert (found.of(ExitCause.STOP_LOSS).beyond_touch, found.of(ExitCause.TIME_LIMIT).beyond_touch) == (0, 0)
    assert exit_causes(events).of(ExitCause.TAKE_PROFIT).beyond_touch == 0  # no touch given: nothing compared
    figures = SimpleNamespace(columns={"n": SimpleNamespace(exits=found, reference_exits=None)})
    assert closes_off_touch(figures) == [ClosesOffTouch("n", ExitCause.TAKE_PROFIT, 2, 2, pytest.approx(1.2))]
    line = next(line for line in cause_lines(Causes([], [], [], [], [], closes_off_touch(figures))) if "own price" in line)
    assert line.startswith("Closes at their own price: 2 of n's 2 take profit close(s) filled worse than the touch in force, by 1.20 USDT")


def test_columns_that_end_holding_with_no_close_at_the_end_are_named():
    """With a fill delay the close at the end falls after the last quote on every platform: no column
    closes, and the report must say that each still held its position."""
    columns = {"a": journal(("SELL", 0.1, 100.0, 0.01, None)), "b": journal(("SELL", 0.1, 100.0, 0.01, None)),
               "c": journal(("SELL", 0.1, 100.0, 0.01, None), ("BUY", 0.1, 99.0, 0.01, "signal"))}
    figures = SimpleNamespace(columns={n: SimpleNamespace(exits=e) for n, e in exit_causes_by_column(columns).items()})
    assert held_open(figures) == ("a", "b")
    lines = cause_lines(Causes([], [], [], [], [], [], held_open(figures)))
    assert lines == ["At the end: a and b held a position when the run ended and closed nothing (a close due after the last "
                     "quote, by the fill delay, is not filled; or the platform's `close_on_stop` is off): it is marked at the "
                     "last mid, with no fee."]


def test_time_limits_decided_on_a_later_tick_are_counted_with_the_latest_lag():
    """A 10 s time limit on a 2 s clock: one close decided at its deadline, one 1.5 s after it (the
    first tick after a deadline off the grid), one two days after it (the gate refused it at the
    deadline: a closed market, which the reference meets too, so not the clock's)."""
    s = 1_000_000_000
    rows = [  # sim time, kind, side, code
        (0, "order_filled", "BUY", None),
        (10 * s, "order_submitted", "SELL", "time_limit"), (10 * s, "order_filled", "SELL", "time_limit"),
        (20 * s, "order_filled", "SELL", None),
        (31_500_000_000, "order_submitted", "BUY", "time_limit"), (31_500_000_000, "order_filled", "BUY", "time_limit"),
        (40 * s, "order_filled", "BUY", None),
        (50 * s + 172_800 * s, "order_submitted", "SELL", "time_limit"), (50 * s + 172_800 * s, "order_filled", "SELL", "time_limit"),
    ]
    events = pd.DataFrame([dict(seq=i, sim_ts_ns=t, kind=k, side=side, qty=0.1, price=100.0, fee=0.0, code=c)
                           for i, (t, k, side, c) in enumerate(rows)])
    late = exit_causes(events, time_limit_ns=10 * s, tick_ns=2 * s).late_time_limits
    assert (late.late, late.of_closes, late.max_late_s, late.repriced) == (1, 3, 1.5, 0)  # no quotes: not compared
    quotes = pd.DataFrame({"ts_ns": [0, 31 * s], "bid": 99.0, "ask": 100.0})  # a quote at 31 s: after the 30 s deadline
    assert exit_causes(events, quotes, 10 * s, 2 * s).late_time_limits.repriced == 1
    assert exit_causes(events, quotes, 10 * s, 2 * s, fill_delay_ns=2 * s).late_time_limits.repriced == 0  # both fill on it
    assert exit_causes(events, tick_ns=2 * s).late_time_limits is None  # no time limit set
    assert exit_causes(events, time_limit_ns=10 * s).late_time_limits is None  # no clock ticks: a timer
    assert exit_causes(events, time_limit_ns=10 * s, tick_ns=s).late_time_limits is None  # 1.5 s is no 1 s tick's lag
    (line,) = cause_lines(Causes([], [], [], [], late_time_limits=[LateTimeLimitCloses("hb", late)]))
    assert line.startswith("Time limits: 1 of hb's 3 time-limit close(s) were decided on its clock's first tick after the "
                           "deadline, up to 1.500 s of market time after it")
    assert line.endswith("Each filled on the quote a close at the deadline would have: at the same price.")


def test_a_gap_to_the_reference_points_to_differing_trades_only_when_some_differ():
    same, other = (ReferenceGap("n", -0.9, -0.2, 0.005, differ) for differ in (False, True))
    (line,) = cause_lines(Causes([same], [], [], []))
    assert line == ("n's gross return differs from its reference by -0.7000 pp: its signals' trades are the reference's (side "
                    "and quantity, execution accuracy), so the gap is in prices and closes: see the causes below.")
    (line,) = cause_lines(Causes([other], [], [], []))
    assert line.endswith("see the causes below and execution accuracy for the trades that differ.")
