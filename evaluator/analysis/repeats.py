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
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from evaluator.analysis.confidence import Difference, bootstrap_interval
from evaluator.analysis.scoring import NO_RECOMMENDATION, TIE

MetricsDocument = dict
"""One run's ``metrics.json``, as read back."""


@dataclass(frozen=True)
class RepeatedFigure:
    figure: str
    platform: str
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
    figure: str
    scored: bool
    """Whether the difference can settle a score category (others are shown only)."""
    favours: dict[str, int]
    """Per platform, the runs whose interval on this difference settled it in its favour."""
    runs: int
    differences: list[float]
    """Each run's difference, first platform minus second."""
    low: float
    high: float
    """Bootstrap interval on the median difference, resampling the runs."""


@dataclass(frozen=True)
class Repeats:
    runs: int
    figures: list[RepeatedFigure]
    recommended: dict[str, int]
    """How many runs recommended each outcome (a platform, :data:`TIE` or :data:`NO_RECOMMENDATION`)."""
    settled: list[SettledCount]

    @property
    def confidence(self) -> str:
        """One sentence across the runs, in the words of the single-run confidence."""
        top, count = Counter(self.recommended).most_common(1)[0] if self.recommended else (NO_RECOMMENDATION, 0)
        every = [s for s in self.settled if s.scored]
        carrying = [s.figure for s in every if s.favours.get(top, 0) == self.runs]
        against = [s.figure for s in every if any(n != top and c == self.runs for n, c in s.favours.items())]
        tail = f"; against it in every run: {', '.join(against)}" if against else ""
        if top in (TIE, NO_RECOMMENDATION) or not carrying:
            return (f"{'No platform' if top in (TIE, NO_RECOMMENDATION) else top} recommended in {count} of {self.runs} runs; "
                    f"no measured difference in its favour was material and outside noise in every run{tail}.")
        return (f"{top}, recommended in {count} of {self.runs} runs, on {' and '.join(carrying)}: material and outside noise "
                f"in {self.runs} of {self.runs} runs{tail}.")


FIGURES: dict[str, Callable[[dict], float]] = {
    "p99 signal → fill, processing (ms)": lambda p: p["latency_to_fill"]["p99_ms"],
    "p50 signal → fill, market time (ms)": lambda p: p["market_to_fill"]["p50_ms"],
    "execution cost per fill, mean (bps)": lambda p: p["execution_cost"]["total"]["mean_bps"],
    "share filled as decided": lambda p: p["accuracy"]["decided_share"],
    "mean CPU (% of one core)": lambda p: p["resources"]["mean_cpu_pct"],
    "peak RSS (MB)": lambda p: p["resources"]["peak_rss_mb"],
    "net PnL (USDT)": lambda p: p["trading"]["pnl"],
}
"""Each platform's figure read from one run's ``metrics.json``."""


def number(value: object) -> float:
    return float("nan") if value is None else float(value)


def across_runs(values: list[float], level: float, resamples: int, seed: int) -> tuple[float, float]:
    """Percentile bootstrap interval on the median of one difference over the runs."""
    sample = np.asarray([v for v in values if not np.isnan(v)], dtype=float)
    return bootstrap_interval((sample,), np.median, level, resamples, seed)


def repeats(documents: list[MetricsDocument], level: float, resamples: int, seed: int) -> Repeats:
    names = list(documents[0]["platforms"]) if documents else []
    figures = [RepeatedFigure(label, name, [number(read(doc["platforms"][name])) for doc in documents])
               for label, read in FIGURES.items() for name in names]
    figures += [RepeatedFigure("overall score", name, [number(doc["verdict"]["overall"].get(name)) for doc in documents]) for name in names]
    recommended = dict(Counter(doc["verdict"]["recommended"] for doc in documents))
    settled: dict[str, Counter] = {}
    scored: dict[str, bool] = {}
    per_run: dict[str, list[float]] = {}
    for doc in documents:
        for raw in doc["verdict"].get("differences", []):
            difference = Difference(**{**raw, "values": tuple(number(v) for v in raw["values"]),
                                       "low": number(raw["low"]), "high": number(raw["high"])})
            counts = settled.setdefault(difference.figure, Counter())
            scored[difference.figure] = difference.category is not None
            per_run.setdefault(difference.figure, []).append(difference.difference)
            if difference.better is not None:
                counts[difference.better] += 1
    return Repeats(len(documents), figures, recommended,
                   [SettledCount(figure, scored[figure], dict(counts), len(documents), per_run[figure],
                                 *across_runs(per_run[figure], level, resamples, seed)) for figure, counts in settled.items()])
