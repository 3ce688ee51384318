"""Stability: errors, skipped signals and refusals by their codes, crashes, heartbeat gaps, torn lines."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import USER_STOPS, EventKind, ExitCause
from shared_signals.risk import RiskRule


@dataclass(frozen=True)
class Halt:
    """The risk gate's kill switch tripped: it closed the open position, if any, and no order went out
    after it (the switch stays tripped)."""

    tripped_ns: int
    """Market time of its close or its first refusal, whichever came first."""
    refused: int
    """Orders it refused."""
    last_fill_ns: int | None
    end_ns: int
    """The column's last market time: the run went on without trading."""
    closed_ns: int | None = None
    """Market time its close of the open position was sent (None: it closed nothing)."""


@dataclass(frozen=True)
class Stability:
    errors: int
    """The platform's errors: every ``error`` event but the user's stop."""
    errors_by_kind: dict[str, int]
    """Every ``error`` event per code, the user's stop (``interrupted``) included: how the run went and ended."""
    skipped: dict[str, int]
    """Skipped signals per skip kind (the journal's code)."""
    rejections: int
    rejections_by_kind: dict[str, int]
    """Refused orders per refusal kind: the risk gate's rule, or the platform's or venue's refusal."""
    notices_by_kind: dict[str, int]
    """Transport notices per kind (connection lost, reconnected, resent, outbox full), all processes."""
    crashed: bool
    """Exited non-zero on its own; a platform the user stopped did not crash."""
    stopped_by_user: bool
    exit_code: int | None
    completed: bool
    """The platform wrote its result: it reached the end of its run."""
    heartbeats: int
    heartbeat_gaps: int | None
    """None when the run was too short for a gap to show (its journal spans less wall time than one
    gap): "no gaps" would then be empty evidence."""
    longest_heartbeat_gap_s: float
    torn_lines: int
    error_samples: list[str] = field(default_factory=list)
    halt: Halt | None = None


def heartbeat_gaps(events: pd.DataFrame, interval_s: float, gap_factor: float) -> tuple[int | None, float, int]:
    """Gaps between consecutive heartbeats longer than ``gap_factor`` × the interval (wall clock);
    None when the journal spans less wall time than that, so no gap could have shown."""
    beats = np.sort(events.loc[events["kind"] == EventKind.HEARTBEAT, "wall_ns"].to_numpy(dtype="int64"))
    walls = events["wall_ns"].dropna()
    span_s = (walls.max() - walls.min()) / NANOS_PER_SECOND if len(walls) > 1 else 0.0
    if span_s < gap_factor * interval_s:
        return None, 0.0, int(beats.size)
    if beats.size < 2:
        return 0, 0.0, int(beats.size)
    gaps_s = np.diff(beats) / NANOS_PER_SECOND
    return int((gaps_s > gap_factor * interval_s).sum()), float(gaps_s.max()), int(beats.size)


def platform_errors(events: pd.DataFrame) -> pd.Series:
    """Which events are the platform's errors: a user's stop is journaled as an error but is not one."""
    return (events["kind"] == EventKind.ERROR) & ~events["code"].isin(USER_STOPS)


def count_codes(events: pd.DataFrame, kind: EventKind) -> dict[str, int]:
    """Events of ``kind`` per code (a record without one counts as ``unknown``)."""
    counts = events.loc[events["kind"] == kind, "code"].fillna("unknown").value_counts()
    return {str(k): int(v) for k, v in sorted(counts.items())}


def skipped_by_kind(events: pd.DataFrame) -> dict[str, int]:
    """Skipped signals per skip kind (invalid, duplicate, out_of_order, stale, expired)."""
    return count_codes(events, EventKind.SIGNAL_SKIPPED)


def halt(events: pd.DataFrame) -> Halt | None:
    switched = events[(events["kind"] == EventKind.ORDER_REJECTED) & (events["code"] == RiskRule.KILL_SWITCH)]
    closes = events.loc[(events["kind"] == EventKind.ORDER_SUBMITTED) & (events["code"] == ExitCause.KILL_SWITCH), "sim_ts_ns"].dropna()
    if switched.empty and closes.empty:
        return None
    closed_ns = int(closes.min()) if len(closes) else None
    tripped_ns = min(int(t) for t in (switched["sim_ts_ns"].min(), closed_ns) if t is not None and pd.notna(t))
    fills = events.loc[events["kind"] == EventKind.ORDER_FILLED, "sim_ts_ns"].dropna()
    return Halt(tripped_ns, len(switched), int(fills.max()) if len(fills) else None, int(events["sim_ts_ns"].dropna().max()),
                closed_ns)


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
        errors_by_kind=count_codes(events, EventKind.ERROR),
        notices_by_kind=count_codes(events, EventKind.TRANSPORT),
        skipped=skipped_by_kind(events),
        rejections=int((kinds == EventKind.ORDER_REJECTED).sum()),
        rejections_by_kind=count_codes(events, EventKind.ORDER_REJECTED),
        crashed=exit_code is not None and exit_code != 0 and not stopped_by_user,
        stopped_by_user=stopped_by_user,
        exit_code=exit_code,
        completed=result is not None,
        heartbeats=beats,
        heartbeat_gaps=gaps,
        longest_heartbeat_gap_s=longest,
        torn_lines=torn_lines,
        error_samples=[str(r) for r in events.loc[errors, "reason"].head(3)],
        halt=halt(events),
    )
