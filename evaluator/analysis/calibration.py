"""Calibration: does the harness measure a delay it injected itself?

The venue fill delay is injected at each platform's own injection point (Nautilus' backtest
``LatencyModel``, Hummingbot's ``TRADE_EXECUTION_DELAY``). A run with no injected delay is the
baseline; each other run's measured order → fill delay (market time, per fill), minus the baseline's
median, is the measured shift. It must equal the injected delay after the venue's own quantisation,
stated exactly:

- Nautilus fills at the first quote at or after the order's arrival: the delay rounds up to the
  quote grid (``quote_interval_ns``);
- Hummingbot fills on the first clock tick at least the delay after the order, one tick at least:
  the delay rounds up to whole ticks, never below one.

A fill whose measured shift misses the expected one by more than ``TOLERANCE_SHARE`` of it or by
more than ``TOLERANCE_MS``, whichever is less, fails the row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shared_signals.config import NANOS_PER_MS
from shared_signals.contract.codes import EventKind

TOLERANCE_MS = 1.0
TOLERANCE_SHARE = 0.05
STAGE = "order → fill (market time)"


@dataclass(frozen=True)
class Quantisation:
    """How a platform's venue turns an injected delay into the delay it can give."""

    grid_ns: int
    """Delays round up to whole multiples of this."""
    at_least_ns: int = 0
    """The shortest delay the venue gives, whatever is injected (Hummingbot: one tick)."""

    def delay_ns(self, injected_ns: int) -> int:
        steps = math.ceil(injected_ns / self.grid_ns - 1e-9) if injected_ns > 0 else 0
        return max(self.at_least_ns, steps * self.grid_ns)


@dataclass(frozen=True)
class CalibrationRow:
    platform: str
    stage: str
    injected_ms: float
    expected_shift_ms: float
    """The injected delay after the venue's quantisation, minus the baseline's."""
    measured_shift_p50_ms: float
    worst_miss_ms: float
    """The largest distance of a fill's measured shift from the expected one."""
    fills: int
    passed: bool


def fill_delays_ms(events: pd.DataFrame) -> pd.Series:
    """Per signal, market time from its first order to its first fill, in ms."""
    def first(kind: str) -> pd.Series:
        rows = events[(events["kind"] == kind) & events["signal_id"].notna()]
        return rows.groupby("signal_id")["sim_ts_ns"].min()
    delays = (first(EventKind.ORDER_FILLED) - first(EventKind.ORDER_SUBMITTED)).dropna()
    return delays.astype("float64") / NANOS_PER_MS


def calibration_rows(
    runs: dict[int, dict[str, pd.DataFrame]], quantisation: dict[str, Quantisation]
) -> list[CalibrationRow]:
    """``runs``: per injected delay (ns; 0 is the baseline), each platform's journal."""
    baseline = runs[0]
    rows = []
    for injected_ns, journals in sorted(runs.items()):
        if injected_ns == 0:
            continue
        for platform, events in journals.items():
            rule = quantisation[platform]
            base = float(np.median(fill_delays_ms(baseline[platform])))
            shifts = fill_delays_ms(events) - base
            expected = (rule.delay_ns(injected_ns) - rule.delay_ns(0)) / NANOS_PER_MS
            misses = (shifts - expected).abs()
            worst = float(misses.max()) if len(misses) else float("nan")
            tolerance = min(TOLERANCE_MS, TOLERANCE_SHARE * expected)
            rows.append(CalibrationRow(
                platform, STAGE, injected_ns / NANOS_PER_MS, expected,
                float(shifts.median()) if len(shifts) else float("nan"), worst, len(shifts),
                bool(len(shifts)) and worst <= tolerance,
            ))
    return rows
