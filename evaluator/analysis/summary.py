"""One run's figures that a series of repeated runs compares, as typed facts: what ``--repeat`` combines
(``evaluator.analysis.repeats``), taken from the run's own analysis rather than read back from the
words or the JSON of its report."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from evaluator.analysis.columns import ColumnFigures, Figures
from evaluator.analysis.confidence import Difference
from evaluator.analysis.verdict import Verdict


class RepeatFigure(StrEnum):
    P99_FILL_MS = "p99_fill_ms"
    MARKET_P50_FILL_MS = "market_p50_fill_ms"
    EXECUTION_COST_BPS = "execution_cost_bps"
    FILLED_AS_DECIDED = "filled_as_decided"
    MEAN_CPU_PCT = "mean_cpu_pct"
    CPU_S_PER_KEVENT = "cpu_s_per_kevent"
    PEAK_RSS_MB = "peak_rss_mb"
    NET_PNL = "net_pnl"
    OVERALL = "overall"


def _figures(m: ColumnFigures, overall: float) -> dict[RepeatFigure, float]:
    return {
        RepeatFigure.P99_FILL_MS: m.latency_to_fill.p99_ms,
        RepeatFigure.MARKET_P50_FILL_MS: m.market_to_fill.p50_ms,
        RepeatFigure.EXECUTION_COST_BPS: m.execution_cost.total.mean_bps,
        RepeatFigure.FILLED_AS_DECIDED: m.accuracy.decided_share,
        RepeatFigure.MEAN_CPU_PCT: m.resources.mean_cpu_pct,
        RepeatFigure.CPU_S_PER_KEVENT: m.resources.cpu_s_per_kevent,
        RepeatFigure.PEAK_RSS_MB: m.resources.peak_rss_mb,
        RepeatFigure.NET_PNL: m.trading.pnl,
        RepeatFigure.OVERALL: overall,
    }


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    figures: dict[str, dict[RepeatFigure, float]]
    """Per column, each figure."""
    recommended: str
    differences: list[Difference]


def summarize(run_id: str, figures: Figures, verdict: Verdict) -> RunSummary:
    values = {n: _figures(m, verdict.overall.get(n, float("nan"))) for n, m in figures.columns.items()}
    return RunSummary(run_id, values, verdict.recommended, verdict.differences)
