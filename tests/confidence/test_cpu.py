"""CPU compared by CPU seconds per thousand events, with a moving-block bootstrap over the supervisor's
samples; too few samples leave it unscored, and a difference inside its threshold never settles."""

from types import SimpleNamespace

import numpy as np
import pytest

from evaluator.analysis.confidence import MIN_CPU_SAMPLES, Judgement, Resampling, cpu_difference, thresholds
from evaluator.analysis.metrics.resources import events_handled, resource_use
from evaluator.analysis.resampling import block_length, block_totals
from tests.confidence.helpers import RESAMPLES, column, cpu_samples
from tests.evaluator.journals import events

THRESHOLD = thresholds(10.0, 0.1, 0.25, 1.0, 10.0).cpu_s_per_kevent


def pair(cpu_a, cpu_b, handled=(10_000, 10_000)):
    """Two columns' figures and runs from their CPU readings (1 s apart) and the events they handled."""
    samples = (cpu_samples(np.asarray(cpu_a, dtype=float)), cpu_samples(np.asarray(cpu_b, dtype=float)))
    return tuple((column(n, samples=s, handled=h), SimpleNamespace(resources=s))
                 for n, s, h in zip(("a", "b"), samples, handled, strict=True))


def test_cpu_seconds_per_thousand_events_from_the_samples_and_the_journal():
    samples = cpu_samples(np.array([50.0, 100.0, 25.0]), interval_s=2.0)
    journal = events(dict(kind="signal_received", signal_id="s1"), dict(kind="signal_received", signal_id="s2"),
                     dict(kind="signal_received", signal_id="s1", component="provider"))
    handled = events_handled(journal, {"quotes": 998})
    assert handled == 1_000  # the quotes and the strategy's signals; the provider's record is not the strategy's work
    use = resource_use(samples, handled)
    assert (use.cpu_s, use.cpu_readings) == pytest.approx((2 * 0.5 + 2 * 1.0 + 2 * 0.25, 3))
    assert use.cpu_s_per_kevent == pytest.approx(3.5)
    assert events_handled(journal, None) is None and np.isnan(resource_use(samples, None).cpu_s_per_kevent)


def test_fewer_samples_than_the_minimum_leave_cpu_unscored_with_the_reason():
    (a, ra), (b, rb) = pair([20.0] * 12, [90.0] * 14)
    d = cpu_difference(((a, ra), (b, rb)), THRESHOLD, RESAMPLES)
    assert d.judgement == Judgement.UNSCORED and d.better is None
    assert (d.units, d.min_units, d.resampling) == ((12, 14), MIN_CPU_SAMPLES, Resampling.BLOCKS)
    assert d.difference == pytest.approx((12 * 0.2 - 14 * 0.9) / 10)  # still shown: the figure is measured


def test_enough_samples_settle_a_difference_beyond_the_threshold():
    rng = np.random.default_rng(1)
    (a, ra), (b, rb) = pair(20.0 + rng.normal(0, 2, 120), 60.0 + rng.normal(0, 2, 120))
    d = cpu_difference(((a, ra), (b, rb)), THRESHOLD, RESAMPLES)
    assert d.units == (120, 120) and d.block == (block_length(120), block_length(120)) == (5, 5)
    assert d.low <= d.difference <= d.high < -THRESHOLD
    assert d.judgement == Judgement.SETTLED and d.better == "a"


def test_a_cpu_difference_inside_its_threshold_is_never_settled():
    """4.70 against a threshold of 5, however tight its interval: immaterial, never material."""
    (a, ra), (b, rb) = pair([54.7] * 60, [50.0] * 60, handled=(600, 600))  # 60 × 0.047 CPU s more over 600 events
    d = cpu_difference(((a, ra), (b, rb)), 5.0, RESAMPLES)
    assert d.difference == pytest.approx(4.70)
    assert d.low == pytest.approx(d.high) and d.low > 0  # a zero-width interval far from zero
    assert d.judgement == Judgement.IMMATERIAL and not d.settled and d.better is None


def test_the_moving_block_totals_are_sums_of_blocks_laid_end_to_end():
    """The same draws by hand: blocks of consecutive values from random starts, concatenated, cut to n."""
    values = np.arange(1.0, 24.0)  # n = 23, blocks of 3: seven whole blocks and two values of an eighth
    totals = block_totals(values, 3, 50, np.random.default_rng(4))
    starts = np.random.default_rng(4).integers(0, 23 - 3 + 1, size=(50, 8))
    by_hand = [np.concatenate([values[s:s + 3] for s in row])[:23].sum() for row in starts]
    assert totals == pytest.approx(by_hand)
    assert block_length(8) == 2 and block_length(27) == 3 and block_length(30) == 4
