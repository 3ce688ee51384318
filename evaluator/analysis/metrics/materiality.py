"""Whether a latency difference can change a trade: its expected cost in basis points.

A fill that comes ``d`` seconds after the signal meets a mid that has moved, on average, by
``σ · √d · √(2/π)`` (the mean absolute move of a random walk), with ``σ`` the mid's volatility per
√second, measured from the run's own 1-minute marks. Two platforms' latencies differ materially when
their expected costs differ by more than a stated share of the fee a trade pays anyway.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.spec import BPS

MEAN_ABS_OF_UNIT_NORMAL = math.sqrt(2.0 / math.pi)


def volatility_bps_per_sqrt_s(marks: pd.DataFrame) -> float:
    """The mid's volatility in bps per √second, from consecutive marks' log returns scaled by their
    spacing; NaN with fewer than three marks."""
    if len(marks) < 3:
        return float("nan")
    ts = marks["ts_ns"].to_numpy(dtype="int64")
    mid = marks["mid"].to_numpy(dtype=float)
    seconds = np.diff(ts) / NANOS_PER_SECOND
    returns = np.diff(np.log(mid))
    usable = seconds > 0
    if usable.sum() < 2:
        return float("nan")
    per_sqrt_s = returns[usable] / np.sqrt(seconds[usable])
    return float(np.sqrt(np.mean(per_sqrt_s**2)) * BPS)


def latency_cost_bps(delay_s: float | np.ndarray, volatility: float) -> float | np.ndarray:
    """The expected absolute mid move, in bps, over ``delay_s`` seconds (element-wise for an array,
    as a bootstrap's resamples need); NaN in, NaN out."""
    return volatility * np.sqrt(np.maximum(delay_s, 0.0)) * MEAN_ABS_OF_UNIT_NORMAL
