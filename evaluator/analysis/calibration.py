"""Calibration: does the harness measure a delay it injected itself?

Two injection points, each at every platform's own place:
- **venue fill delay**: each platform's own venue delay (a backtest latency model, a paper exchange's
  execution delay); measured order → fill (market time, per signal);
- **signal delivery delay**: a provider publishes late, an in-process strategy holds each signal
  back; measured signal → receipt (``signal_received``'s market time minus the signal's).

A run with no injected delay is the baseline; each other run's measured delay, minus the baseline's
median, is the measured shift. It must equal the injected delay after the platform's own
quantisation, stated exactly by its registry entry's clock:
- a platform that acts on quotes: a delay rounds up to the quote grid;
- one that acts on its clock's ticks: a delay rounds up to whole ticks; a fill may take one tick at
  least.

A fill whose measured shift misses the expected one by more than ``TOLERANCE_SHARE`` of it or by
more than ``TOLERANCE_MS``, whichever is less, fails the row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.latency import first_per_signal
from shared_signals.config import NANOS_PER_MS
from shared_signals.contract.codes import EventKind

TOLERANCE_MS = 1.0
TOLERANCE_SHARE = 0.05
FILL_STAGE = "fill"
"""The venue fill delay, measured order → fill."""
DELIVERY_STAGE = "delivery"
"""The signal delivery delay, measured signal → receipt."""


@dataclass(frozen=True)
class Quantisation:
    """How a platform's venue turns an injected delay into the delay it can give."""

    grid_ns: int
    """Delays round up to whole multiples of this."""
    at_least_ns: int = 0
    """The shortest delay the venue gives, whatever is injected (one tick, where a fill takes a tick)."""

    def delay_ns(self, injected_ns: int) -> int:
        steps = -(-injected_ns // self.grid_ns)  # whole grid steps, rounded up
        return max(self.at_least_ns, steps * self.grid_ns)


@dataclass(frozen=True)
class CalibrationRow:
    column: str
    stage: str
    injected_ms: float
    expected_shift_ms: float
    """The injected delay after the venue's quantisation, minus the baseline's."""
    measured_shift_p50_ms: float
    worst_miss_ms: float
    """The largest distance of a fill's measured shift from the expected one."""
    fills: int
    """Signals measured."""
    passed: bool


def fill_delays_ms(events: pd.DataFrame) -> pd.Series:
    """Per signal, market time from its first order to its first fill, in ms."""
    filled, submitted = (first_per_signal(events, kind, "sim_ts_ns") for kind in (EventKind.ORDER_FILLED, EventKind.ORDER_SUBMITTED))
    delays = (filled - submitted).dropna()
    return delays.astype("float64") / NANOS_PER_MS


def receipt_delays_ms(events: pd.DataFrame, schedule: pd.DataFrame) -> pd.Series:
    """Per signal, market time from its own time to the strategy's receipt of it, in ms."""
    received = first_per_signal(events, EventKind.SIGNAL_RECEIVED, "sim_ts_ns")
    own = schedule.set_index("signal_id")["ts_ns"].reindex(received.index)
    return ((received - own).dropna()).astype("float64") / NANOS_PER_MS


def calibration_rows(
    stage: str, runs: dict[int, dict[str, pd.Series]], quantisation: dict[str, Quantisation]
) -> list[CalibrationRow]:
    """``runs``: per injected delay (ns; 0 is the baseline), each column's measured delays (ms)."""
    baseline = runs[0]
    rows = []
    for injected_ns, measured in sorted(runs.items()):
        if injected_ns == 0:
            continue
        for column, delays in measured.items():
            rule = quantisation[column]
            base = float(np.median(baseline[column]))
            shifts = delays - base
            expected = (rule.delay_ns(injected_ns) - rule.delay_ns(0)) / NANOS_PER_MS
            misses = (shifts - expected).abs()
            worst = float(misses.max()) if len(misses) else float("nan")
            tolerance = min(TOLERANCE_MS, TOLERANCE_SHARE * expected)
            rows.append(CalibrationRow(
                column, stage, injected_ns / NANOS_PER_MS, expected,
                float(shifts.median()) if len(shifts) else float("nan"), worst, len(shifts),
                bool(len(shifts)) and worst <= tolerance,
            ))
    return rows
