"""The seed 000 success criteria, judged per platform from the run's figures and the settings' targets."""

from __future__ import annotations

import math
from dataclasses import dataclass

from evaluator.analysis.evaluation import Evaluation
from evaluator.analysis.numbers import fmt
from evaluator.settings import EvaluationSettings
from shared_signals.config import MS_PER_SECOND, NANOS_PER_MINUTE


@dataclass(frozen=True)
class Criterion:
    """One criterion: its target in words and, per platform, the figure behind it and pass (True),
    fail (False) or not measured (None)."""

    name: str
    target: str
    figures: dict[str, tuple[str, bool | None]]
    """platform → (figure, passed; None = not measured)."""


def offered_per_min(evaluation: Evaluation, name: str) -> float:
    """Signals the inputs scheduled per wall minute over the market time a live platform covered."""
    events = evaluation.run.platforms[name].events
    sim, wall = events["sim_ts_ns"].dropna(), events["wall_ns"].dropna()
    if len(sim) < 2 or wall.max() <= wall.min():
        return float("nan")
    scheduled = evaluation.run.schedule["ts_ns"]
    count = int(((scheduled >= sim.min()) & (scheduled <= sim.max())).sum())
    return count / ((wall.max() - wall.min()) / NANOS_PER_MINUTE)


def success_criteria(evaluation: Evaluation, settings: EvaluationSettings) -> list[Criterion]:
    s = settings.success

    def judge(predicate, value) -> bool | None:
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else bool(predicate(value))

    latency, stable, memory, rate = {}, {}, {}, {}
    live = evaluation.run.spec.mode == "live"
    soaked = any(m.soak is not None for m in evaluation.platforms.values())
    memory_threshold = settings.soak.max_rss_slope_mb_per_h if soaked else s.max_rss_slope_mb_per_h
    for name, m in evaluation.platforms.items():
        p99 = m.latency_to_fill.p99_ms
        market = m.market_to_fill.p99_ms / MS_PER_SECOND
        latency[name] = (f"p99 {fmt(p99)} ms processing; {fmt(market, 3)} s of market time from the signal's own time",
                         judge(lambda v: v < s.max_latency_ms, p99))
        st = m.stability
        ok = None if st.stopped_by_user else (not st.crashed) and st.completed and st.errors == 0
        stopped = ", stopped by the user" if st.stopped_by_user else ""
        gaps = "heartbeat gaps not measured (a run shorter than one gap)" if st.heartbeat_gaps is None else f"{st.heartbeat_gaps} heartbeat gaps"
        stable[name] = (f"exit {fmt(st.exit_code)}{stopped}, {st.errors} errors, {gaps}", ok)
        slope = m.resources.rss_slope_mb_per_h
        window = m.resources.window_s
        long_enough = window >= s.min_slope_window_s
        if m.soak is not None:  # one memory verdict per report: the soak's, fitted after its warm-up
            memory[name] = (f"{fmt(m.soak.rss_slope_mb_per_h)} MB/h after the soak's warm-up", m.soak.memory_stable)
        else:
            memory[name] = (
                f"{fmt(slope)} MB/h over {fmt(window, 0)} s" + ("" if long_enough else f" (shorter than {fmt(s.min_slope_window_s, 0)} s)"),
                judge(lambda v: abs(v) <= s.max_rss_slope_mb_per_h, slope) if long_enough else None,
            )
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
        Criterion("Memory usage remains stable", f"RSS slope within ±{fmt(memory_threshold, 0)} MB/h", memory),
        Criterion("Multiple signals per minute", f"≥ {fmt(s.min_signals_per_min, 0)} signal/min sustained", rate),
    ]
