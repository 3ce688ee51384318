"""Intervals on the differences the recommendation uses, and what each one settles, as facts.

Each difference is resampled over the units its figure is made of (``evaluator.analysis.resampling``):

- **latency cost** (the alpha decay at each column's delay, ``metrics.materiality``): by signal, the
  pair kept: side × (mid(σ + d_a) − mid(σ + d_b)) / mid(σ) per signal, its mean bootstrapped;
- **return gap** (each column's gross return against the ideal reference's, what the trading-results
  score reads): by signal period, the three kept together (``metrics.return_gap``): |Σ a's gaps| −
  |Σ b's gaps| over the resampled periods, so a signal one column alone traded counts;
- **execution cost**: per signal both columns filled (each signal's fills, quantity-weighted), paired;
  shown, not scored (it holds the fee, which is the venue's, and leaves out what one column alone
  traded);
- **filled as decided**: per signal either column sent orders for, paired: each column's share over
  the resampled signals it decided;
- **p99 signal → fill (processing)**: each column's own fills, apart (a quantile of each one's own
  distribution, shown, not scored);

a figure of signals or fills with fewer than ``MIN_UNITS`` on a side is shown and left unscored;
- **CPU seconds per thousand events**: the supervisor's per-interval CPU seconds, moving blocks of
  consecutive samples, each column apart; with fewer than ``MIN_CPU_SAMPLES`` readings on a side it is
  shown and left unscored.

A difference settles its category only when its interval excludes zero *and* its size is beyond its
threshold: inside the threshold it is immaterial whatever the interval, and the category is a tie.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from evaluator.analysis.columns import ColumnFigures
from evaluator.analysis.metrics.materiality import AlphaDecay
from evaluator.analysis.metrics.resources import PER_EVENTS, cpu_seconds
from evaluator.analysis.metrics.trading import TradingResults
from evaluator.analysis.numbers import BPS_PER_PERCENT
from evaluator.analysis.resampling import block_difference_interval, block_length, bootstrap_interval, paired_interval
from evaluator.analysis.run_folder import ColumnRun

MIN_CPU_SAMPLES = 30
"""Fewer CPU readings than this on a side (30 s of 1 Hz samples) leave the CPU difference unscored: a
few seconds of a shared machine change sign between reruns of the same inputs."""
MIN_UNITS = 30
"""Fewer signals (or fills) than this on a side leave a difference unscored: a percentile bootstrap of
a handful of units has few distinct resamples (two signals: three means), and its interval is not at
its stated level."""
SCORE_SCALE = 10.0
"""A category score's range: thresholds in a figure's unit come from the scores' tie band."""


class Figure(StrEnum):
    """The figures whose differences the recommendation uses (the report names them)."""

    LATENCY_COST = "latency_cost"
    RETURN_GAP = "return_gap"
    P99_FILL = "p99_fill_processing"
    EXECUTION_COST = "execution_cost"
    FILLED_AS_DECIDED = "filled_as_decided"
    CPU_PER_KEVENT = "cpu_s_per_kevent"


class Resampling(StrEnum):
    PAIRED = "paired"
    """The units both columns have, resampled together."""
    APART = "apart"
    """Each column's units resampled on their own."""
    PERIODS = "signal_periods"
    """Signal periods (a signal's time to the next's), both columns and the ideal reference together."""
    BLOCKS = "moving_blocks"
    """Moving blocks of consecutive samples, each column apart."""


class Judgement(StrEnum):
    """What a difference settles."""

    UNSCORED = "unscored"
    """Fewer units than the figure's stated minimum on a side: shown, not scored."""
    UNMEASURED = "unmeasured"
    """No interval (fewer than two units on a side, or no figure)."""
    WITHIN_NOISE = "within_noise"
    """Its interval contains zero."""
    IMMATERIAL = "immaterial"
    """Outside noise, but its size is within the threshold."""
    SETTLED = "settled"
    """Its interval excludes zero and its size is beyond the threshold."""


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
    """The figure of ``first`` and of ``second`` (for a paired figure, over the units both have)."""
    low: float
    high: float
    """The interval on ``first − second``; NaN with fewer than two units on a side."""
    threshold: float
    """The size a difference must exceed to matter, in ``unit`` (0: any)."""
    level: float
    units: tuple[int, int] | None = None
    """Units resampled per side (signals, fills or samples; the same count twice when paired)."""
    resampling: Resampling = Resampling.APART
    min_units: int = 0
    """Fewer units than this on a side leave the difference unscored."""
    block: tuple[int, int] | None = None
    """Samples per moving block, per side (``Resampling.BLOCKS``)."""
    judgement: Judgement = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "judgement", self._judge())

    def _judge(self) -> Judgement:
        if self.units is not None and min(self.units) < self.min_units:
            return Judgement.UNSCORED
        if any(math.isnan(x) for x in (self.low, self.high, self.difference)):
            return Judgement.UNMEASURED
        if self.low <= 0.0 <= self.high:
            return Judgement.WITHIN_NOISE
        if abs(self.difference) <= self.threshold:
            return Judgement.IMMATERIAL
        return Judgement.SETTLED

    @property
    def difference(self) -> float:
        return self.values[0] - self.values[1]

    @property
    def measured(self) -> bool:
        return not (math.isnan(self.low) or math.isnan(self.high))

    @property
    def within_noise(self) -> bool:
        return self.judgement == Judgement.WITHIN_NOISE

    @property
    def immaterial(self) -> bool:
        return self.judgement == Judgement.IMMATERIAL

    @property
    def settled(self) -> bool:
        return self.judgement == Judgement.SETTLED

    @property
    def better(self) -> str | None:
        """The column the settled difference favours; None when it settles nothing."""
        if not self.settled:
            return None
        first_lower = self.difference < 0
        return self.first if first_lower == self.lower_is_better else self.second


