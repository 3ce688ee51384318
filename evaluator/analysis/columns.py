"""The second stage of the report's pipeline: every figure of each column on its own, and the figures
of the run they are all judged against (the market's volatility, the signals' alpha decay, the ideal
reference)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from evaluator.analysis.doubts import Doubt, doubts
from evaluator.analysis.metrics.accuracy import Accuracy, execution_accuracy
from evaluator.analysis.metrics.exits import ExitCauses, exit_causes
from evaluator.analysis.metrics.execution_cost import ExecutionCost, execution_cost
from evaluator.analysis.metrics.fill_delay import FillDelay, measured_fill_delay
from evaluator.analysis.metrics.latency import LatencyStats, column_latencies, summarize
from evaluator.analysis.metrics.materiality import (
    AlphaDecay,
    alpha_decay,
    expected_abs_move_bps,
    latency_score_delay_s,
    volatility_bps_per_sqrt_s,
)
from evaluator.analysis.metrics.own_figures import PlatformFigures, platform_figures
from evaluator.analysis.metrics.memory import MemoryGrowth, after_warmup, memory_growth
from evaluator.analysis.metrics.resources import ResourceUse, events_handled, resource_use
from evaluator.analysis.metrics.scalability import Scalability, scalability
from evaluator.analysis.metrics.soak import SoakFigures, soak_figures
from evaluator.analysis.metrics.stability import Stability, stability
from evaluator.analysis.metrics.stages import Stages, stage_latencies
from evaluator.analysis.metrics.trading import TradingResults, trading_results
from evaluator.analysis.metrics.transport import TransportFigures, transport_figures
from evaluator.analysis.run_folder import ColumnRun, RunFolder
from evaluator.settings import EvaluationSettings
from shared_signals.config import NANOS_PER_SECOND, ExitParams
from shared_signals.contract.codes import EventKind
from shared_signals.contract.layout import IDEAL_REFERENCE
from shared_signals.contract.modes import LIVE
from shared_signals.contract.record import ColumnRecord, Complexity
from shared_signals.decision import OrderSide

FEE_FLOOR_BPS = 1.0
"""The fee latency costs are judged against is at least this: with no fee (``--fee-bps 0``) a latency
cost still has a scale."""


@dataclass(frozen=True)
class Market:
    """What the run's market did, the same for every column."""

    volatility: float
    """The mid's volatility, bps per √second, from the run's marks (NaN with too few)."""
    fee_bps: float
    """The scale costs are judged against: the baseline's fee, ``FEE_FLOOR_BPS`` at least."""
    decay_signals: int = 0
    """The signals the latency cost (their alpha decay) is averaged over."""


@dataclass(frozen=True)
class ColumnFigures:
    name: str
    column: ColumnRecord
    latency_to_order: LatencyStats
    latency_to_fill: LatencyStats
    market_to_order: LatencyStats
    """Signal → order in market time (from the signal's own time)."""
    market_to_fill: LatencyStats
    real_to_fill: LatencyStats
    """Live: from the signal's scheduled availability to the fill on the wall clock (none in a replay)."""
    latencies: pd.DataFrame
    latency_score_delay_s: float
    """The delay the latency is scored at, seconds (``materiality.latency_score_delay_s``); NaN: no fill."""
    latency_cost_bps: float
    """The signals' alpha decay over ``latency_score_delay_s`` (see ``materiality``); NaN unmeasured."""
    latency_risk_bps: float
    """The mid's expected absolute move over that delay: what it risks either way, not a cost."""
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
    complexity: Complexity | None
    """As measured when the run was made (None: a run recorded without it)."""
    fill_delay_s: float
    """The market-order fill delay the column's venue was set (its ``run.json``)."""
    measured_fill_delay: FillDelay
    """The order → fill delay its journal shows, in market time."""
    soak: SoakFigures | None
    """Per-hour figures, for soak runs only."""
    transport: TransportFigures | None = None
    """How signals reached the strategy (file or MQTT): a column whose signals come from a provider."""
    exits: ExitCauses | None = None
    """Its closes by cause (a signal, a barrier, the end of the run)."""
    reference_exits: ExitCauses | None = None
    """Its reference replay's closes by cause, the same barriers under the run's fill rule."""
    platform_figures: PlatformFigures | None = None
    """The platform's own statistics, each recomputed from the journal under its definition."""
    doubts: list[Doubt] = field(default_factory=list)
    """Reasons not to trust this column's figures (a missing, empty or torn journal, or one that
    disagrees with its result): with any, the run gets no recommendation."""

    @property
    def platform(self) -> str:
        return self.column.platform


@dataclass(frozen=True)
class Figures:
    """Every column's figures, and the run's own."""

    columns: dict[str, ColumnFigures]
    market: Market
    ideal_trading: TradingResults | None
    """The ideal reference's results (no fill delay, the run's fee): what every column is scored
    against; none for a run recorded before it was written."""
    decay: AlphaDecay
    """The signals and quotes every column's latency cost reads (no signal: no ideal reference or quotes)."""

    @property
    def trustworthy(self) -> bool:
        """At least one column's figures rest on a journal without doubt."""
        return any(not m.doubts for m in self.columns.values())


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
            "code": trades.get("cause", pd.Series(None, index=trades.index, dtype=object)),
        }
    )


