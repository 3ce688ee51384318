"""Resource use from the supervisor's samples: CPU mean/peak, RSS peak, threads, open files (the
RSS slope and its verdict: :mod:`evaluator.analysis.metrics.memory`).

CPU figures leave out the first sample: psutil's first reading of a process is always 0.0 (it has
nothing to compare with yet), which would pull a short run's mean down."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from shared_signals.config import NANOS_PER_SECOND



@dataclass(frozen=True)
class ResourceUse:
    samples: int
    window_s: float
    """Wall time between the first and last sample."""
    mean_cpu_pct: float
    peak_cpu_pct: float
    peak_rss_mb: float
    peak_threads: int
    peak_open_files: int


def cpu_samples(samples: pd.DataFrame) -> pd.Series:
    """The CPU readings that mean something: all but psutil's first (always 0.0), unless it is the only one."""
    return samples["cpu_pct"].iloc[1:] if len(samples) > 1 else samples["cpu_pct"]


def resource_use(samples: pd.DataFrame) -> ResourceUse:
    if samples.empty:
        return ResourceUse(0, 0.0, *(float("nan"),) * 3, 0, 0)
    cpu = cpu_samples(samples)
    return ResourceUse(
        samples=len(samples),
        window_s=(int(samples["wall_ns"].iloc[-1]) - int(samples["wall_ns"].iloc[0])) / NANOS_PER_SECOND,
        mean_cpu_pct=float(cpu.mean()),
        peak_cpu_pct=float(cpu.max()),
        peak_rss_mb=float(samples["rss_mb"].max()),
        peak_threads=int(samples["threads"].max()),
        peak_open_files=int(samples["open_files"].max()),
    )
