"""Differences between two columns resampled by signal with the pair kept: what both columns share on
a signal cancels, so identical fills give a zero-width interval at 0 and a known shift gives itself."""

import numpy as np
import pandas as pd
import pytest

from evaluator.analysis.confidence import Judgement, Resampling, execution_cost_difference, filled_as_decided_difference
from evaluator.analysis.resampling import bootstrap_interval
from tests.confidence.helpers import RESAMPLES, column, fills_journal, flat_touch
from tests.evaluator.journals import S, events

SIGNALS = [f"s{k}" for k in range(40)]
RNG = np.random.default_rng(5)
PRICES = dict(zip(SIGNALS, 100.5 + RNG.normal(0.0, 0.3, len(SIGNALS)), strict=True))
"""Fill prices that vary a lot from signal to signal: resampled apart, two columns' means would differ."""


def test_identical_fills_on_both_columns_give_a_zero_width_interval_at_zero():
    schedule, touch = flat_touch(SIGNALS)
    a, b = (column(n, fills_journal(PRICES), schedule, touch) for n in ("a", "b"))
    d = execution_cost_difference(a, b, 1.0, RESAMPLES)
    assert (d.low, d.high, d.difference) == (0.0, 0.0, 0.0)
    assert d.resampling == Resampling.PAIRED and d.units == (40, 40) and d.judgement == Judgement.WITHIN_NOISE
    apart = bootstrap_interval((a.execution_cost.per_fill["cost_bps"].to_numpy(), b.execution_cost.per_fill["cost_bps"].to_numpy()),
                               lambda x, y, axis=-1: x.mean(axis=axis) - y.mean(axis=axis), 0.95, 2_000, 0)
    assert apart[1] - apart[0] > 20.0  # what resampling the two columns apart made of the same fills


@pytest.mark.parametrize("k", [0.7, -2.5])
def test_a_known_shift_per_signal_gives_its_value_with_a_zero_width_interval(k):
    """b pays k bps more than a on every signal (its buy filled k bps of the 100 mid higher)."""
    schedule, touch = flat_touch(SIGNALS)
    shifted = {s: p + k / 1e4 * 100.0 for s, p in PRICES.items()}
    a, b = column("a", fills_journal(PRICES), schedule, touch), column("b", fills_journal(shifted), schedule, touch)
    d = execution_cost_difference(a, b, 1.0, RESAMPLES)
    assert d.difference == pytest.approx(-k, abs=1e-9)
    assert (d.low, d.high) == pytest.approx((-k, -k), abs=1e-9)
    assert d.judgement == (Judgement.IMMATERIAL if abs(k) <= 1.0 else Judgement.SETTLED)
    assert d.better == (None if abs(k) <= 1.0 else ("a" if k > 0 else "b"))


def test_the_execution_cost_pairs_only_signals_both_filled_each_weighted_by_quantity():
    schedule, touch = flat_touch(SIGNALS)
    a = column("a", fills_journal(PRICES), schedule, touch)
    split = events(*[dict(kind="order_filled", signal_id="s0", side="BUY", qty=q, price=p, fee=0.0, position_after=1.0,
                          sim_ts_ns=S, wall_ns=S) for q, p in ((0.25, 100.7), (0.75, 100.3))],
                   dict(kind="order_filled", signal_id="s1", side="BUY", qty=1.0, price=100.9, fee=0.0, position_after=2.0,
                        sim_ts_ns=61 * S, wall_ns=61 * S))
    b = column("b", split, schedule, touch)
    d = execution_cost_difference(a, b, 1.0, RESAMPLES)
    costs_a = [(PRICES[s] - 100.0) / 100.0 * 1e4 for s in ("s0", "s1")]
    costs_b = [(0.25 * 0.7 + 0.75 * 0.3) / 100.0 * 1e4, 0.9 / 100.0 * 1e4]
    assert d.units == (2, 2)
    assert d.values == pytest.approx((np.mean(costs_a), np.mean(costs_b)))


def decided(filled: dict[str, bool]) -> pd.DataFrame:
    """An order of 1 per signal, filled in full (True) or by half (False)."""
    rows = []
    for k, (signal_id, whole) in enumerate(filled.items()):
        rows += [dict(kind="order_submitted", signal_id=signal_id, side="BUY", qty=1.0, sim_ts_ns=k * S, wall_ns=k * S),
                 dict(kind="order_filled", signal_id=signal_id, side="BUY", qty=1.0 if whole else 0.5, price=100.0, fee=0.0,
                      position_after=1.0, sim_ts_ns=k * S, wall_ns=k * S)]
    return events(*rows)


def test_filled_as_decided_is_resampled_by_signal_with_the_pair_kept():
    """Both miss s3 and s11 of the 20 signals both decided, b misses s15 too: on every resample of the same
    signals b misses at least what a misses, so the paired interval never goes below 0 (resampled apart,
    it does)."""
    names = [f"s{k}" for k in range(20)]
    a = column("a", decided({n: n not in ("s3", "s11") for n in names}), *flat_touch(names))
    b = column("b", decided({n: n not in ("s3", "s11", "s15") for n in names}), *flat_touch(names))
    d = filled_as_decided_difference(a, b, 0.025, RESAMPLES)
    assert d.values == (0.9, 0.85) and d.difference == pytest.approx(0.05)
    assert 0.0 <= d.low < 0.05 < d.high <= 0.2 and d.units == (20, 20)
    fa, fb = (m.accuracy.as_decided.to_numpy(dtype=float) for m in (a, b))
    apart = bootstrap_interval((fa, fb), lambda x, y, axis=-1: x.mean(axis=axis) - y.mean(axis=axis), 0.95, 2_000, 0)
    assert apart[0] < 0.0
    same = filled_as_decided_difference(a, column("b", decided({n: n not in ("s3", "s11") for n in names}), *flat_touch(names)),
                                        0.025, RESAMPLES)
    assert (same.low, same.high, same.difference) == (0.0, 0.0, 0.0)


def test_filled_as_decided_over_signals_either_decided_counts_each_share_on_its_own_signals():
    """a decided s0-s9 (all filled as decided), b s5-s14 (s14 half filled): the shares are each column's own."""
    a = column("a", decided({f"s{k}": True for k in range(10)}), *flat_touch(SIGNALS))
    b = column("b", decided({f"s{k}": k != 14 for k in range(5, 15)}), *flat_touch(SIGNALS))
    d = filled_as_decided_difference(a, b, 0.025, RESAMPLES)
    assert d.values == (1.0, 0.9) and d.units == (15, 15)
    assert d.low <= 0.1 <= d.high
