"""The third stage of the report's pipeline: every figure that compares two columns, for each column
against the baseline. Trade-by-trade agreement, the split of the net PnL difference and the
differences the recommendation uses (with their intervals and what each settles).
Nothing is dropped when there are more than two columns: each pair is its own entry."""

from __future__ import annotations

from dataclasses import dataclass

from evaluator.analysis.columns import Figures, reference_events
from evaluator.analysis.confidence import Against, Difference, Resamples, differences, thresholds
from evaluator.analysis.metrics.agreement import Agreement, agreement
from evaluator.analysis.metrics.attribution import Mids, PnlAttribution, pnl_attribution
from evaluator.analysis.metrics.return_gap import gaps_by_period
from evaluator.analysis.run_folder import RunFolder
from evaluator.settings import EvaluationSettings
from shared_signals.contract.layout import IDEAL_REFERENCE


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

    @property
    def names(self) -> tuple[str, str]:
        return self.first, self.second


def pair_figures(run: RunFolder, figures: Figures, first: str, second: str, settings: EvaluationSettings) -> PairFigures:
    a, b = figures.columns[first], figures.columns[second]
    ra, rb = run.columns[first], run.columns[second]
    params, confidence = settings.scoring, settings.confidence
    attribution, gaps = None, None
    ideal = run.reference.get(IDEAL_REFERENCE)
    if len(run.marks):
        mids = Mids.of(run.marks, run.touch)
        attribution = pnl_attribution((first, second), (ra.events, rb.events), mids, run.schedule,
                                      (a.trading.pnl, b.trading.pnl), (a.column.resting_exits, b.column.resting_exits))
        if ideal is not None and len(run.schedule):
            gaps = gaps_by_period((ra.events, rb.events), reference_events(ideal), run.schedule, mids,
                                  run.spec.core.decision.sizing.capital, (a.column.resting_exits, b.column.resting_exits))
    limits = thresholds(figures.market.fee_bps, params.material_fee_share, params.ties_within, params.cpu_worst_s_per_kevent,
                        params.return_gap_worst_bps)
    return PairFigures(
        first, second, agreement((first, second), ra.events, rb.events), attribution,
        differences(((a, ra), (b, rb)), figures.decay, Against(figures.ideal_trading, gaps), limits,
                    Resamples(confidence.level, confidence.bootstrap_resamples, confidence.bootstrap_seed)),
    )


def pairs(run: RunFolder, figures: Figures, settings: EvaluationSettings) -> list[PairFigures]:
    """The stage: each column against the baseline, in column order."""
    baseline = run.baseline if run.baseline in figures.columns else next(iter(figures.columns), None)
    return [pair_figures(run, figures, baseline, name, settings) for name in figures.columns if name != baseline]
