"""Repeated runs of the same comparison: each figure as a median with its range across runs, and how
often each run's recommendation and settled differences came out the same way.

Live runs are not deterministic (scheduling, the wall clock, the tick phase); the spread across runs
in fresh processes is what one run's figure cannot show. Each figure's interval across runs is their
range (lowest to highest): with a handful of runs, a percentile would be one of them anyway. Each
difference the recommendation uses also gets a bootstrap interval on its median over the runs
(resampling runs), beside the count of runs whose own interval settled it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from evaluator.analysis.confidence import Figure
from evaluator.analysis.resampling import bootstrap_interval
from evaluator.analysis.summary import RepeatFigure, RunSummary
from evaluator.analysis.verdict import NO_RECOMMENDATION, TIE


@dataclass(frozen=True)
class RepeatedFigure:
    figure: RepeatFigure
    column: str
    values: list[float]
    """One per run, in run order."""

    @property
    def median(self) -> float:
        return float(np.median(self.values)) if self.values else float("nan")

    @property
    def low(self) -> float:
        return float(min(self.values)) if self.values else float("nan")

    @property
    def high(self) -> float:
        return float(max(self.values)) if self.values else float("nan")


@dataclass(frozen=True)
class SettledCount:
    figure: Figure
    first: str
    second: str
    scored: bool
    """Whether the difference can settle a score category (others are shown only)."""
    favours: dict[str, int]
    """Per column, the runs whose interval on this difference settled it in its favour."""
    runs: int
    differences: list[float]
    """Each run's difference, first column minus second."""
    low: float
    high: float
    """Bootstrap interval on the median difference, resampling the runs."""


@dataclass(frozen=True)
class Repeats:
    runs: int
    figures: list[RepeatedFigure]
    recommended: dict[str, int]
    """How many runs recommended each outcome (a column, :data:`TIE` or :data:`NO_RECOMMENDATION`)."""
    settled: list[SettledCount]

    @property
    def top(self) -> tuple[str, int]:
        """The most frequent recommendation and its count."""
        return Counter(self.recommended).most_common(1)[0] if self.recommended else (NO_RECOMMENDATION, 0)

    @property
    def carrying(self) -> list[SettledCount]:
        """Scored differences settled in the top recommendation's favour in every run (none for a tie)."""
        top = self.top[0]
        if top in (TIE, NO_RECOMMENDATION):
            return []
        return [s for s in self.settled if s.scored and s.favours.get(top, 0) == self.runs]

    @property
    def against(self) -> list[SettledCount]:
        """Scored differences settled for another column in every run."""
        top = self.top[0]
        return [s for s in self.settled if s.scored and any(n != top and c == self.runs for n, c in s.favours.items())]


def across_runs(values: list[float], level: float, resamples: int, seed: int) -> tuple[float, float]:
    """Percentile bootstrap interval on the median of one difference over the runs."""
    sample = np.asarray([v for v in values if not np.isnan(v)], dtype=float)
    return bootstrap_interval((sample,), np.median, level, resamples, seed)


def repeats(summaries: list[RunSummary], level: float, resamples: int, seed: int) -> Repeats:
    names = list(summaries[0].figures) if summaries else []
    figures = [RepeatedFigure(figure, name, [float(s.figures[name].get(figure, float("nan"))) for s in summaries])
               for figure in RepeatFigure for name in names]
    recommended = dict(Counter(s.recommended for s in summaries))
    counts: dict[tuple[Figure, str, str], Counter] = {}
    scored: dict[tuple[Figure, str, str], bool] = {}
    per_run: dict[tuple[Figure, str, str], list[float]] = {}
    for summary in summaries:
        for difference in summary.differences:
            key = (difference.figure, difference.first, difference.second)
            found = counts.setdefault(key, Counter())
            scored[key] = difference.category is not None
            per_run.setdefault(key, []).append(difference.difference)
            if difference.better is not None:
                found[difference.better] += 1
    return Repeats(len(summaries), figures, recommended, [
        SettledCount(key[0], key[1], key[2], scored[key], dict(found), len(summaries), per_run[key],
                     *across_runs(per_run[key], level, resamples, seed))
        for key, found in counts.items()
    ])
