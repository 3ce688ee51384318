"""Resource use from the supervisor's samples: CPU mean/peak, RSS peak and slope (MB/h).

CPU figures leave out the first sample: psutil's first reading of a process is always 0.0 (it has
nothing to compare with yet), which would pull a short run's mean down."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from shared_signals.config import NANOS_PER_HOUR, NANOS_PER_SECOND



@dataclass(frozen=True)
class ResourceUse:
    samples: int
    window_s: float
    """Wall time between the first and last sample."""
    mean_cpu_pct: float
    peak_cpu_pct: float
    peak_rss_mb: float
    rss_slope_mb_per_h: float
    peak_threads: int
    peak_open_files: int


def rss_slope(samples: pd.DataFrame) -> float:
    """Least-squares slope of RSS over time in MB/h; NaN with fewer than three samples."""
    if len(samples) < 3:
        return float("nan")
    hours = (samples["wall_ns"].to_numpy(dtype="int64") - int(samples["wall_ns"].iloc[0])) / NANOS_PER_HOUR
    slope, _ = np.polyfit(hours, samples["rss_mb"].to_numpy(dtype=float), 1)
    return float(slope)


def resource_use(samples: pd.DataFrame) -> ResourceUse:
    if samples.empty:
        return ResourceUse(0, 0.0, *(float("nan"),) * 4, 0, 0)
    cpu = samples["cpu_pct"].iloc[1:] if len(samples) > 1 else samples["cpu_pct"]
    return ResourceUse(
        samples=len(samples),
        window_s=(int(samples["wall_ns"].iloc[-1]) - int(samples["wall_ns"].iloc[0])) / NANOS_PER_SECOND,
        mean_cpu_pct=float(cpu.mean()),
        peak_cpu_pct=float(cpu.max()),
        peak_rss_mb=float(samples["rss_mb"].max()),
        rss_slope_mb_per_h=rss_slope(samples),
        peak_threads=int(samples["threads"].max()),
        peak_open_files=int(samples["open_files"].max()),
    )
