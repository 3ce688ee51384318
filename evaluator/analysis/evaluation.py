"""Computes every figure of a run folder: per platform and between the platforms."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from evaluator.analysis.doubts import Doubt, doubts
from evaluator.analysis.metrics.accuracy import Accuracy, execution_accuracy
from evaluator.analysis.metrics.agreement import Agreement, agreement
from evaluator.analysis.metrics.attribution import PnlAttribution, pnl_attribution
from evaluator.analysis.metrics.complexity import Complexity, inherited_attributes, measured_install_seconds, package_complexity
from evaluator.analysis.metrics.execution_cost import ExecutionCost, execution_cost
from evaluator.analysis.metrics.latency import LatencyStats, signal_latencies, summarize
from evaluator.analysis.metrics.memory import MemoryGrowth, after_warmup, memory_growth
from evaluator.analysis.metrics.stages import Stages, stage_latencies
from evaluator.analysis.metrics.resources import ResourceUse, resource_use
from evaluator.analysis.metrics.scalability import Scalability, scalability
from evaluator.analysis.metrics.soak import SoakFigures, soak_figures
from evaluator.analysis.metrics.stability import Stability, stability
from evaluator.analysis.metrics.trading import TradingResults, trading_results
from evaluator.analysis.metrics.transport import TransportFigures, transport_figures
from evaluator.analysis.run_folder import PlatformRecord, RunFolder
from evaluator.settings import EvaluationSettings
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import EventKind
from shared_signals.contract.layout import IDEAL_REFERENCE
from shared_signals.contract.platforms import REGISTRY
from shared_signals.decision import OrderSide

PROJECT_ROOT = Path(__file__).resolve().parents[2]
INSTALL_TIMES = PROJECT_ROOT / ".venv" / "install_times.json"


@dataclass(frozen=True)
class PlatformMetrics:
    name: str
    latency_to_order: LatencyStats
    latency_to_fill: LatencyStats
    market_to_order: LatencyStats
    """Signal → order in market time (from the signal's own time)."""
    market_to_fill: LatencyStats
    latencies: pd.DataFrame
    stages: Stages
    """Wall-clock time per stage, published → … → filled."""
    accuracy: Accuracy
    trading: TradingResults
    reference_trading: TradingResults
    execution_cost: ExecutionCost
    stability: Stability
    resources: ResourceUse
    memory: MemoryGrowth
    """RSS growth with its interval, judged per market hour: the one memory verdict of the report."""
    scalability: Scalability
    complexity: Complexity
    fill_delay_s: float
    soak: SoakFigures | None
    """Per-hour figures, for soak runs only."""
    transport: TransportFigures | None = None
    """How signals reached the strategy (file or MQTT): Hummingbot only, whose signals come from a provider."""
    doubts: list[Doubt] = field(default_factory=list)
    """Reasons not to trust this platform's figures (a missing, empty or torn journal, or one that
    disagrees with its result): with any, the run gets no recommendation."""


@dataclass(frozen=True)
class Evaluation:
    run: RunFolder
    platforms: dict[str, PlatformMetrics]
    agreement: Agreement | None
    attribution: PnlAttribution | None = None
    """Where the two platforms' net results differ (two platforms and a mark price only)."""
    ideal_trading: TradingResults | None = None
    """The ideal reference's results (no fill delay, the run's fee): what every platform is scored
    against; none for a run recorded before it was written."""

    @property
    def trustworthy(self) -> bool:
        """At least one platform's figures rest on a journal without doubt."""
        return any(not m.doubts for m in self.platforms.values())

    def transported(self) -> PlatformMetrics | None:
        """The platform whose signals came through a transport (Hummingbot's provider), if any ran."""
        return next((m for m in self.platforms.values() if m.transport is not None), None)


def reference_events(trades: pd.DataFrame) -> pd.DataFrame:
    """Reference trades as journal fills, so the same trading metrics apply to them."""
    return pd.DataFrame(
        {
            "kind": EventKind.ORDER_FILLED,
            "seq": range(len(trades)),
            "signal_id": trades.get("signal_id", pd.Series(dtype="string")),
            "sim_ts_ns": trades.get("filled_ns", pd.Series(dtype="int64")),
            "side": trades.get("side", pd.Series(dtype="int64")).map({OrderSide.BUY: "BUY", OrderSide.SELL: "SELL"}),
            "qty": trades.get("qty", pd.Series(dtype=float)),
            "price": trades.get("price", pd.Series(dtype=float)),
            "fee": trades.get("fee", pd.Series(dtype=float)),
        }
    )


def code_complexity(name: str, settings: EvaluationSettings) -> Complexity:
    """The integration complexity of a platform's POC package, with the setup steps ``settings`` lists."""
    return _package_figures(name, len(settings.setup_steps.get(name, ())))


@cache
def _package_figures(name: str, setup_steps: int) -> Complexity:
    """Measured once per process: the source does not change while reports are written, and
    ``scale`` writes one report per instrument (each measurement parses the package again)."""
    entry = REGISTRY[name]
    return package_complexity(
        PROJECT_ROOT / entry.package, entry.sdk, inherited_attributes(entry.strategy_base), setup_steps,
        measured_install_seconds(INSTALL_TIMES, entry.sdk),
    )


def market_per_wall(events: pd.DataFrame) -> float:
    """Market seconds the platform covered per wall second (a replay's pace; 1 when it cannot tell)."""
    market, wall = events["sim_ts_ns"].dropna(), events["wall_ns"].dropna()
    if len(market) < 2 or wall.max() <= wall.min() or market.max() <= market.min():
        return 1.0
    return float((market.max() - market.min()) / (wall.max() - wall.min()))


def platform_memory(samples: pd.DataFrame, settings: EvaluationSettings, pace: float, soaked: bool) -> MemoryGrowth:
    """One memory verdict per report: a soak's, fitted after its warm-up against the soak threshold;
    any other run's over the whole run against the success criterion."""
    level = settings.confidence.level
    if soaked:
        return memory_growth(after_warmup(samples, settings.soak.warmup_s), settings.soak.max_rss_slope_mb_per_h, pace, level)
    return memory_growth(samples, settings.success.max_rss_slope_mb_per_h, pace, level)


def evaluate_platform(record: PlatformRecord, run: RunFolder, settings: EvaluationSettings) -> PlatformMetrics:
    spec = run.spec
    capital = spec.core.decision.sizing.capital
    heartbeat_s = spec.heartbeat_s
    latencies = signal_latencies(record.events, run.schedule)
    reference = run.reference.get(record.name, pd.DataFrame())
    pace = market_per_wall(record.events) if spec.mode == "replay" else (spec.speed or market_per_wall(record.events))
    return PlatformMetrics(
        name=record.name,
        latency_to_order=summarize(latencies["to_order_ms"]),
        latency_to_fill=summarize(latencies["to_fill_ms"]),
        market_to_order=summarize(latencies["market_to_order_ms"]),
        market_to_fill=summarize(latencies["market_to_fill_ms"]),
        latencies=latencies,
        stages=stage_latencies(record.events),
        accuracy=execution_accuracy(record.events, reference, record.horizon_ns),
        trading=trading_results(record.events, run.marks, capital),
        reference_trading=trading_results(reference_events(reference), run.marks, capital),
        execution_cost=execution_cost(record.events, run.schedule, run.touch, run.inputs.get("quotes", {}).get("spacing_ns")),
        stability=stability(
            record.events, record.exit, record.result, record.torn_lines, heartbeat_s, settings.heartbeat_gap_factor
        ),
        resources=resource_use(record.resources),
        memory=platform_memory(record.resources, settings, pace, soaked=bool(run.inputs.get("soak"))),
        scalability=scalability(record.events, record.result),
        complexity=code_complexity(record.name, settings),
        fill_delay_s=record.fill_delay_ns / NANOS_PER_SECOND,
        soak=soak_figures(record.events, run.schedule, heartbeat_s, settings.heartbeat_gap_factor) if run.inputs.get("soak") else None,
        transport=transport_figures(record),
        doubts=doubts(record),
    )


def evaluate(run: RunFolder, settings: EvaluationSettings) -> Evaluation:
    platforms = {name: evaluate_platform(record, run, settings) for name, record in run.platforms.items()}
    pair = attribution = None
    if len(run.platforms) == 2:
        (name_a, a), (name_b, b) = run.platforms.items()
        pair = agreement((name_a, name_b), a.events, b.events)
        if len(run.marks):
            attribution = pnl_attribution(
                (name_a, name_b), (a.events, b.events), float(run.marks["mid"].iloc[-1]),
                (platforms[name_a].trading.pnl, platforms[name_b].trading.pnl),
            )
    ideal = run.reference.get(IDEAL_REFERENCE)
    capital = run.spec.core.decision.sizing.capital
    ideal_trading = None if ideal is None else trading_results(reference_events(ideal), run.marks, capital)
    return Evaluation(run, platforms, pair, attribution, ideal_trading)
