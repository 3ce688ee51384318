"""Hand-made columns for the confidence tests: only the figures a difference reads, built by the
product's own metric functions from hand-made journals where a journal is what they read."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from evaluator.analysis.confidence import Resamples
from evaluator.analysis.metrics.accuracy import execution_accuracy
from evaluator.analysis.metrics.execution_cost import execution_cost
from evaluator.analysis.metrics.resources import resource_use
from tests.evaluator.journals import S, events

RESAMPLES = Resamples(level=0.95, resamples=2_000, seed=0)


def fills_journal(prices: dict[str, float], side: str = "BUY", qty: float = 1.0) -> pd.DataFrame:
    """One order and one fill per signal at ``prices``, the signal at k·60 s and its fill 1 s later."""
    rows = []
    for k, (signal_id, price) in enumerate(prices.items()):
        t = k * 60 * S
        rows += [dict(kind="order_submitted", signal_id=signal_id, side=side, qty=qty, sim_ts_ns=t, wall_ns=t),
                 dict(kind="order_filled", signal_id=signal_id, side=side, qty=qty, price=price, fee=0.0, position_after=qty,
                      sim_ts_ns=t + S, wall_ns=t + S)]
    return events(*rows)


QUOTE_SPACING_NS = 60 * S
"""The hand-made touch's spacing: one quote per minute."""


def flat_touch(signals: list[str], mid: float = 100.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The schedule of ``signals`` (at k·60 s) and one quote per minute at a constant mid."""
    times = [k * 60 * S for k in range(len(signals))]
    schedule = pd.DataFrame({"signal_id": signals, "ts_ns": times})
    touch = pd.DataFrame({"ts_ns": times, "bid": mid - 0.5, "ask": mid + 0.5})
    return schedule, touch


def column(name: str, journal: pd.DataFrame | None = None, schedule: pd.DataFrame | None = None,
           touch: pd.DataFrame | None = None, samples: pd.DataFrame | None = None, handled: int | None = None,
           delay_s: float = float("nan"), cost_bps: float = float("nan")) -> SimpleNamespace:
    """A column's figures as the differences read them (each from the product's own metric)."""
    figures = SimpleNamespace(name=name, latency_score_delay_s=delay_s, latency_cost_bps=cost_bps)
    if journal is not None:
        figures.execution_cost = execution_cost(journal, schedule, touch, QUOTE_SPACING_NS)
        figures.accuracy = execution_accuracy(journal, pd.DataFrame(), None)
    if samples is not None:
        figures.resources = resource_use(samples, handled)
    return figures


def cpu_samples(cpu_pct: np.ndarray, interval_s: float = 1.0) -> pd.DataFrame:
    """Supervisor samples every ``interval_s``: psutil's first reading 0, then ``cpu_pct``."""
    n = len(cpu_pct) + 1
    return pd.DataFrame({"wall_ns": (np.arange(n) * interval_s * S).astype(np.int64), "rss_mb": 100.0,
                         "cpu_pct": np.r_[0.0, cpu_pct], "threads": 1, "open_files": 1, "processes": 1})
