"""Bootstrap intervals on the platforms' differences, from hand-made journals, and what they settle."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import bootstrap

from evaluator.analysis.confidence import BATCH, Figure, FigureSpec, bootstrap_interval, differences, latency_cost, percentile_99
from evaluator.analysis.criteria import judge_interval
from evaluator.analysis.metrics.latency import signal_latencies
from evaluator.analysis.verdict import TIE, Verdict
from evaluator.report.verdict import FIGURE_WORDS, confidence_words
from tests.evaluator.journals import MS, S, events

SEED, LEVEL, RESAMPLES = 7, 0.95, 2_000


def journal(fill_delays_ms):
    """Signals at 0, 300, 600 s …, each received and ordered at once, filled ``delay`` later."""
    rows = []
    for k, delay in enumerate(fill_delays_ms):
        t = k * 300 * S
        rows += [dict(kind="signal_received", signal_id=f"s{k}", sim_ts_ns=t, wall_ns=t),
                 dict(kind="order_submitted", signal_id=f"s{k}", sim_ts_ns=t, wall_ns=t),
                 dict(kind="order_filled", signal_id=f"s{k}", sim_ts_ns=t + round(delay * MS), wall_ns=t + round(delay * MS))]
    return events(*rows)


def pair_of(**journals):
    """The two columns' figures (only their latencies: all these figures read) and their run (unused)."""
    schedule = pd.DataFrame({"signal_id": [f"s{k}" for k in range(50)], "ts_ns": [k * 300 * S for k in range(50)]})
    return tuple((SimpleNamespace(name=name, latencies=signal_latencies(j, schedule)), None) for name, j in journals.items())


def market_to_fill(figures, run_column):
    return figures.latencies["market_to_fill_ms"].to_numpy(dtype=float)


COST = FigureSpec(Figure.LATENCY_COST, "latency", "bps", True, market_to_fill, latency_cost(1.5), 0.1)


def verdict_of(recommended, found):
    """A verdict recommending ``recommended`` on nothing but the differences ``found``."""
    return Verdict(categories=[], overall={"nautilus": 8.0, "hummingbot": 7.0}, measured={}, recommended=recommended,
                   measured_winner=recommended, differences=found)


def test_the_interval_from_journals_matches_scipy_on_the_same_delays_with_the_same_seed():
    rng = np.random.default_rng(3)
    a_ms, b_ms = rng.uniform(0, 2_000, 30), rng.uniform(500, 3_000, 25)
    (found,) = differences(pair_of(nautilus=journal(a_ms), hummingbot=journal(b_ms)), [COST], LEVEL, RESAMPLES, SEED)
    assert (found.figure, found.first, found.second) == (Figure.LATENCY_COST, "nautilus", "hummingbot")
    cost = latency_cost(1.5)
    reference = bootstrap((np.round(a_ms * MS) / MS, np.round(b_ms * MS) / MS),
                          lambda x, y, axis=-1: cost(x, axis=axis) - cost(y, axis=axis), vectorized=True, paired=False,
                          confidence_level=LEVEL, n_resamples=RESAMPLES, batch=BATCH, method="percentile",
                          rng=np.random.default_rng(SEED))
    assert (found.low, found.high) == pytest.approx((reference.confidence_interval.low, reference.confidence_interval.high))
    assert found.difference == pytest.approx(1.5 * np.sqrt(2 / np.pi) * (np.sqrt(np.median(a_ms) / 1e3) - np.sqrt(np.median(b_ms) / 1e3)))


def test_a_clear_difference_is_settled_and_names_the_better_platform():
    found, = differences(pair_of(nautilus=journal([0.0] * 20), hummingbot=journal([1_000.0] * 20)), [COST], LEVEL, RESAMPLES, SEED)
    assert (found.low, found.high) == pytest.approx((found.difference, found.difference))  # no spread: an exact interval
    assert found.settled and found.better == "nautilus"
    verdict = verdict_of("nautilus", [found])
    assert verdict.carrying == [found] and verdict.against == []
    sentence = confidence_words(verdict)
    assert sentence.startswith(f"nautilus, on {FIGURE_WORDS[Figure.LATENCY_COST]} over hummingbot: material and outside noise "
                               "(95% bootstrap")


def test_overlapping_samples_are_noise_and_a_tiny_lead_is_immaterial():
    rng = np.random.default_rng(4)
    same = rng.uniform(0, 2_000, 40)
    noisy, = differences(pair_of(nautilus=journal(same), hummingbot=journal(rng.permutation(same))), [COST], LEVEL, RESAMPLES, SEED)
    assert noisy.within_noise and not noisy.settled and noisy.better is None
    wide = FigureSpec(Figure.LATENCY_COST, "latency", "bps", True, market_to_fill, latency_cost(1.5), 10.0)
    small, = differences(pair_of(nautilus=journal([1_000.0] * 20), hummingbot=journal([1_100.0] * 20)), [wide], LEVEL, RESAMPLES, SEED)
    assert small.immaterial and not small.within_noise and not small.settled
    assert verdict_of("nautilus", [noisy]).settled == [] and verdict_of(TIE, [small]).settled == []
    assert confidence_words(verdict_of("nautilus", [noisy])).startswith(
        "nautilus leads on unmeasured or rubric categories only: of the measured differences, none is both material and "
        "outside noise")
    assert confidence_words(verdict_of(TIE, [small])).startswith("No measured winner")


def test_one_platform_s_interval_and_the_criterion_it_judges():
    fills = np.array([10.0] * 50 + [4_000.0, 6_000.0])
    low, high = bootstrap_interval((fills,), percentile_99, LEVEL, RESAMPLES, SEED)
    assert low <= np.percentile(fills, 99) <= high
    assert judge_interval(low, high, 5_000.0) is None  # the p99 straddles the target: not enough data
    assert judge_interval(*bootstrap_interval((np.full(20, 10.0),), percentile_99, LEVEL, RESAMPLES, SEED), 5_000.0) is True
    assert judge_interval(*bootstrap_interval((np.full(20, 9_000.0),), np.mean, LEVEL, RESAMPLES, SEED), 5_000.0) is False
    assert judge_interval(*bootstrap_interval((np.array([1.0]),), np.mean, LEVEL, RESAMPLES, SEED), 5_000.0) is None
