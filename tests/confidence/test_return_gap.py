"""The trading-results difference: each column's gross return against the ideal reference's, split by
signal period so that a signal one column alone traded (a fill into a closed market) and what it held
afterwards count, where the execution cost per signal both filled cannot see them."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from evaluator.analysis.confidence import (
    MIN_UNITS,
    Judgement,
    Resampling,
    execution_cost_difference,
    return_gap_difference,
)
from evaluator.analysis.metrics.attribution import Mids
from evaluator.analysis.metrics.execution_cost import execution_cost
from evaluator.analysis.metrics.return_gap import gaps_by_period, gross_by_period, period_starts
from evaluator.analysis.metrics.trading import trading_results
from tests.confidence.helpers import QUOTE_SPACING_NS, RESAMPLES
from tests.evaluator.journals import S, events

CAPITAL = 10_000.0
N = 60
"""Signals, one a minute."""
RNG = np.random.default_rng(11)
MIDS = 100.0 + np.cumsum(RNG.normal(0.0, 0.4, N + 1))
TOUCH = pd.DataFrame({"ts_ns": [60 * S * k for k in range(N + 1)], "bid": MIDS - 0.01, "ask": MIDS + 0.01})
MARKS = pd.DataFrame({"ts_ns": TOUCH["ts_ns"], "mid": MIDS})
SCHEDULE = pd.DataFrame({"signal_id": [f"s{k}" for k in range(N)], "ts_ns": [60 * S * k for k in range(N)]})
SIDES = ["BUY" if k % 2 == 0 else "SELL" for k in range(N)]
"""A buy on every even signal and a sell on every odd one: flat between odd and even."""


def trades(skip: set[int] = frozenset(), extra: dict[int, str] | None = None) -> pd.DataFrame:
    """One order and one fill of 1 at the touch per signal, the fill at the signal's own time; ``skip``:
    signals left untraded; ``extra``: signals traded on the other side instead (a one-sided trade)."""
    rows = []
    for k in range(N):
        if k in skip:
            continue
        side = (extra or {}).get(k, SIDES[k])
        t = 60 * S * k
        price = MIDS[k] + (0.01 if side == "BUY" else -0.01)
        rows += [dict(kind="order_submitted", signal_id=f"s{k}", side=side, qty=1.0, sim_ts_ns=t, wall_ns=t),
                 dict(kind="order_filled", signal_id=f"s{k}", side=side, qty=1.0, price=price, fee=price * 1e-3,
                      position_after=0.0, sim_ts_ns=t, wall_ns=t)]
    return events(*rows)


def column(name: str, journal: pd.DataFrame) -> SimpleNamespace:
    return SimpleNamespace(name=name, trading=trading_results(journal, MARKS, CAPITAL),
                           execution_cost=execution_cost(journal, SCHEDULE, TOUCH, QUOTE_SPACING_NS))


def judged(journal_a: pd.DataFrame, journal_b: pd.DataFrame, ideal: pd.DataFrame = None):
    ideal = trades() if ideal is None else ideal
    a, b = column("a", journal_a), column("b", journal_b)
    gaps = gaps_by_period((journal_a, journal_b), ideal, SCHEDULE, Mids.of(MARKS, TOUCH), CAPITAL)
    return a, b, gaps, return_gap_difference(a, b, trading_results(ideal, MARKS, CAPITAL), gaps, 0.25, RESAMPLES)


def test_the_periods_add_up_to_each_columns_gross_pnl_whatever_it_traded():
    mids = Mids.of(MARKS, TOUCH)
    starts = period_starts(SCHEDULE, mids)
    for journal in (trades(), trades(skip={3, 17}), trades(extra={8: "SELL", 9: "BUY"})):
        result = trading_results(journal, MARKS, CAPITAL)
        assert gross_by_period(journal, SCHEDULE, mids, starts).sum() == pytest.approx(result.pnl + result.fees, abs=1e-9)


def test_identical_columns_tie_within_noise_with_a_zero_width_interval():
    _, _, _, d = judged(trades(), trades())
    assert (d.low, d.high, d.difference) == (0.0, 0.0, 0.0)
    assert d.judgement == Judgement.WITHIN_NOISE and d.resampling == Resampling.PERIODS and d.units == (N, N)


def test_signals_one_column_alone_traded_settle_trading_results_that_the_execution_cost_cannot_see():
    """b also trades into signals a skipped, on the wrong side, and holds each for a minute: the fills
    both columns have are identical, so the execution cost on them is exactly zero."""
    wrong = {k: ("SELL" if SIDES[k] == "BUY" else "BUY") for k in range(0, N, 4)}
    journal_b = trades(extra=wrong)
    a, b, gaps, d = judged(trades(skip=set(wrong)), journal_b, ideal=trades(skip=set(wrong)))
    both = execution_cost_difference(a, b, 1.0, RESAMPLES)
    assert both.difference == pytest.approx(0.0, abs=1e-9)
    gross = [m.trading.gross_return_pct * 100 for m in (a, b)]
    assert d.values == pytest.approx((0.0, abs(gross[1] - gross[0])))
    assert gaps[1].sum() == pytest.approx(gross[1] - gross[0], abs=1e-9) and not gaps[0].any()
    assert d.judgement == Judgement.SETTLED and d.better == "a"


def test_a_gap_on_one_signal_is_measured_but_not_beyond_noise():
    """b holds the opposite position over one period (sells at s10, buys back at s11): the bootstrap
    draws no copy of that period in about e^-1 of its resamples."""
    _, _, gaps, d = judged(trades(), trades(extra={10: "SELL", 11: "BUY"}))
    assert np.flatnonzero(gaps[1]).tolist() == [10] and not gaps[0].any() and d.difference < 0
    assert d.low <= 0.0 <= d.high and d.judgement == Judgement.WITHIN_NOISE


def test_fewer_signal_periods_than_the_minimum_leave_it_unscored_and_none_after_the_marks_end():
    short = MARKS.iloc[: MIN_UNITS - 5]
    wrong = {k: "SELL" for k in range(0, N, 2)}
    journal_b = trades(extra=wrong)
    mids = Mids.of(short, TOUCH)
    assert len(period_starts(SCHEDULE, mids)) == MIN_UNITS - 5
    gaps = gaps_by_period((trades(), journal_b), trades(), SCHEDULE, mids, CAPITAL)
    a, b = column("a", trades()), column("b", journal_b)
    d = return_gap_difference(a, b, trading_results(trades(), MARKS, CAPITAL), gaps, 0.25, RESAMPLES)
    assert d.units == (MIN_UNITS - 5, MIN_UNITS - 5) and d.judgement == Judgement.UNSCORED


def test_without_the_ideal_reference_it_is_unmeasured():
    a, b = column("a", trades()), column("b", trades(skip={1}))
    d = return_gap_difference(a, b, None, None, 0.25, RESAMPLES)
    assert d.judgement == Judgement.UNSCORED and not d.measured


def test_the_point_lies_inside_its_own_interval():
    _, _, _, d = judged(trades(), trades(extra={10: "SELL", 11: "BUY"}))
    assert d.low <= d.difference <= d.high


def test_a_close_by_a_resting_order_falls_in_the_period_it_filled_in():
    """A take profit placed with signal 0's entry (at 0 s) and filled at 150 s: on a platform whose exits
    rest at its venue it closed in period 2, not in period 0 where it was placed."""
    mids = Mids.of(MARKS, TOUCH)
    starts = period_starts(SCHEDULE, mids)
    price = float(MIDS[2] - 0.01)
    journal = events(
        dict(kind="order_submitted", signal_id="s0", side="BUY", qty=1.0, sim_ts_ns=0, wall_ns=0),
        dict(kind="order_filled", signal_id="s0", side="BUY", qty=1.0, price=MIDS[0] + 0.01, fee=0.0, position_after=1.0, sim_ts_ns=0, wall_ns=0),
        dict(kind="order_submitted", signal_id=None, side="SELL", qty=1.0, sim_ts_ns=0, wall_ns=0, code="take_profit"),
        dict(kind="order_filled", signal_id=None, side="SELL", qty=1.0, price=price, fee=0.0, position_after=0.0,
             sim_ts_ns=150 * S, wall_ns=150 * S, code="take_profit"),
    )
    resting, placed = (gross_by_period(journal, SCHEDULE, mids, starts, r) for r in (("take_profit",), ()))
    assert np.flatnonzero(resting)[-1] == 2 and np.flatnonzero(placed)[-1] == 0
    assert resting.sum() == pytest.approx(placed.sum())  # the same PnL, another period
