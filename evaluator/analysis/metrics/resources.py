"""Resource use from the supervisor's samples: CPU mean/peak, CPU seconds per thousand events, RSS
peak, threads, open files (the RSS slope and its verdict: :mod:`evaluator.analysis.metrics.memory`).

CPU percentages leave out the first sample: psutil's first reading of a process is always 0.0 (it has
nothing to compare with yet), which would pull a short run's mean down. Each later reading is the
tree's CPU over the interval since the sample before, so reading × interval is the CPU seconds spent
in it, and their sum the run's CPU time. Per thousand events (the quotes and signals the column
handled) it compares columns that ran at different paces: a replay that finishes sooner at a higher
CPU percentage may have spent less CPU on the same work."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import Component, EventKind

PER_EVENTS = 1_000
"""CPU seconds are stated per this many events."""


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
    cpu_s: float = math.nan
    """CPU seconds the samples cover: each reading × its interval, summed."""
    cpu_readings: int = 0
    """The readings behind ``cpu_s`` (all samples but the first)."""
    events: int | None = None
    """Quotes and signals the column handled (None: a run that reported no quote count)."""
    cpu_s_per_kevent: float = math.nan
    """``cpu_s`` per ``PER_EVENTS`` events; NaN without events or readings."""


def cpu_samples(samples: pd.DataFrame) -> pd.Series:
    """The CPU readings that mean something: all but psutil's first (always 0.0), unless it is the only one."""
    return samples["cpu_pct"].iloc[1:] if len(samples) > 1 else samples["cpu_pct"]


def cpu_seconds(samples: pd.DataFrame) -> np.ndarray:
    """CPU seconds in each interval between consecutive samples: the later one's percentage × its length."""
    if len(samples) < 2:
        return np.array([], dtype=float)
    wall_s = np.diff(samples["wall_ns"].to_numpy(dtype=np.int64)) / NANOS_PER_SECOND
    return samples["cpu_pct"].to_numpy(dtype=float)[1:] / 100.0 * wall_s


def events_handled(events: pd.DataFrame, result: dict | None) -> int | None:
    """The quotes the column processed (its ``result.json``) and the signals its strategy received."""
    if not result:
        return None
    strategy = events[events["component"].fillna(Component.STRATEGY) == Component.STRATEGY]
    return int(result["quotes"]) + int((strategy["kind"] == EventKind.SIGNAL_RECEIVED).sum())


def resource_use(samples: pd.DataFrame, events: int | None = None) -> ResourceUse:
    if samples.empty:
        return ResourceUse(0, 0.0, *(float("nan"),) * 3, 0, 0, events=events)
    cpu = cpu_samples(samples)
    seconds = cpu_seconds(samples)
    return ResourceUse(
        samples=len(samples),
        window_s=(int(samples["wall_ns"].iloc[-1]) - int(samples["wall_ns"].iloc[0])) / NANOS_PER_SECOND,
        mean_cpu_pct=float(cpu.mean()),
        peak_cpu_pct=float(cpu.max()),
        peak_rss_mb=float(samples["rss_mb"].max()),
        peak_threads=int(samples["threads"].max()),
        peak_open_files=int(samples["open_files"].max()),
        cpu_s=float(seconds.sum()),
        cpu_readings=len(seconds),
        events=events,
        cpu_s_per_kevent=float(seconds.sum()) / events * PER_EVENTS if events and len(seconds) else math.nan,
    )
