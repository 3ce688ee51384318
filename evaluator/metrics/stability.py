"""Stability: errors, skipped signals by reason, risk refusals, crashes, heartbeat gaps, torn lines."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaluator.journal import INTERRUPTED_REASON
from shared_signals.config import NANOS_PER_SECOND



@dataclass(frozen=True)
class Stability:
    errors: int
    skipped: dict[str, int]
    rejections: int
    crashed: bool
    """Exited non-zero on its own; a platform the user stopped did not crash."""
    stopped_by_user: bool
    exit_code: int | None
    completed: bool
    """The platform wrote its result: it reached the end of its run."""
    heartbeats: int
    heartbeat_gaps: int
    longest_heartbeat_gap_s: float
    torn_lines: int
    error_samples: list[str] = field(default_factory=list)


def skip_kind(reason: str) -> str:
    """The first word of a skip reason ('stale: 420 s old' → 'stale')."""
    return str(reason).split(":")[0].split()[0] if reason else "unknown"


def heartbeat_gaps(events: pd.DataFrame, interval_s: float, gap_factor: float) -> tuple[int, float, int]:
    """Gaps between consecutive heartbeats longer than ``gap_factor`` × the interval (wall clock)."""
    beats = np.sort(events.loc[events["kind"] == "heartbeat", "wall_ns"].to_numpy(dtype="int64"))
    if beats.size < 2:
        return 0, 0.0, int(beats.size)
    gaps_s = np.diff(beats) / NANOS_PER_SECOND
    return int((gaps_s > gap_factor * interval_s).sum()), float(gaps_s.max()), int(beats.size)


def platform_errors(events: pd.DataFrame) -> pd.Series:
    """Which events are the platform's errors: a user's stop is journaled as an error but is not one."""
    return (events["kind"] == "error") & (events["reason"] != INTERRUPTED_REASON)


def skipped_by_kind(events: pd.DataFrame) -> dict[str, int]:
    """Skipped signals per kind of skip (stale, duplicate, invalid, ...)."""
    counts = events.loc[events["kind"] == "signal_skipped", "reason"].map(skip_kind).value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def stability(
    events: pd.DataFrame, exit_info: dict | None, result: dict | None, torn_lines: int, heartbeat_s: float, gap_factor: float
) -> Stability:
    kinds = events["kind"]
    errors = platform_errors(events)
    gaps, longest, beats = heartbeat_gaps(events, heartbeat_s, gap_factor)
    exit_code = None if exit_info is None else int(exit_info["returncode"])
    stopped_by_user = bool(exit_info and exit_info.get("stopped_by_user"))
    return Stability(
        errors=int(errors.sum()),
        skipped=skipped_by_kind(events),
        rejections=int((kinds == "order_rejected").sum()),
        crashed=exit_code is not None and exit_code != 0 and not stopped_by_user,
        stopped_by_user=stopped_by_user,
        exit_code=exit_code,
        completed=result is not None,
        heartbeats=beats,
        heartbeat_gaps=gaps,
        longest_heartbeat_gap_s=longest,
        torn_lines=torn_lines,
        error_samples=[str(r) for r in events.loc[errors, "reason"].head(3)],
    )
