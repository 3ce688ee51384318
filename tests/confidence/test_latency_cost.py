"""The latency cost is the signal's own alpha decay over the column's delay: a hand-made price path
with known moves gives the hand computation, the run's touch quotes hold what it reads, and two
columns with the same delay differ by exactly 0."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import bootstrap

from evaluator.analysis.confidence import Judgement, Resampling, latency_difference
from evaluator.analysis.metrics.latency import signal_latencies
from evaluator.analysis.metrics.materiality import alpha_decay, decay_probes_ns, expected_abs_move_bps, latency_score_delay_s
from evaluator.analysis.resampling import BATCH
from evaluator.harness.reference import marks_and_touch
from tests.confidence.helpers import RESAMPLES, column
from tests.evaluator.journals import MS, S, events

MIDS = [100.0, 101.0, 99.0, 102.0, 100.0, 98.0, 97.0]
"""The mid of the quote at 0, 10, 20 … 60 s (a half-unit spread around it)."""
TOUCH = pd.DataFrame({"ts_ns": [10 * k * S for k in range(len(MIDS))], "bid": [m - 0.5 for m in MIDS],
                      "ask": [m + 0.5 for m in MIDS]})
SCHEDULE = pd.DataFrame({"signal_id": ["buy0", "sell20", "buy35", "skipped"], "ts_ns": [0, 20 * S, 35 * S, 40 * S]})
IDEAL = pd.DataFrame({"signal_id": ["buy0", "sell20", "buy35"], "side": [1, -1, 1]})
"""The ideal reference traded three of the four signals: a buy at 0, a sell at 20 s, a buy at 35 s
(between quotes: the one at 30 s is in force)."""


def hand_decay(delay_s: float) -> float:
    """Each signal's move in its direction from the mid in force at its time to the one in force d later."""
    def mid(t_s: float) -> float:
        return MIDS[min(int(t_s // 10), len(MIDS) - 1)]  # after the last quote, it stays in force
    moves = [side * (mid(t + delay_s) - mid(t)) / mid(t) * 1e4 for side, t in ((1, 0.0), (-1, 20.0), (1, 35.0))]
    return sum(moves) / 3


@pytest.mark.parametrize("delay_s", [0.0, 5.0, 10.0, 25.0, 90.0])
def test_the_decay_of_a_hand_made_price_path_is_the_hand_computation(delay_s):
    decay = alpha_decay(IDEAL, SCHEDULE, TOUCH)
    assert decay.count == 3
    assert decay.cost_bps(delay_s) == pytest.approx(hand_decay(delay_s), abs=1e-12)


def test_the_hand_computation_by_its_numbers():
    # d = 10 s: +1/100 (buy at 0), −(102 − 99)/99 (sell at 20), (100 − 102)/102 (buy at 35: 30 s quote → 40 s quote)
    assert hand_decay(10.0) == pytest.approx((100.0 - 303.0303030 - 196.0784314) / 3, abs=1e-6)
    # d = 5 s: only the buy at 35 s meets a new quote (40 s)
    assert hand_decay(5.0) == pytest.approx(-196.0784314 / 3, abs=1e-6)


def test_the_run_s_touch_quotes_hold_every_quote_the_decay_reads(tmp_path):
    """The harness keeps the quotes in force at each signal's time and that plus each column's delay: on
    them the decay equals the decay on the whole quote file."""
    rng = np.random.default_rng(2)
    times = np.cumsum(rng.integers(1, 30, 400)) * S
    mids = 100.0 * np.exp(np.cumsum(rng.normal(0, 1e-3, len(times))))
    quotes = pd.DataFrame({"timestamp": pd.to_datetime(times, utc=True), "bid_price": mids - 0.01, "ask_price": mids + 0.01,
                           "bid_size": 1.0, "ask_size": 1.0})
    quotes.to_parquet(tmp_path / "q.parquet")
    whole = pd.DataFrame({"ts_ns": times, "bid": mids - 0.01, "ask": mids + 0.01})
    signal_ns = np.sort(rng.choice(np.arange(times[0], times[-1], S), 60, replace=False))
    schedule = pd.DataFrame({"signal_id": [f"s{k}" for k in range(60)], "ts_ns": signal_ns})
    ideal = pd.DataFrame({"signal_id": schedule["signal_id"], "side": rng.choice([-1, 1], 60)})
    delays = (2.0, 37.5)
    _, touch = marks_and_touch(tmp_path / "q.parquet", signal_ns, decay_probes_ns(signal_ns, delays), None)
    assert len(touch) < len(whole)
    for delay in (0.0, *delays):
        assert alpha_decay(ideal, schedule, touch).cost_bps(delay) == alpha_decay(ideal, schedule, whole).cost_bps(delay)


def journal(fill_delays_ms):
    """Signals at 0, 300, 600 s …, each received and ordered at once, filled ``delay`` later."""
    rows = []
    for k, delay in enumerate(fill_delays_ms):
        t = k * 300 * S
        rows += [dict(kind="signal_received", signal_id=f"s{k}", sim_ts_ns=t, wall_ns=t),
                 dict(kind="order_submitted", signal_id=f"s{k}", sim_ts_ns=t, wall_ns=t),
                 dict(kind="order_filled", signal_id=f"s{k}", sim_ts_ns=t + round(delay * MS), wall_ns=t + round(delay * MS))]
    return events(*rows)


def test_the_delay_scored_is_the_median_signal_to_fill_market_time():
    schedule = pd.DataFrame({"signal_id": [f"s{k}" for k in range(5)], "ts_ns": [k * 300 * S for k in range(5)]})
    assert latency_score_delay_s(signal_latencies(journal([0.0, 900.0, 1_000.0, 1_000.0, 4_000.0]), schedule)) == 1.0
    assert math.isnan(latency_score_delay_s(signal_latencies(events(), schedule)))


def random_walk():
    """A second-by-second path and 200 signals on it, half of them buys."""
    rng = np.random.default_rng(9)
    ts = np.arange(20_000) * S
    mids = 100.0 * np.exp(np.cumsum(rng.normal(0, 2e-4, len(ts))))
    touch = pd.DataFrame({"ts_ns": ts, "bid": mids - 0.005, "ask": mids + 0.005})
    schedule = pd.DataFrame({"signal_id": [f"s{k}" for k in range(200)], "ts_ns": np.arange(200) * 90 * S + 7 * S // 10})
    ideal = pd.DataFrame({"signal_id": schedule["signal_id"], "side": rng.choice([-1, 1], 200)})
    return alpha_decay(ideal, schedule, touch), touch, schedule, ideal


def test_a_column_whose_delay_equals_the_other_s_has_a_latency_difference_of_exactly_zero():
    decay, *_ = random_walk()
    a, b = (column(n, delay_s=3.0, cost_bps=decay.cost_bps(3.0)) for n in ("a", "b"))
    d = latency_difference(a, b, decay, 1.0, RESAMPLES)
    assert (d.difference, d.low, d.high) == (0.0, 0.0, 0.0)
    assert d.judgement == Judgement.WITHIN_NOISE and d.units == (200, 200) and d.resampling == Resampling.PAIRED


def test_the_latency_difference_is_paired_by_signal_between_the_two_delays():
    decay, touch, schedule, ideal = random_walk()
    a, b = column("a", delay_s=0.0, cost_bps=decay.cost_bps(0.0)), column("b", delay_s=30.0, cost_bps=decay.cost_bps(30.0))
    d = latency_difference(a, b, decay, 1.0, RESAMPLES)
    mids = ((touch["bid"] + touch["ask"]) / 2).to_numpy()
    at = lambda t: mids[np.searchsorted(touch["ts_ns"].to_numpy(), t, side="right") - 1]  # noqa: E731 the quote in force
    sigma = schedule["ts_ns"].to_numpy()
    per_signal = ideal["side"].to_numpy() * (at(sigma) - at(sigma + 30 * S)) / at(sigma) * 1e4
    assert d.difference == pytest.approx(per_signal.mean(), abs=1e-9)
    assert d.values[1] == pytest.approx(-per_signal.mean(), abs=1e-9) and d.values[0] == 0.0
    reference = bootstrap((per_signal,), np.mean, vectorized=True, confidence_level=0.95, n_resamples=2_000, batch=BATCH,
                          method="percentile", rng=np.random.default_rng(0))
    assert (d.low, d.high) == pytest.approx(tuple(reference.confidence_interval), abs=1e-9)


def test_the_expected_absolute_move_is_the_delay_s_risk_not_its_cost():
    assert expected_abs_move_bps(1.0, 1.5) == pytest.approx(1.5 * math.sqrt(2 / math.pi))
    decay, *_ = random_walk()
    assert abs(decay.cost_bps(1.0)) < expected_abs_move_bps(1.0, 2.0)  # a signed mean: moves either way cancel
