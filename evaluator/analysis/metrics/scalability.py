"""Scalability: throughput (quotes and the strategy's journal events per wall second) and the
signals per wall minute the strategy received: in replay its processing capacity, in live the
inputs' own rate at the run's speed. A provider's journal (Hummingbot's) is not the strategy's work
and is not counted."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from shared_signals.config import NANOS_PER_MINUTE
from shared_signals.contract.codes import Component, EventKind



@dataclass(frozen=True)
class Scalability:
    quotes: int
    wall_s: float
    quotes_per_s: float
    events_per_s: float
    signals_per_min: float


def scalability(events: pd.DataFrame, result: dict | None) -> Scalability:
    events = events[events["component"].fillna(Component.STRATEGY) == Component.STRATEGY]
    quotes = int(result["quotes"]) if result else 0
    wall_s = float(result["wall_s"]) if result else float("nan")
    received = events.loc[events["kind"] == EventKind.SIGNAL_RECEIVED, "wall_ns"]
    span_min = (events["wall_ns"].max() - events["wall_ns"].min()) / NANOS_PER_MINUTE if len(events) > 1 else float("nan")
    return Scalability(
        quotes=quotes,
        wall_s=wall_s,
        quotes_per_s=quotes / wall_s if result and wall_s > 0 else float("nan"),
        events_per_s=len(events) / wall_s if result and wall_s > 0 else float("nan"),
        signals_per_min=len(received) / span_min if span_min and span_min > 0 else float("nan"),
    )
