"""One column's bootstrap interval, and the success criterion it judges (the differences between
columns and what they settle: ``tests/confidence``)."""

import numpy as np

from evaluator.analysis.confidence import percentile_99
from evaluator.analysis.criteria import judge_interval
from evaluator.analysis.resampling import bootstrap_interval

SEED, LEVEL, RESAMPLES = 7, 0.95, 2_000


def test_one_platform_s_interval_and_the_criterion_it_judges():
    fills = np.array([10.0] * 50 + [4_000.0, 6_000.0])
    low, high = bootstrap_interval((fills,), percentile_99, LEVEL, RESAMPLES, SEED)
    assert low <= np.percentile(fills, 99) <= high
    assert judge_interval(low, high, 5_000.0) is None  # the p99 straddles the target: not enough data
    assert judge_interval(*bootstrap_interval((np.full(20, 10.0),), percentile_99, LEVEL, RESAMPLES, SEED), 5_000.0) is True
    assert judge_interval(*bootstrap_interval((np.full(20, 9_000.0),), np.mean, LEVEL, RESAMPLES, SEED), 5_000.0) is False
    assert judge_interval(*bootstrap_interval((np.array([1.0]),), np.mean, LEVEL, RESAMPLES, SEED), 5_000.0) is None
