"""Where the wall-clock time between a signal and its fill goes, stage by stage.

Each signal that led to an order passes milestones, each the first journal record of its kind for
that signal: published (the provider's hand-off to its transport) → received → decided → submitted →
accepted by the venue → filled. A stage runs from one milestone to the next one the signal has: a
platform without a provider has no "published", a venue that sends no acknowledgement of a market
order no "accepted", and then the stage is "submitted → filled".

A platform may report a milestone after the one that follows it (Hummingbot's paper exchange
announces an order's creation 10 ms after the order, asynchronously, so in a replay the fill comes
first). Such a milestone is left out of that signal's chain and counted, so no stage is negative.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from shared_signals.config import NANOS_PER_MS
from shared_signals.contract.codes import EventKind

from evaluator.analysis.metrics.latency import LatencyStats, first_per_signal, summarize

MILESTONES: tuple[tuple[str, EventKind], ...] = (
    ("published", EventKind.SIGNAL_PUBLISHED),
    ("received", EventKind.SIGNAL_RECEIVED),
    ("decided", EventKind.DECISION),
    ("submitted", EventKind.ORDER_SUBMITTED),
    ("accepted", EventKind.ORDER_ACCEPTED),
    ("filled", EventKind.ORDER_FILLED),
)
MILESTONE_ORDER = {name: i for i, (name, _) in enumerate(MILESTONES)}
ARROW = " → "


@dataclass(frozen=True)
class Stage:
    start: str
    end: str
    latency: LatencyStats

    @property
    def name(self) -> str:
        return f"{self.start}{ARROW}{self.end}"

    @property
    def position(self) -> tuple[int, int]:
        """The stage's place in the chain, by its two milestones: the same order on every platform."""
        return MILESTONE_ORDER[self.start], MILESTONE_ORDER[self.end]


@dataclass(frozen=True)
class Stages:
    stages: list[Stage]
    """In milestone order; only the stages some signal passed."""
    reported_late: dict[str, int]
    """Per milestone, the signals whose record of it came after a later milestone's (left out)."""

    @property
    def by_name(self) -> dict[str, LatencyStats]:
        return {stage.name: stage.latency for stage in self.stages}


def milestone_times(events: pd.DataFrame) -> pd.DataFrame:
    """One row per signal that led to an order, one column per milestone: its first wall time (ns)."""
    times = pd.DataFrame({name: first_per_signal(events, kind, "wall_ns") for name, kind in MILESTONES}, columns=[n for n, _ in MILESTONES])
    return times[times["submitted"].notna()].astype("float64")


def stage_latencies(events: pd.DataFrame) -> Stages:
    times = milestone_times(events)
    later_first = times.iloc[:, ::-1].cummin(axis=1).iloc[:, ::-1].shift(-1, axis=1)
    late = times > later_first
    reported_late = {name: int(count) for name, count in late.sum().items() if count}
    times = times.mask(late)
    names = list(times.columns)
    gaps: dict[tuple[str, str], list[pd.Series]] = {}
    for i, start in enumerate(names[:-1]):
        rest = times[names[i + 1:]]
        has_next = rest.notna().any(axis=1) & times[start].notna()
        if not has_next.any():
            continue
        following = rest[has_next].notna().idxmax(axis=1)
        for end, rows in following.groupby(following).groups.items():
            gap = (times.loc[rows, end] - times.loc[rows, start]) / NANOS_PER_MS
            gaps.setdefault((start, end), []).append(gap)
    stages = sorted((Stage(start, end, summarize(pd.concat(parts))) for (start, end), parts in gaps.items()), key=lambda s: s.position)
    return Stages(stages, reported_late)


def stage_names(all_stages: list[Stages]) -> list[str]:
    """Every stage any of ``all_stages`` passed, once each, in chain order: the rows of one table."""
    unique = {stage.name: stage.position for stages in all_stages for stage in stages.stages}
    return sorted(unique, key=unique.get)
