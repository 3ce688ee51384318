"""The seed 000 success criteria, judged per platform from the run's figures and the settings' targets."""

from __future__ import annotations

import math
from dataclasses import dataclass

from evaluator.analysis.confidence import bootstrap_interval, percentile_99
from evaluator.analysis.evaluation import Evaluation
from evaluator.analysis.numbers import fmt, level_words
from evaluator.settings import EvaluationSettings
from evaluator.analysis.metrics.memory import MIN_SAMPLES, MemoryGrowth, MemoryVerdict
from shared_signals.bar import duration_words
from shared_signals.config import MS_PER_SECOND, NANOS_PER_MINUTE, NANOS_PER_SECOND


@dataclass(frozen=True)
class Criterion:
    """One criterion: its target in words and, per platform, the figure behind it and pass (True),
    fail (False) or not measured (None)."""

    name: str
    target: str
    figures: dict[str, tuple[str, bool | None]]
    """platform → (figure, passed; None = not enough data to judge)."""


def offered_per_min(evaluation: Evaluation, name: str) -> float:
    """Signals the inputs scheduled per wall minute over the market time a live platform covered."""
    events = evaluation.run.platforms[name].events
    sim, wall = events["sim_ts_ns"].dropna(), events["wall_ns"].dropna()
    if len(sim) < 2 or wall.max() <= wall.min():
        return float("nan")
    scheduled = evaluation.run.schedule["ts_ns"]
    count = int(((scheduled >= sim.min()) & (scheduled <= sim.max())).sum())
    return count / ((wall.max() - wall.min()) / NANOS_PER_MINUTE)


def judge_interval(low: float, high: float, limit: float) -> bool | None:
    """Pass when the whole interval is below ``limit``, fail when it is wholly at or above, else not enough data."""
    if math.isnan(low) or math.isnan(high):
        return None
    if high < limit:
        return True
    return False if low >= limit else None


MEMORY_PASSES = {MemoryVerdict.STABLE: True, MemoryVerdict.GROWING: False, MemoryVerdict.NOT_ENOUGH_DATA: None}


def settle_words(growth: MemoryGrowth) -> str:
    """What a run without a memory verdict would need; empty when it has one."""
    if growth.needed_window_s is None:
        return ""
    return f"about {duration_words(round(growth.needed_window_s) * NANOS_PER_SECOND)} of samples would settle it"


def memory_words(growth: MemoryGrowth) -> str:
    """The slope per market hour with its interval, and what a verdict-less run would need."""
    if growth.samples < MIN_SAMPLES:
        return f"{growth.samples} samples: too few for an interval"
    market, wall = growth.per_market_hour, growth.per_wall_hour
    words = (f"{fmt(market.slope, 3)} MB per market hour, {level_words(growth.confidence)} interval "
             f"[{fmt(market.low, 3)}, {fmt(market.high, 3)}] ({fmt(wall.slope)} per wall hour) over {fmt(growth.window_s, 0)} s")
    settle = settle_words(growth)
    return f"{words}; {settle}" if settle else words


def success_criteria(evaluation: Evaluation, settings: EvaluationSettings) -> list[Criterion]:
    s = settings.success

    def judge(predicate, value) -> bool | None:
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else bool(predicate(value))

    latency, stable, memory, rate = {}, {}, {}, {}
    live = evaluation.run.spec.mode == "live"
    confidence = settings.confidence
    memory_threshold = next((m.memory.threshold_mb_per_h for m in evaluation.platforms.values()), math.nan)  # a soak's own
    for name, m in evaluation.platforms.items():
        p99 = m.latency_to_fill.p99_ms
        market = m.market_to_fill.p99_ms / MS_PER_SECOND
        fills = m.latencies["to_fill_ms"].dropna().to_numpy(dtype=float)
        low, high = bootstrap_interval((fills,), percentile_99, confidence.level, confidence.bootstrap_resamples, confidence.bootstrap_seed)
        latency[name] = (f"p99 {fmt(p99)} ms processing, {level_words(confidence.level)} interval [{fmt(low)}, {fmt(high)}] "
                         f"over {len(fills)} fills; {fmt(market, 3)} s of market time from the signal's own time",
                         judge_interval(low, high, s.max_latency_ms))
        st = m.stability
        ok = None if st.stopped_by_user else (not st.crashed) and st.completed and st.errors == 0
        stopped = ", stopped by the user" if st.stopped_by_user else ""
        gaps = "heartbeat gaps not measured (a run shorter than one gap)" if st.heartbeat_gaps is None else f"{st.heartbeat_gaps} heartbeat gaps"
        stable[name] = (f"exit {fmt(st.exit_code)}{stopped}, {st.errors} errors, {gaps}", ok)
        after = " after the soak's warm-up" if m.soak is not None else ""
        memory[name] = (memory_words(m.memory) + after, MEMORY_PASSES[m.memory.verdict])
        per_min = m.scalability.signals_per_min
        if live:  # the inputs set the rate: slower ones cannot show that the platform sustains the target
            offered = offered_per_min(evaluation, name)
            tested = offered >= s.min_signals_per_min
            rate[name] = (f"{fmt(per_min)} of {fmt(offered)} signals per wall minute received"
                          + ("" if tested else ": the inputs offer fewer, not tested"),
                          judge(lambda v: v >= s.min_signals_per_min, per_min) if tested else None)
        else:
            rate[name] = (f"capacity {fmt(per_min)} signals per wall minute processed in replay",
                          judge(lambda v: v >= s.min_signals_per_min, per_min))
    return [
        Criterion("Signal-to-execution latency", f"p99 signal → fill < {fmt(s.max_latency_ms, 0)} ms", latency),
        Criterion("Stable operation", "no crash, run completed, no errors (24 h+ needs a soak run)", stable),
        Criterion("Memory usage remains stable",
                  f"RSS slope's {level_words(settings.confidence.level)} interval at or below {fmt(memory_threshold, 0)} MB per market hour", memory),
        Criterion("Multiple signals per minute", f"≥ {fmt(s.min_signals_per_min, 0)} signal/min sustained", rate),
    ]
