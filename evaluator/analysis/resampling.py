"""Bootstrap intervals, each over the units a figure is made of, with a fixed seed so a rebuilt report
is the same.

- **Apart**: each sample resampled on its own (scipy's percentile bootstrap): a figure of each
  column's own distribution.
- **Paired**: the units of a figure both columns have (a signal) resampled together, the pair kept:
  what is common to a signal on both sides cancels. A difference of means is the mean of per-unit
  differences (scipy's bootstrap of them); a difference of two shares over the signals either column
  decided is a ratio of sums, resampled by row with the resamples that drew no denominator left out;
  any other statistic of aligned rows (a difference of absolute sums) is resampled by row the same way.
- **Moving blocks**: consecutive resource samples are not independent (a busy second follows a busy
  second), so blocks of ``block_length`` consecutive ones are drawn with replacement and laid end to
  end to the sample's length (Künsch's moving-block bootstrap), each column apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy.stats import bootstrap

BATCH = 100
"""Resamples drawn at once: years of hourly fills are tens of thousands of units, and all 2,000
resamples of them at once would hold hundreds of MB."""
Statistic = Callable[..., np.ndarray]
"""A figure of one or more aligned samples, along ``axis`` (scipy's vectorised form)."""


def bootstrap_interval(
    samples: tuple[np.ndarray, ...], statistic: Statistic, level: float, resamples: int, seed: int, paired: bool = False
) -> tuple[float, float]:
    """Percentile bootstrap interval on ``statistic`` of ``samples`` (``paired``: aligned arrays whose
    units are resampled together); NaN when a sample has fewer than two units."""
    if any(len(sample) < 2 for sample in samples):
        return math.nan, math.nan
    result = bootstrap(samples, statistic, vectorized=True, paired=paired, confidence_level=level, n_resamples=resamples,
                       batch=BATCH, method="percentile", rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def paired_interval(
    samples: tuple[np.ndarray, ...], statistic: Statistic, level: float, resamples: int, seed: int
) -> tuple[float, float]:
    """Percentile interval on ``statistic`` of aligned samples resampled together by row. A resample on
    which the statistic has no value (a ratio of sums whose denominator drew no unit) is left out
    (scipy's ``bootstrap`` would make the whole interval NaN). NaN when no resample has a value."""
    n = len(samples[0])
    rng = np.random.default_rng(seed)
    drawn = []
    for start in range(0, resamples, BATCH):
        rows = rng.integers(0, n, size=(min(BATCH, resamples - start), n))
        with np.errstate(invalid="ignore", divide="ignore"):
            drawn.append(statistic(*(sample[rows] for sample in samples), axis=-1))
    values = np.concatenate(drawn)
    values = values[np.isfinite(values)]
    if not len(values):
        return math.nan, math.nan
    low, high = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def block_length(n: int) -> int:
    """Samples per block: ⌈n^(1/3)⌉, the order that balances a block bootstrap's bias and variance."""
    return max(1, math.ceil(n ** (1.0 / 3.0) - 1e-9))


def block_totals(values: np.ndarray, block: int, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """The sum of ``values`` on each of ``resamples`` moving-block resamples: ⌈n / block⌉ blocks of
    ``block`` consecutive values, each starting anywhere a whole block fits, the last cut to length n."""
    n = len(values)
    cumulative = np.r_[0.0, np.cumsum(values, dtype=float)]
    whole, rest = divmod(n, block)
    starts = rng.integers(0, n - block + 1, size=(resamples, whole + (rest > 0)))
    lengths = np.full(starts.shape[1], block)
    if rest:
        lengths[-1] = rest
    return (cumulative[starts + lengths] - cumulative[starts]).sum(axis=1)


def block_difference_interval(
    a: np.ndarray, b: np.ndarray, scale: tuple[float, float], level: float, resamples: int, seed: int
) -> tuple[float, float]:
    """Percentile interval on ``scale[0]·Σa − scale[1]·Σb``, a and b moving-block resampled apart;
    NaN when either has fewer than two values."""
    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    first, second = (block_totals(x, block_length(len(x)), resamples, rng) for x in (a, b))
    low, high = np.quantile(scale[0] * first - scale[1] * second, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)
