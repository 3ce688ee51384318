"""Signal → order and signal → fill latency, per signal, from the journal's wall clock.

The start of a signal is when it was published (``signal_published``; Hummingbot's provider) or,
when the platform receives signals in-process (Nautilus), when the strategy first saw it in force
(``signal_received``). Only the first order and first fill carrying the signal's id count: they are
the platform's reaction to that signal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from shared_signals.config import NANOS_PER_MS
from shared_signals.contract.codes import EventKind

PERCENTILES = (50, 95, 99)


@dataclass(frozen=True)
class LatencyStats:
    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float


def _first_wall(events: pd.DataFrame, kind: str) -> pd.Series:
    rows = events[(events["kind"] == kind) & events["signal_id"].notna()]
    return rows.groupby("signal_id")["wall_ns"].min()


def signal_latencies(events: pd.DataFrame) -> pd.DataFrame:
    """One row per signal that led to an order: start, submit and fill wall times, and the gaps in ms."""
    published = _first_wall(events, EventKind.SIGNAL_PUBLISHED)
    received = _first_wall(events, EventKind.SIGNAL_RECEIVED)
    start = published.combine_first(received)
    submitted = _first_wall(events, EventKind.ORDER_SUBMITTED)
    filled = _first_wall(events, EventKind.ORDER_FILLED)
    frame = pd.DataFrame({"start_ns": start, "submitted_ns": submitted, "filled_ns": filled}).dropna(subset=["start_ns", "submitted_ns"])
    frame["to_order_ms"] = (frame["submitted_ns"] - frame["start_ns"]) / NANOS_PER_MS
    frame["to_fill_ms"] = (frame["filled_ns"] - frame["start_ns"]) / NANOS_PER_MS
    return frame.sort_values("start_ns")


def summarize(values_ms: pd.Series) -> LatencyStats:
    values = values_ms.dropna().to_numpy(dtype=float)
    if values.size == 0:
        return LatencyStats(0, *(float("nan"),) * 5)
    p50, p95, p99 = np.percentile(values, PERCENTILES)
    return LatencyStats(int(values.size), float(p50), float(p95), float(p99), float(values.max()), float(values.mean()))