def market_per_wall(events: pd.DataFrame) -> float:
    """Market seconds the platform covered per wall second (a replay's pace; 1 when it cannot tell)."""
    market, wall = events["sim_ts_ns"].dropna(), events["wall_ns"].dropna()
    if len(market) < 2 or wall.max() <= wall.min() or market.max() <= market.min():
        return 1.0
    return float((market.max() - market.min()) / (wall.max() - wall.min()))


def column_memory(samples: pd.DataFrame, settings: EvaluationSettings, pace: float, soaked: bool) -> MemoryGrowth:
    """One memory verdict per report: a soak's, fitted after its warm-up against the soak threshold;
    any other run's over the whole run against the success criterion."""
    level = settings.confidence.level
    if soaked:
        return memory_growth(after_warmup(samples, settings.soak.warmup_s), settings.soak.max_rss_slope_mb_per_h, pace, level)
    return memory_growth(samples, settings.success.max_rss_slope_mb_per_h, pace, level)


def column_figures(
    run_column: ColumnRun, run: RunFolder, settings: EvaluationSettings, market: Market, decay: AlphaDecay
) -> ColumnFigures:
    spec = run.spec
    capital = spec.core.decision.sizing.capital
    heartbeat_s = spec.heartbeat_s
    soaked = run.record.soak is not None
    events = run_column.events
    latencies = column_latencies(run_column, run.schedule, spec.signal_delay_ns)
    reference = run.reference.get(run_column.name, pd.DataFrame())
    pace = market_per_wall(events) if spec.mode == "replay" else (spec.speed or market_per_wall(events))
    trading = trading_results(events, run.marks, capital)
    delay_s = latency_score_delay_s(latencies, spec.mode == LIVE)
    return ColumnFigures(
        name=run_column.name,
        column=run_column.column,
        latency_to_order=summarize(latencies["to_order_ms"]),
        latency_to_fill=summarize(latencies["to_fill_ms"]),
        market_to_order=summarize(latencies["market_to_order_ms"]),
        market_to_fill=summarize(latencies["market_to_fill_ms"]),
        real_to_fill=summarize(latencies["real_to_fill_ms"]) if spec.mode == LIVE else summarize(pd.Series(dtype=float)),
        latencies=latencies,
        latency_score_delay_s=delay_s,
        latency_cost_bps=decay.cost_bps(delay_s),
        latency_risk_bps=float(expected_abs_move_bps(delay_s, market.volatility)),
        stages=stage_latencies(events),
        accuracy=execution_accuracy(events, reference, run_column.horizon_ns),
        trading=trading,
        reference_trading=trading_results(reference_events(reference), run.marks, capital),
        execution_cost=execution_cost(events, run.schedule, run.touch, run.record.quotes.spacing_ns),
        stability=stability(events, run_column.exit, run_column.result, run_column.torn_lines, heartbeat_s,
                            settings.heartbeat_gap_factor),
        resources=resource_use(run_column.resources, events_handled(events, run_column.result)),
        memory=column_memory(run_column.resources, settings, pace, soaked),
        scalability=scalability(events, run_column.result),
        complexity=run.record.complexity.get(run_column.column.platform),
        fill_delay_s=run_column.fill_delay_ns / NANOS_PER_SECOND,
        measured_fill_delay=measured_fill_delay(events, run_column.fill_delay_ns / NANOS_PER_SECOND),
        soak=soak_figures(events, run.schedule, heartbeat_s, settings.heartbeat_gap_factor) if soaked else None,
        transport=transport_figures(run_column),
        exits=exit_causes(events, run.touch, time_limit_of(spec.core.exits), tick_of(run_column.column), run_column.fill_delay_ns),
        reference_exits=exit_causes(reference_events(reference)),
        platform_figures=platform_figures(run_column.own_figures, events, trading, spec.starting_quote),
        doubts=doubts(run_column),
    )


def time_limit_of(exits: ExitParams) -> int | None:
    return None if exits.time_limit_s is None else round(exits.time_limit_s * NANOS_PER_SECOND)


def tick_of(column: ColumnRecord) -> int | None:
    """The column's clock tick when it acts on ticks (None: on quotes and timers)."""
    return None if column.tick_s is None else round(column.tick_s * NANOS_PER_SECOND)


def run_market(run: RunFolder) -> Market:
    return Market(volatility_bps_per_sqrt_s(run.marks), max(run.spec.venue.fee_bps, FEE_FLOOR_BPS))


def figures(run: RunFolder, settings: EvaluationSettings) -> Figures:
    """The stage: each column's figures, with the run's market, alpha decay and ideal reference."""
    ideal = run.reference.get(IDEAL_REFERENCE)
    decay = alpha_decay(ideal, run.schedule, run.touch)
    market = replace(run_market(run), decay_signals=decay.count)
    columns = {name: column_figures(c, run, settings, market, decay) for name, c in run.columns.items()}
    capital = run.spec.core.decision.sizing.capital
    ideal_trading = None if ideal is None else trading_results(reference_events(ideal), run.marks, capital)
    return Figures(columns, market, ideal_trading, decay)

