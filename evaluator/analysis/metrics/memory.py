"""Memory growth with its confidence: the RSS slope's interval decides, not its point estimate.

RSS samples are autocorrelated (the allocator holds memory for a while, a garbage collection frees
a block at once), so the slope's interval comes from ordinary least squares with Newey-West
standard errors (statsmodels' HAC covariance), or the plain OLS ones where those are wider: on a few
dozen samples the HAC estimate runs small, and a leak verdict must not come from noise. The verdict:

- **growing** when the whole interval lies above the threshold;
- **stable** when the whole interval lies at or below it: no growth beyond the threshold (a
  shrinking RSS, the allocator giving memory back, is not instability);
- **not enough data** otherwise, with the soak length that would settle it at the same noise.

Growth is judged per market hour: at ``--speed X`` a wall hour replays X market hours, so memory
that grows with the events processed shows X times larger per wall hour than a live deployment at
1x would see. The wall-hour figures are kept beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
import statsmodels.api as sm

from shared_signals.config import NANOS_PER_HOUR, NANOS_PER_SECOND

MIN_SAMPLES = 5
"""Fewer samples give no interval worth the name: not enough data."""
WINDOW_GROWTH_EXPONENT = 1.5
"""A slope's standard error falls as the window to this power (samples at a fixed rate, noise of a
fixed size): how much longer a soak must run for its interval to shrink by a given factor."""


class MemoryVerdict(StrEnum):
    GROWING = "growing"
    STABLE = "stable"
    NOT_ENOUGH_DATA = "not enough data"


@dataclass(frozen=True)
class SlopeInterval:
    """A slope in MB per hour and its confidence interval."""

    slope: float
    low: float
    high: float

    def scaled(self, factor: float) -> SlopeInterval:
        return SlopeInterval(self.slope * factor, self.low * factor, self.high * factor)


NO_INTERVAL = SlopeInterval(math.nan, math.nan, math.nan)


@dataclass(frozen=True)
class MemoryGrowth:
    per_wall_hour: SlopeInterval
    per_market_hour: SlopeInterval
    """``per_wall_hour`` over the market hours one wall hour covered: what the verdict judges."""
    threshold_mb_per_h: float
    confidence: float
    samples: int
    window_s: float
    verdict: MemoryVerdict
    needed_window_s: float | None
    """With no verdict: the window (same sampling, same noise) whose interval would be narrow enough."""


def newey_west_lags(samples: int) -> int:
    """The usual automatic lag length for the HAC covariance: 4 (n / 100)^(2/9), rounded down."""
    return int(4 * (samples / 100) ** (2 / 9))


def fit_slope(wall_ns: np.ndarray, rss_mb: np.ndarray, confidence: float) -> SlopeInterval:
    """OLS slope of RSS over wall time (MB per wall hour) with its HAC confidence interval."""
    hours = (wall_ns - wall_ns[0]) / NANOS_PER_HOUR
    if np.ptp(rss_mb) == 0.0:  # a flat series has no noise to estimate: its slope is exactly zero
        return SlopeInterval(0.0, 0.0, 0.0)
    ols = sm.OLS(rss_mb, sm.add_constant(hours)).fit()
    hac = ols.get_robustcov_results(cov_type="HAC", maxlags=newey_west_lags(len(hours)), use_t=True)
    widest = max((ols, hac), key=lambda fit: fit.bse[1])
    low, high = widest.conf_int(alpha=1.0 - confidence)[1]
    return SlopeInterval(float(widest.params[1]), float(low), float(high))


def judge(interval: SlopeInterval, threshold: float) -> MemoryVerdict:
    if interval.low > threshold:
        return MemoryVerdict.GROWING
    if interval.high <= threshold:
        return MemoryVerdict.STABLE
    return MemoryVerdict.NOT_ENOUGH_DATA


def needed_window_s(interval: SlopeInterval, threshold: float, window_s: float) -> float:
    """The window, at the same sampling and noise, whose interval is no wider than the threshold on
    each side: then a flat RSS is called stable and one growing at twice the threshold growing. Not
    from the point estimate, which on too short a window is mostly noise."""
    half_width = (interval.high - interval.low) / 2
    return window_s * max(1.0, half_width / threshold) ** (1 / WINDOW_GROWTH_EXPONENT)


def after_warmup(samples: pd.DataFrame, warmup_s: float) -> pd.DataFrame:
    """The samples from ``warmup_s`` after the first on: start-up (imports, first allocations) is not growth."""
    if samples.empty:
        return samples
    return samples[samples["wall_ns"] >= int(samples["wall_ns"].iloc[0]) + warmup_s * NANOS_PER_SECOND]


def memory_growth(
    samples: pd.DataFrame, threshold_mb_per_h: float, market_per_wall: float, confidence: float
) -> MemoryGrowth:
    """``samples``: the supervisor's (``wall_ns``, ``rss_mb``), warm-up already left out;
    ``market_per_wall``: market seconds per wall second over the run (``--speed``; 1 for real time)."""
    count = len(samples)
    window_s = (int(samples["wall_ns"].iloc[-1]) - int(samples["wall_ns"].iloc[0])) / NANOS_PER_SECOND if count > 1 else 0.0
    if count < MIN_SAMPLES or window_s <= 0:
        return MemoryGrowth(NO_INTERVAL, NO_INTERVAL, threshold_mb_per_h, confidence, count, window_s, MemoryVerdict.NOT_ENOUGH_DATA, None)
    wall = fit_slope(samples["wall_ns"].to_numpy(dtype="int64"), samples["rss_mb"].to_numpy(dtype=float), confidence)
    market = wall.scaled(1.0 / market_per_wall)
    verdict = judge(market, threshold_mb_per_h)
    needed = needed_window_s(market, threshold_mb_per_h, window_s) if verdict is MemoryVerdict.NOT_ENOUGH_DATA else None
    return MemoryGrowth(wall, market, threshold_mb_per_h, confidence, count, window_s, verdict, needed)
