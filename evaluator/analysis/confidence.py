"""Intervals on the differences the recommendation uses: is a lead outside noise, and material?

Each figure is recomputed on bootstrap resamples of its own units within the run: signals for
latency and accuracy, fills for execution cost, the supervisor's samples for CPU (scipy's
percentile bootstrap, the two columns resampled independently, a fixed seed so a rebuilt report
is the same). A difference whose interval contains zero, or lies wholly within its materiality
threshold, settles nothing: the category is a tie between the two columns.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy.stats import bootstrap

from evaluator.analysis.columns import ColumnFigures
from evaluator.analysis.metrics.materiality import latency_cost_bps
from evaluator.analysis.metrics.resources import cpu_samples
from evaluator.analysis.run_folder import ColumnRun
from shared_signals.config import MS_PER_SECOND

BATCH = 100
"""Resamples drawn at once: years of hourly fills are tens of thousands of units, and all 2,000
resamples of them at once would hold hundreds of MB."""
Statistic = Callable[..., np.ndarray]
"""A figure of one column's sample, along ``axis`` (scipy's vectorised form)."""


class Figure(StrEnum):
    """The figures whose differences the recommendation uses (the report names them)."""

    LATENCY_COST = "latency_cost"
    P99_FILL = "p99_fill_processing"
    EXECUTION_COST = "execution_cost"
    FILLED_AS_DECIDED = "filled_as_decided"
    MEAN_CPU = "mean_cpu"


@dataclass(frozen=True)
class Difference:
    figure: Figure
    category: str | None
    """The score category the difference can settle; None for a figure shown, not scored."""
    unit: str
    lower_is_better: bool
    first: str
    second: str
    values: tuple[float, float]
    """The figure of ``first`` and of ``second``."""
    low: float
    high: float
    """The interval on ``first − second``; NaN with fewer than two units on a side."""
    threshold: float
    """The smallest difference that can matter, in ``unit`` (0: any)."""
    level: float

    @property
    def difference(self) -> float:
        return self.values[0] - self.values[1]

    @property
    def measured(self) -> bool:
        return not (math.isnan(self.low) or math.isnan(self.high))

    @property
    def within_noise(self) -> bool:
        return self.low <= 0.0 <= self.high

    @property
    def immaterial(self) -> bool:
        return -self.threshold <= self.low and self.high <= self.threshold

    @property
    def settled(self) -> bool:
        return self.measured and not self.within_noise and not self.immaterial

    @property
    def better(self) -> str | None:
        """The column the settled difference favours; None when it settles nothing."""
        if not self.settled:
            return None
        first_lower = self.difference < 0
        return self.first if first_lower == self.lower_is_better else self.second


def bootstrap_interval(
    samples: tuple[np.ndarray, ...], statistic: Statistic, level: float, resamples: int, seed: int
) -> tuple[float, float]:
    """Percentile bootstrap interval on ``statistic`` of ``samples``, each resampled apart; NaN when
    a sample has fewer than two units."""
    if any(len(sample) < 2 for sample in samples):
        return math.nan, math.nan
    result = bootstrap(samples, statistic, vectorized=True, paired=False, confidence_level=level, n_resamples=resamples,
                       batch=BATCH, method="percentile", rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def difference_interval(
    a: np.ndarray, b: np.ndarray, statistic: Statistic, level: float, resamples: int, seed: int
) -> tuple[float, float]:
    """The interval on ``statistic(a) − statistic(b)``, a and b resampled apart."""
    return bootstrap_interval((a, b), lambda x, y, axis=-1: statistic(x, axis=axis) - statistic(y, axis=axis), level, resamples, seed)


def percentile_99(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.percentile(x, 99, axis=axis)


def latency_cost(volatility: float) -> Statistic:
    """The expected cost in bps of the median signal → fill market time (ms), as the latency score."""
    def statistic(x: np.ndarray, axis: int = -1) -> np.ndarray:
        return latency_cost_bps(np.median(x, axis=axis) / MS_PER_SECOND, volatility)
    return statistic


def filled_as_decided(m: ColumnFigures) -> np.ndarray:
    """One unit per signal the column sent orders for: 1 when filled as decided."""
    accuracy = m.accuracy
    return np.r_[np.ones(accuracy.filled_as_decided), np.zeros(accuracy.decided - accuracy.filled_as_decided)]


@dataclass(frozen=True)
class FigureSpec:
    """How to draw, summarise and judge one figure."""

    figure: Figure
    category: str | None
    unit: str
    lower_is_better: bool
    sample: Callable[[ColumnFigures, ColumnRun], np.ndarray]
    statistic: Statistic
    threshold: float


def differences(
    pair: tuple[tuple[ColumnFigures, ColumnRun], tuple[ColumnFigures, ColumnRun]], specs: list[FigureSpec],
    level: float, resamples: int, seed: int,
) -> list[Difference]:
    """Each figure's difference between the pair's two columns (first minus second), with its interval."""
    first, second = (figures.name for figures, _ in pair)
    found = []
    for spec in specs:
        a, b = (np.asarray(spec.sample(figures, run_column), dtype=float) for figures, run_column in pair)
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        values = tuple(float(spec.statistic(x)) if len(x) else math.nan for x in (a, b))
        low, high = difference_interval(a, b, spec.statistic, level, resamples, seed)
        found.append(Difference(spec.figure, spec.category, spec.unit, spec.lower_is_better, first, second, values, low, high,
                                spec.threshold, level))
    return found


SCORE_SCALE = 10.0
"""A category score's range: thresholds in a figure's unit come from the scores' tie band."""


def recommendation_figures(
    volatility: float, fee_bps: float, material_fee_share: float, ties_within: float, cpu_worst_pct: float
) -> list[FigureSpec]:
    """The figures the recommendation rests on, each with the threshold below which it cannot matter:
    a share of the fee for costs in bps (what a trade pays anyway), the scores' tie band turned into
    the figure's unit for shares and CPU."""
    cost_threshold = material_fee_share * fee_bps
    return [
        FigureSpec(Figure.LATENCY_COST, "latency", "bps", True,
                   lambda m, r: m.latencies["market_to_fill_ms"].to_numpy(dtype=float),
                   latency_cost(volatility), cost_threshold),
        FigureSpec(Figure.P99_FILL, None, "ms", True,
                   lambda m, r: m.latencies["to_fill_ms"].to_numpy(dtype=float), percentile_99, 0.0),
        FigureSpec(Figure.EXECUTION_COST, "trading_results", "bps", True,
                   lambda m, r: m.execution_cost.per_fill["cost_bps"].to_numpy(dtype=float), np.mean, cost_threshold),
        FigureSpec(Figure.FILLED_AS_DECIDED, "execution_accuracy", "share", False,
                   lambda m, r: filled_as_decided(m), np.mean, ties_within / SCORE_SCALE),
        FigureSpec(Figure.MEAN_CPU, "resources", "%", True,
                   lambda m, r: cpu_samples(r.resources).to_numpy(dtype=float), np.mean,
                   2 * ties_within * cpu_worst_pct / SCORE_SCALE),
    ]
