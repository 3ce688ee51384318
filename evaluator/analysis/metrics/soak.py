"""Soak figures per hour: signals scheduled vs received vs acted on (market hours), and errors and
heartbeat gaps (wall hours). A soak's memory verdict is the platform's one memory figure, fitted after
the warm-up (:func:`evaluator.analysis.columns.column_memory`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.stability import platform_errors
from shared_signals.config import NANOS_PER_HOUR, NANOS_PER_SECOND
from shared_signals.contract.codes import EventKind



@dataclass(frozen=True)
class SoakFigures:
    hourly: pd.DataFrame
    """hour, scheduled, received, acted_on, errors, heartbeat_gaps."""


def _per_hour(ts: pd.Series, origin: int) -> pd.Series:
    return ((ts.astype("int64") - origin) // NANOS_PER_HOUR).value_counts()


def soak_figures(events: pd.DataFrame, schedule: pd.DataFrame, heartbeat_s: float, gap_factor: float) -> SoakFigures:
    market = events["sim_ts_ns"].dropna()
    origin = int(schedule["ts_ns"].min()) if len(schedule) else (int(market.min()) if len(market) else 0)
    horizon = int(market.max()) if len(market) else origin
    scheduled = _per_hour(schedule.loc[schedule["ts_ns"] <= horizon, "ts_ns"], origin)
    received = _per_hour(events.loc[events["kind"] == EventKind.SIGNAL_RECEIVED, "sim_ts_ns"].dropna(), origin)
    orders = events[(events["kind"] == EventKind.ORDER_SUBMITTED) & events["signal_id"].notna()]
    acted = _per_hour(orders.drop_duplicates("signal_id")["sim_ts_ns"].dropna(), origin)
    wall = events["wall_ns"].dropna().astype("int64")
    wall_origin = int(wall.min()) if len(wall) else 0
    errors = _per_hour(events.loc[platform_errors(events), "wall_ns"], wall_origin)
    beats = np.sort(events.loc[events["kind"] == EventKind.HEARTBEAT, "wall_ns"].to_numpy(dtype="int64"))
    gap_ends = beats[1:][np.diff(beats) > gap_factor * heartbeat_s * NANOS_PER_SECOND] if beats.size > 1 else np.array([], dtype="int64")
    gaps = _per_hour(pd.Series(gap_ends), wall_origin)
    hours = sorted(set(scheduled.index) | set(received.index) | set(acted.index) | set(errors.index) | set(gaps.index))
    hourly = pd.DataFrame(
        {
            "hour": hours,
            "scheduled": [int(scheduled.get(h, 0)) for h in hours],
            "received": [int(received.get(h, 0)) for h in hours],
            "acted_on": [int(acted.get(h, 0)) for h in hours],
            "errors": [int(errors.get(h, 0)) for h in hours],
            "heartbeat_gaps": [int(gaps.get(h, 0)) for h in hours],
        }
    )
    return SoakFigures(hourly)
