"""The third stage of the report's pipeline: every figure that compares two columns, for each column
against the baseline. Trade-by-trade agreement, the split of the net PnL difference, the differences
the recommendation uses (with their intervals) and what the latency difference can cost a trade.
Nothing is dropped when there are more than two columns: each pair is its own entry."""

from __future__ import annotations

import math
from dataclasses import dataclass

from evaluator.analysis.columns import ColumnFigures, Figures
from evaluator.analysis.confidence import Difference, differences, recommendation_figures
from evaluator.analysis.metrics.agreement import Agreement, agreement
from evaluator.analysis.metrics.attribution import Mids, PnlAttribution, pnl_attribution
from evaluator.analysis.metrics.materiality import latency_cost_bps
from evaluator.analysis.run_folder import RunFolder
from evaluator.settings import EvaluationSettings
from shared_signals.config import MS_PER_SECOND

LEVER_SHARE = 0.1
"""What the latency sentence offers as the lever: the slower column's delay cut to this share."""


@dataclass(frozen=True)
class LatencyMateriality:
    """Whether the two columns' latency difference can change a trade."""

    delay_s: tuple[float, float]
    """Each column's median signal → fill market time."""
    cost_bps: tuple[float, float]
    """What each delay is expected to cost a trade."""
    threshold_bps: float
    """The smallest cost difference that can matter: ``material_fee_share`` of the fee."""
    volatility: float
    """The mid's volatility the costs rest on, bps per √second."""
    material: bool
    slower: str
    lever_delay_s: float
    """The slower column's delay cut to ``LEVER_SHARE`` of itself ..."""
    lever_cost_bps: float
    """... and what that would cost a trade."""

    @property
    def spread_bps(self) -> float:
        return abs(self.cost_bps[0] - self.cost_bps[1])


@dataclass(frozen=True)
class PairFigures:
    first: str
    """The baseline."""
    second: str
    agreement: Agreement
    attribution: PnlAttribution | None
    """Where the two net results differ (none without mark prices)."""
    differences: list[Difference]
    """The figures the recommendation rests on, first minus second, each with its interval."""
    latency: LatencyMateriality | None
    """None when either column has no fill to time or the run no marks to measure volatility."""

    @property
    def names(self) -> tuple[str, str]:
        return self.first, self.second


def latency_materiality(a: ColumnFigures, b: ColumnFigures, figures: Figures, material_fee_share: float) -> LatencyMateriality | None:
    costs = (a.latency_cost_bps, b.latency_cost_bps)
    if any(math.isnan(c) for c in costs):
        return None
    delays = (a.market_to_fill.p50_ms / MS_PER_SECOND, b.market_to_fill.p50_ms / MS_PER_SECOND)
    threshold = material_fee_share * figures.market.fee_bps
    slower = a.name if delays[0] >= delays[1] else b.name
    lever = max(delays) * LEVER_SHARE
    volatility = figures.market.volatility
    return LatencyMateriality(delays, costs, threshold, volatility, abs(costs[0] - costs[1]) > threshold, slower, lever,
                              float(latency_cost_bps(lever, volatility)))


def pair_figures(run: RunFolder, figures: Figures, first: str, second: str, settings: EvaluationSettings) -> PairFigures:
    a, b = figures.columns[first], figures.columns[second]
    ra, rb = run.columns[first], run.columns[second]
    params, confidence = settings.scoring, settings.confidence
    attribution = None
    if len(run.marks):
        attribution = pnl_attribution((first, second), (ra.events, rb.events), Mids.of(run.marks, run.touch), run.schedule,
                                      (a.trading.pnl, b.trading.pnl))
    specs = recommendation_figures(figures.market.volatility, figures.market.fee_bps, params.material_fee_share,
                                   params.ties_within, params.cpu_worst_pct)
    return PairFigures(
        first, second, agreement((first, second), ra.events, rb.events), attribution,
        differences(((a, ra), (b, rb)), specs, confidence.level, confidence.bootstrap_resamples, confidence.bootstrap_seed),
        latency_materiality(a, b, figures, params.material_fee_share),
    )


def pairs(run: RunFolder, figures: Figures, settings: EvaluationSettings) -> list[PairFigures]:
    """The stage: each column against the baseline, in column order."""
    baseline = run.baseline if run.baseline in figures.columns else next(iter(figures.columns), None)
    return [pair_figures(run, figures, baseline, name, settings) for name in figures.columns if name != baseline]
