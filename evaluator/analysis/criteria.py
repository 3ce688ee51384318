"""The seed 000 success criteria, judged per column from the run's figures and the settings' targets:
pass (True), fail (False) or not enough data (None), each with the figures it rests on (the report
words them)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from evaluator.analysis.columns import ColumnFigures, Figures
from evaluator.analysis.confidence import MIN_UNITS, percentile_99
from evaluator.analysis.metrics.memory import MemoryGrowth, MemoryVerdict
from evaluator.analysis.resampling import bootstrap_interval
from evaluator.analysis.run_folder import RunFolder
from evaluator.settings import EvaluationSettings
from shared_signals.config import MS_PER_SECOND, NANOS_PER_MINUTE


@dataclass(frozen=True)
class LatencyCheck:
    p99_ms: float
    low_ms: float
    high_ms: float
    """The bootstrap interval of the p99."""
    fills: int
    market_p99_s: float
    passed: bool | None


@dataclass(frozen=True)
class StabilityCheck:
    exit_code: int | None
    stopped_by_user: bool
    errors: int
    heartbeat_gaps: int | None
    passed: bool | None


@dataclass(frozen=True)
class MemoryCheck:
    growth: MemoryGrowth
    soaked: bool
    """Fitted after the soak's warm-up."""
    passed: bool | None


@dataclass(frozen=True)
class RateCheck:
    per_min: float
    offered_per_min: float | None
    """Live: the signals the inputs scheduled per wall minute (None in a replay: its capacity is measured)."""
    tested: bool
    """False when live inputs offer fewer signals than the target: the column cannot show it sustains it."""
    passed: bool | None


@dataclass(frozen=True)
class Criteria:
    max_latency_ms: float
    max_rss_slope_mb_per_h: float
    """The memory threshold the verdicts were judged against (a soak's own)."""
    min_signals_per_min: float
    level: float
    latency: dict[str, LatencyCheck]
    stability: dict[str, StabilityCheck]
    memory: dict[str, MemoryCheck]
    rate: dict[str, RateCheck]


def offered_per_min(run: RunFolder, name: str) -> float:
    """Signals the inputs scheduled per wall minute over the market time a live column covered."""
    events = run.columns[name].events
    sim, wall = events["sim_ts_ns"].dropna(), events["wall_ns"].dropna()
    if len(sim) < 2 or wall.max() <= wall.min():
        return float("nan")
    scheduled = run.schedule["ts_ns"]
    count = int(((scheduled >= sim.min()) & (scheduled <= sim.max())).sum())
    return count / ((wall.max() - wall.min()) / NANOS_PER_MINUTE)


def judge_interval(low: float, high: float, limit: float) -> bool | None:
    """Pass when the whole interval is below ``limit``, fail when it is wholly at or above, else not enough data."""
    if math.isnan(low) or math.isnan(high):
        return None
    if high < limit:
        return True
    return False if low >= limit else None


def _at_least(value: float, target: float) -> bool | None:
    return None if math.isnan(value) else value >= target


MEMORY_PASSES = {MemoryVerdict.STABLE: True, MemoryVerdict.GROWING: False, MemoryVerdict.NOT_ENOUGH_DATA: None}


def _latency(m: ColumnFigures, settings: EvaluationSettings) -> LatencyCheck:
    c = settings.confidence
    fills = m.latencies["to_fill_ms"].dropna().to_numpy(dtype=float)
    low, high = bootstrap_interval((fills,), percentile_99, c.level, c.bootstrap_resamples, c.bootstrap_seed)
    passed = None if len(fills) < MIN_UNITS else judge_interval(low, high, settings.success.max_latency_ms)
    return LatencyCheck(m.latency_to_fill.p99_ms, low, high, len(fills), m.market_to_fill.p99_ms / MS_PER_SECOND, passed)


def _stability(m: ColumnFigures) -> StabilityCheck:
    st = m.stability
    passed = None if st.stopped_by_user else (not st.crashed) and st.completed and st.errors == 0
    return StabilityCheck(st.exit_code, st.stopped_by_user, st.errors, st.heartbeat_gaps, passed)


def _rate(m: ColumnFigures, run: RunFolder, target: float, live: bool) -> RateCheck:
    per_min = m.scalability.signals_per_min
    if not live:
        return RateCheck(per_min, None, True, _at_least(per_min, target))
    offered = offered_per_min(run, m.name)
    tested = offered >= target
    return RateCheck(per_min, offered, tested, _at_least(per_min, target) if tested else None)


def success_criteria(run: RunFolder, figures: Figures, settings: EvaluationSettings) -> Criteria:
    columns = figures.columns
    live = run.spec.mode == "live"
    threshold = next((m.memory.threshold_mb_per_h for m in columns.values()), math.nan)
    s = settings.success
    return Criteria(
        s.max_latency_ms, threshold, s.min_signals_per_min, settings.confidence.level,
        latency={n: _latency(m, settings) for n, m in columns.items()},
        stability={n: _stability(m) for n, m in columns.items()},
        memory={n: MemoryCheck(m.memory, m.soak is not None, MEMORY_PASSES[m.memory.verdict]) for n, m in columns.items()},
        rate={n: _rate(m, run, s.min_signals_per_min, live) for n, m in columns.items()},
    )