@dataclass(frozen=True)
class Thresholds:
    """The size each kind of difference must exceed to matter, in its unit."""

    cost_bps: float
    """A share of the fee a trade pays anyway (latency and execution costs)."""
    share: float
    """The scores' tie band as a share (filled as decided)."""
    return_bps: float
    """The return gap that moves the trading-results score by the tie band, in bps of capital."""
    cpu_s_per_kevent: float
    """The CPU difference that moves the resources score by the tie band."""


def thresholds(fee_bps: float, material_fee_share: float, ties_within: float, cpu_worst_s_per_kevent: float,
               return_gap_worst_bps: float) -> Thresholds:
    """Costs: ``material_fee_share`` of the fee; shares, return gaps and CPU: the scores' tie band in the
    figure's unit (CPU is half the resources score, so twice the band)."""
    return Thresholds(material_fee_share * fee_bps, ties_within / SCORE_SCALE, ties_within * return_gap_worst_bps / SCORE_SCALE,
                      2 * ties_within * cpu_worst_s_per_kevent / SCORE_SCALE)


@dataclass(frozen=True)
class Resamples:
    level: float
    resamples: int
    seed: int


def percentile_99(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.percentile(x, 99, axis=axis)


def mean_of(x: np.ndarray) -> float:
    return float(np.mean(x)) if len(x) else math.nan


def paired_mean(per_unit: np.ndarray, r: Resamples) -> tuple[float, float]:
    """The interval on the mean of per-unit differences (a paired difference of means)."""
    return bootstrap_interval((per_unit,), np.mean, r.level, r.resamples, r.seed)


def latency_difference(a: ColumnFigures, b: ColumnFigures, decay: AlphaDecay, threshold: float, r: Resamples) -> Difference:
    """The decay at a's delay minus the decay at b's, paired by signal."""
    per_signal = decay.between_bps(a.latency_score_delay_s, b.latency_score_delay_s)
    n = len(per_signal)
    return Difference(Figure.LATENCY_COST, "latency", "bps", True, a.name, b.name, (a.latency_cost_bps, b.latency_cost_bps),
                      *paired_mean(per_signal, r), threshold, r.level, (n, n), Resampling.PAIRED, MIN_UNITS)


def absolute_sums(gaps_a: np.ndarray, gaps_b: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.abs(gaps_a.sum(axis=axis)) - np.abs(gaps_b.sum(axis=axis))


def return_gap_difference(a: ColumnFigures, b: ColumnFigures, ideal: TradingResults | None,
                          gaps: tuple[np.ndarray, np.ndarray] | None, threshold: float, r: Resamples) -> Difference:
    """|a's gross return − the ideal's| minus b's, in bps of capital: the figure the trading-results
    score reads; its interval resamples signal periods (``gaps``: each column's gap per period),
    unmeasured without the ideal reference or marks."""
    n = 0 if gaps is None else len(gaps[0])
    if n:  # the statistic on the sample itself: inside its own resamples' range, float noise and all
        values = (abs(float(gaps[0].sum())), abs(float(gaps[1].sum())))
    else:
        values = (math.nan, math.nan) if ideal is None else tuple(
            abs(m.trading.gross_return_pct - ideal.gross_return_pct) * BPS_PER_PERCENT for m in (a, b))
    low, high = (math.nan, math.nan) if gaps is None or n < 2 else paired_interval(gaps, absolute_sums, r.level, r.resamples, r.seed)
    return Difference(Figure.RETURN_GAP, "trading_results", "bps of capital", True, a.name, b.name, values, low, high,
                      threshold, r.level, (n, n), Resampling.PERIODS, MIN_UNITS)


def signal_costs(per_fill: pd.DataFrame) -> pd.Series:
    """Per signal, the quantity-weighted mean cost of its fills, in bps."""
    fills = per_fill[["signal_id", "cost_bps", "qty"]].astype({"cost_bps": float, "qty": float}).dropna()
    weighted = (fills["cost_bps"] * fills["qty"]).groupby(fills["signal_id"]).sum()
    return weighted / fills.groupby("signal_id")["qty"].sum()


def execution_cost_difference(a: ColumnFigures, b: ColumnFigures, threshold: float, r: Resamples) -> Difference:
    """The mean cost per signal both columns filled, a minus b, paired by signal."""
    both = pd.concat([signal_costs(a.execution_cost.per_fill), signal_costs(b.execution_cost.per_fill)], axis=1,
                     join="inner", keys=["a", "b"])
    ca, cb = both["a"].to_numpy(dtype=float), both["b"].to_numpy(dtype=float)
    return Difference(Figure.EXECUTION_COST, None, "bps", True, a.name, b.name, (mean_of(ca), mean_of(cb)),
                      *paired_mean(ca - cb, r), threshold, r.level, (len(both), len(both)), Resampling.PAIRED, MIN_UNITS)


def share_difference(da: np.ndarray, fa: np.ndarray, db: np.ndarray, fb: np.ndarray, axis: int = -1) -> np.ndarray:
    """Filled / decided of a minus that of b, over the same signals."""
    return fa.sum(axis=axis) / da.sum(axis=axis) - fb.sum(axis=axis) / db.sum(axis=axis)


def filled_as_decided_difference(a: ColumnFigures, b: ColumnFigures, threshold: float, r: Resamples) -> Difference:
    """Each column's share filled as decided, over the signals either decided, resampled together;
    unmeasured unless each column decided two signals at least."""
    sa, sb = a.accuracy.as_decided, b.accuracy.as_decided
    either = sa.index.union(sb.index)
    arrays = tuple(x.to_numpy(dtype=float) for s in (sa, sb)
                   for x in (pd.Series(either.isin(s.index), index=either), s.reindex(either, fill_value=False)))
    values = (a.accuracy.decided_share, b.accuracy.decided_share)
    low, high = (math.nan, math.nan) if min(len(sa), len(sb)) < 2 else paired_interval(
        arrays, share_difference, r.level, r.resamples, r.seed)
    return Difference(Figure.FILLED_AS_DECIDED, "execution_accuracy", "share", False, a.name, b.name, values, low, high,
                      threshold, r.level, (len(either), len(either)), Resampling.PAIRED, MIN_UNITS)


def p99_difference(a: ColumnFigures, b: ColumnFigures, r: Resamples) -> Difference:
    """Processing p99, each column's own fills resampled apart; shown, not scored."""
    xa, xb = (m.latencies["to_fill_ms"].dropna().to_numpy(dtype=float) for m in (a, b))
    values = tuple(float(percentile_99(x)) if len(x) else math.nan for x in (xa, xb))
    low, high = bootstrap_interval((xa, xb), lambda x, y, axis=-1: percentile_99(x, axis) - percentile_99(y, axis),
                                   r.level, r.resamples, r.seed)
    return Difference(Figure.P99_FILL, None, "ms", True, a.name, b.name, values, low, high, 0.0, r.level, (len(xa), len(xb)),
                      Resampling.APART, MIN_UNITS)


def cpu_difference(pair: tuple[tuple[ColumnFigures, ColumnRun], tuple[ColumnFigures, ColumnRun]], threshold: float,
                   r: Resamples) -> Difference:
    """CPU seconds per thousand events, a minus b, each column's samples block-resampled apart."""
    (a, ra), (b, rb) = pair
    readings = [cpu_seconds(run.resources) for run in (ra, rb)]
    scale = tuple(PER_EVENTS / m.resources.events if m.resources.events else math.nan for m in (a, b))
    low, high = block_difference_interval(*readings, scale, r.level, r.resamples, r.seed)
    counts = (len(readings[0]), len(readings[1]))
    return Difference(Figure.CPU_PER_KEVENT, "resources", "CPU s per 1,000 events", True, a.name, b.name,
                      (a.resources.cpu_s_per_kevent, b.resources.cpu_s_per_kevent), low, high, threshold, r.level, counts,
                      Resampling.BLOCKS, MIN_CPU_SAMPLES, (block_length(counts[0]), block_length(counts[1])))


@dataclass(frozen=True)
class Against:
    """What the trading-results difference measures both columns against."""

    ideal: TradingResults | None
    """The ideal reference's results."""
    gaps: tuple[np.ndarray, np.ndarray] | None
    """Each column's gap to it per signal period, bps of capital (none without marks or the reference)."""


def differences(
    pair: tuple[tuple[ColumnFigures, ColumnRun], tuple[ColumnFigures, ColumnRun]], decay: AlphaDecay, against: Against,
    limits: Thresholds, r: Resamples,
) -> list[Difference]:
    """Each figure's difference between the pair's two columns (first minus second), with its interval."""
    (a, _), (b, _) = pair
    return [
        latency_difference(a, b, decay, limits.cost_bps, r),
        return_gap_difference(a, b, against.ideal, against.gaps, limits.return_bps, r),
        p99_difference(a, b, r),
        execution_cost_difference(a, b, limits.cost_bps, r),
        filled_as_decided_difference(a, b, limits.share, r),
        cpu_difference(pair, limits.cpu_s_per_kevent, r),
    ]
