"""Calibration: does each column do, to the millisecond, what the rules say a delay injected into its
own platform must give?

Two injection points, each at every platform's own place:
- **venue fill delay**: each platform's own venue delay (a backtest latency model, a paper exchange's
  execution delay); measured order → fill (market time, per fill of a signal). The rule is the matched
  venues' fill rule, the same on every platform and any quote spacing: a market order decided at ``d``
  fills at the touch of the quote in force at ``d + delay``, stamped then. So every fill must come
  exactly the injected delay after its order, at the touch of the quote in force at its time;
- **signal delivery delay**: a provider publishes late, an in-process strategy holds each signal
  back; measured signal → receipt (``signal_received``'s market time minus the signal's). The rule:
  a signal reaches the strategy at the first moment the platform acts at or after its time plus the
  delay, the next quote for a platform that acts on quotes, the next tick of its clock's grid for one
  that acts on ticks (:class:`ActsAt`), however far the next quote is.

Nothing is measured against a baseline: each run, the one with no delay included, is checked
against the rule alone, so a platform that fills at the next quote, or a tick late, fails. A row
fails when any signal misses its expected delay by more than ``TOLERANCE_MS``, when any fill is off
the touch in force, or when nothing was measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.fill_delay import order_fills
from evaluator.analysis.metrics.latency import first_per_signal
from shared_signals.config import NANOS_PER_MS
from shared_signals.contract.codes import EventKind

TOLERANCE_MS = 1.0
PRICE_TOLERANCE = 1e-6
"""Quote currency: a fill price this close to the touch is at the touch (prices are in cents)."""
FILL_STAGE = "fill"
"""The venue fill delay, measured order → fill."""
DELIVERY_STAGE = "delivery"
"""The signal delivery delay, measured signal → receipt."""


@dataclass(frozen=True)
class ActsAt:
    """The moments at which a platform acts on a signal: each quote's time (``quotes_ns``, sorted), or
    each tick of its clock's grid (``first_ns + k * tick_ns``)."""

    quotes_ns: np.ndarray | None = None
    first_ns: int = 0
    tick_ns: int = 0

    def first_at_or_after(self, t_ns: np.ndarray) -> np.ndarray:
        """The first moment at or after each of ``t_ns`` (NaN after the last quote)."""
        t = np.asarray(t_ns, dtype="int64")
        if self.quotes_ns is None:
            return (self.first_ns - ((self.first_ns - t) // self.tick_ns) * self.tick_ns).astype("float64")
        i = np.searchsorted(self.quotes_ns, t, side="left")
        found = i < len(self.quotes_ns)
        return np.where(found, self.quotes_ns[np.minimum(i, len(self.quotes_ns) - 1)], np.nan)


@dataclass(frozen=True)
class CalibrationRow:
    data: str
    """The data set the runs used."""
    column: str
    stage: str
    injected_ms: float
    expected_p50_ms: float
    """The rule's delay, median over the signals measured (the fill stage: the injected delay)."""
    measured_p50_ms: float
    worst_miss_ms: float
    """The largest distance of a signal's measured delay from its expected one."""
    off_touch: int
    """Fills not at the touch of the quote in force at their time (the fill stage; 0 for delivery)."""
    count: int
    """Fills (the fill stage) or signals received (delivery) measured."""
    passed: bool


def _median(values: np.ndarray) -> float:
    return float(np.median(values)) if values.size else float("nan")


def _row(data: str, column: str, stage: str, injected_ns: int, measured_ms: np.ndarray, expected_ms: np.ndarray,
         off_touch: int = 0) -> CalibrationRow:
    """A row from the measured and the expected delay of each signal (ms; an expected NaN: the rule
    says it could not be received, so it misses)."""
    misses = np.abs(measured_ms - expected_ms)
    count = int(measured_ms.size)
    worst = float(np.max(misses)) if count else float("nan")
    passed = count > 0 and bool(np.all(misses <= TOLERANCE_MS)) and off_touch == 0
    return CalibrationRow(data, column, stage, injected_ns / NANOS_PER_MS, _median(expected_ms), _median(measured_ms), worst,
                          off_touch, count, passed)


def touch_in_force(fills: pd.DataFrame, touch: pd.DataFrame) -> np.ndarray:
    """Per fill (``fill_ns``, ``side``), the touch it trades at on the quote in force at its time: the
    ask for a buy, the bid for a sell (NaN before the first quote)."""
    if fills.empty:
        return np.array([], dtype="float64")
    quotes = touch.astype({"ts_ns": "int64"}).sort_values("ts_ns")
    at = pd.merge_asof(fills.astype({"fill_ns": "int64"}).reset_index(drop=True).sort_values("fill_ns"), quotes,
                       left_on="fill_ns", right_on="ts_ns", direction="backward").sort_index()
    return np.where(at["side"] == "BUY", at["ask"], at["bid"]).astype("float64")


def fill_row(data: str, column: str, injected_ns: int, events: pd.DataFrame, touch: pd.DataFrame) -> CalibrationRow:
    """The fill rule on one column's run: each fill ``injected_ns`` after its order, at the touch in force."""
    fills = order_fills(events)
    measured = fills["delay_ns"].to_numpy(dtype="float64") / NANOS_PER_MS
    prices = fills["price"].to_numpy(dtype="float64")
    off_touch = int((~(np.abs(prices - touch_in_force(fills, touch)) <= PRICE_TOLERANCE)).sum())
    return _row(data, column, FILL_STAGE, injected_ns, measured, np.full(measured.size, injected_ns / NANOS_PER_MS), off_touch)


def receipts(events: pd.DataFrame, schedule: pd.DataFrame) -> pd.DataFrame:
    """Per signal received: its own time and the market time of its receipt (ns)."""
    received = first_per_signal(events, EventKind.SIGNAL_RECEIVED, "sim_ts_ns")
    own = schedule.set_index("signal_id")["ts_ns"].reindex(received.index)
    return pd.DataFrame({"signal_ns": own, "received_ns": received}).dropna().astype("int64")


def delivery_row(data: str, column: str, injected_ns: int, events: pd.DataFrame, schedule: pd.DataFrame,
                 acts_at: ActsAt) -> CalibrationRow:
    """The delivery rule on one column's run: each signal received at the first moment the platform acts
    at or after its time plus ``injected_ns``."""
    got = receipts(events, schedule)
    signal_ns = got["signal_ns"].to_numpy()
    measured = (got["received_ns"].to_numpy() - signal_ns) / NANOS_PER_MS
    expected = (acts_at.first_at_or_after(signal_ns + injected_ns) - signal_ns) / NANOS_PER_MS
    return _row(data, column, DELIVERY_STAGE, injected_ns, measured.astype("float64"), expected)
