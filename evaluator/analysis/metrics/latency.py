"""Signal → order and signal → fill latency, per signal, in two clocks, from one start for every
platform.

- **Processing** (wall clock): from the strategy's receipt of the signal (``signal_received``, the
  same record on every platform) to its first order and first fill. A provider's delivery before
  the receipt (Hummingbot's file or MQTT) is the transport's figure, not counted here twice.
- **Market time**: from the signal's own time (when it is scheduled to become visible) to the market
  time of the first order and first fill: what moves the price a fill gets.

- **Real time** (live runs): from the signal's scheduled availability to its first fill, on the wall
  clock, from the same boundary for every column: the provider's publish for a platform a provider
  feeds (its delivery counts: it is part of that platform's path), the wall time at which the signal's
  market time (plus the run's delivery delay) was shown for one that reads signals in process (its
  ``timeline.json``). What a live platform's delay costs is judged on this, so ``--speed`` changes no score.

Only the first order and first fill carrying the signal's id count: they are the platform's reaction
to that signal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from shared_signals.config import NANOS_PER_MS
from shared_signals.contract.codes import EventKind
from shared_signals.contract.timeline import LiveTimeline

from evaluator.analysis.run_folder import ColumnRun

PERCENTILES = (50, 95, 99)


@dataclass(frozen=True)
class LatencyStats:
    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float


def first_per_signal(events: pd.DataFrame, kind: str, column: str) -> pd.Series:
    """Per signal, the earliest ``column`` (``wall_ns`` or ``sim_ts_ns``) of its records of ``kind``."""
    rows = events[(events["kind"] == kind) & events["signal_id"].notna()]
    return rows.groupby("signal_id")[column].min()


def scheduled_walls(events: pd.DataFrame, schedule: pd.DataFrame, timeline: LiveTimeline | None, provider_fed: bool,
                    signal_delay_ns: int) -> pd.Series:
    """Per signal, the wall time (ns, integers: a float holds today's epoch ns only to 256 ns) it was
    scheduled to become available (see the module's real time); empty for a replay, or a column whose
    run wrote no timeline."""
    if provider_fed:
        return first_per_signal(events, EventKind.SIGNAL_PUBLISHED, "wall_ns").astype("Int64")
    if timeline is None or schedule.empty:
        return pd.Series(dtype="Int64")
    due = schedule.set_index("signal_id")["ts_ns"].astype("int64") + signal_delay_ns
    return (timeline.anchor_wall_ns + ((due - timeline.anchor_market_ns) / timeline.speed).round()).astype("Int64")


def signal_latencies(events: pd.DataFrame, schedule: pd.DataFrame | None = None, available: pd.Series | None = None) -> pd.DataFrame:
    """One row per signal that led to an order: the receipt, submit and fill wall times and the gaps
    in ms; with ``schedule`` (signal_id, ts_ns), the market-time gaps too (``market_to_order_ms``,
    ``market_to_fill_ms``); with ``available`` (:func:`scheduled_walls`), the real-time gap
    ``real_to_fill_ms`` (NaN where a signal has no scheduled wall time)."""
    start = first_per_signal(events, EventKind.SIGNAL_RECEIVED, "wall_ns")
    submitted = first_per_signal(events, EventKind.ORDER_SUBMITTED, "wall_ns")
    filled = first_per_signal(events, EventKind.ORDER_FILLED, "wall_ns")
    frame = pd.DataFrame({"start_ns": start, "submitted_ns": submitted, "filled_ns": filled}).dropna(subset=["start_ns", "submitted_ns"])
    frame["to_order_ms"] = (frame["submitted_ns"] - frame["start_ns"]) / NANOS_PER_MS
    frame["to_fill_ms"] = (frame["filled_ns"] - frame["start_ns"]) / NANOS_PER_MS
    scheduled = pd.Series(dtype="float64") if schedule is None or schedule.empty else schedule.set_index("signal_id")["ts_ns"]
    signal_ns = frame.index.to_series().map(scheduled).astype("float64")
    for name, kind in (("market_to_order_ms", EventKind.ORDER_SUBMITTED), ("market_to_fill_ms", EventKind.ORDER_FILLED)):
        frame[name] = (frame.index.to_series().map(first_per_signal(events, kind, "sim_ts_ns")).astype("float64") - signal_ns) / NANOS_PER_MS
    boundary = frame.index.to_series().map(available if available is not None else pd.Series(dtype="Int64")).astype("Int64")
    exact_fill = filled.astype("Int64").reindex(frame.index)
    frame["real_to_fill_ms"] = ((exact_fill - boundary) / NANOS_PER_MS).astype("float64")
    return frame.sort_values("start_ns")


def summarize(values_ms: pd.Series) -> LatencyStats:
    values = values_ms.dropna().to_numpy(dtype=float)
    if values.size == 0:
        return LatencyStats(0, *(float("nan"),) * 5)
    p50, p95, p99 = np.percentile(values, PERCENTILES)
    return LatencyStats(int(values.size), float(p50), float(p95), float(p99), float(values.max()), float(values.mean()))


def column_latencies(column: ColumnRun, schedule: pd.DataFrame, signal_delay_ns: int) -> pd.DataFrame:
    """:func:`signal_latencies` of one column of a run, with its real-time boundary."""
    available = scheduled_walls(column.events, schedule, column.timeline, column.column.provider_fed, signal_delay_ns)
    return signal_latencies(column.events, schedule, available)
