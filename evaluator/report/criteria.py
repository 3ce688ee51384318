"""The seed 000 success criteria in words: each target, and per column its mark and the figure behind it."""

from __future__ import annotations

from evaluator.analysis.confidence import MIN_UNITS
from evaluator.analysis.criteria import Criteria, LatencyCheck, MemoryCheck, RateCheck, StabilityCheck
from evaluator.analysis.metrics.memory import MIN_SAMPLES, MemoryGrowth
from evaluator.report.figures import table
from evaluator.report.numbers import fmt, level_words
from shared_signals.bar import duration_words
from shared_signals.config import NANOS_PER_SECOND


def mark(passed: bool | None) -> str:
    return "not enough data" if passed is None else ("PASS" if passed else "FAIL")


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


def latency_figure(c: LatencyCheck, level: float) -> str:
    interval = (f"{level_words(level)} interval [{fmt(c.low_ms)}, {fmt(c.high_ms)}] over {c.fills} fills" if c.fills >= MIN_UNITS
                else f"over {c.fills} fills, fewer than the {MIN_UNITS} an interval at its level needs")
    return f"p99 {fmt(c.p99_ms)} ms processing, {interval}; {fmt(c.market_p99_s, 3)} s of market time from the signal's own time"


def stability_figure(c: StabilityCheck) -> str:
    stopped = ", stopped by the user" if c.stopped_by_user else ""
    gaps = "heartbeat gaps not measured (a run shorter than one gap)" if c.heartbeat_gaps is None else f"{c.heartbeat_gaps} heartbeat gaps"
    return f"exit {fmt(c.exit_code)}{stopped}, {c.errors} errors, {gaps}"


def memory_figure(c: MemoryCheck) -> str:
    return memory_words(c.growth) + (" after the soak's warm-up" if c.soaked else "")


def rate_figure(c: RateCheck) -> str:
    if c.offered_per_min is None:
        return f"capacity {fmt(c.per_min)} signals per wall minute processed in replay"
    return (f"{fmt(c.per_min)} of {fmt(c.offered_per_min)} signals per wall minute received"
            + ("" if c.tested else ": the inputs offer fewer, not tested"))


def criteria_section(criteria: Criteria, names: list[str]) -> str:
    level = criteria.level
    rows = [
        ["Signal-to-execution latency", f"p99 signal → fill < {fmt(criteria.max_latency_ms, 0)} ms",
         *(f"{mark(criteria.latency[n].passed)} ({latency_figure(criteria.latency[n], level)})" for n in names)],
        ["Stable operation", "no crash, run completed, no errors (24 h+ needs a soak run)",
         *(f"{mark(criteria.stability[n].passed)} ({stability_figure(criteria.stability[n])})" for n in names)],
        ["Memory usage remains stable",
         f"RSS slope's {level_words(level)} interval at or below {fmt(criteria.max_rss_slope_mb_per_h, 0)} MB per market hour",
         *(f"{mark(criteria.memory[n].passed)} ({memory_figure(criteria.memory[n])})" for n in names)],
        ["Multiple signals per minute", f"≥ {fmt(criteria.min_signals_per_min, 0)} signal/min sustained",
         *(f"{mark(criteria.rate[n].passed)} ({rate_figure(criteria.rate[n])})" for n in names)],
    ]
    return "## Seed 000 success criteria\n\n" + table(["criterion", "target", *names], rows)
