"""Closes by exit cause, per column, from the journals: how many fills each cause closed by and the
PnL they realised.

A fill's cause is its ``code`` (``ExitCause``: a signal, a barrier, the kill switch, the end of the
run); a fill without one opens or adds. The PnL a close realises is the quantity it takes off the
position times its move from the position's average entry price (the fills that opened or added it,
weighted by quantity), in quote currency before fees; its fee is reported beside it. A flip's fill
closes the old position (realised) and opens the new one with the rest of its quantity.

A close can also fill at a price worse than the touch in force when it filled: a resting LIMIT fills at
its own price, also when the quote has moved past it between two quotes (a gap), where a market close
on that quote takes the touch. Those fills are counted with what they forwent against the touch.

A time limit falls due at a moment of its own (the opening fill's time plus the limit), often between
quotes. A platform decides it on its own clock: at the deadline (a timer), or on its first tick after
it when the deadline is off the tick grid (a fill delay that is no whole number of ticks). The
reference replays decide at the deadline, so the closes a clock decided on a later tick are counted,
with the latest lag. (A close the risk gate refuses at the deadline, on a closed market's stale quote,
comes later still, in the reference too: that is the closed market's cause, not the clock's.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.accuracy import SIDE_SIGN
from shared_signals.contract.codes import EventKind, ExitCause

FLAT = 1e-12
TOUCH_MATCH = 1e-5
"""A fill within this fraction of the touch is at it: a venue rounds the quote's price to its tick (a
cent is 2e-7 of 50,000 and 1e-5 of 1,000)."""


@dataclass(frozen=True)
class CauseCloses:
    cause: ExitCause
    fills: int
    """Closing fills with this cause (a venue may split an order into several)."""
    gross_pnl: float
    """Realised against the average entry, quote currency, before fees."""
    fees: float
    """The fees of these fills, quote currency."""
    beyond_touch: int = 0
    """Of these fills, those at a price worse than the touch in force at their fill (bid for a sell,
    ask for a buy) by more than a tick's rounding (``TOUCH_MATCH``)."""
    forgone: float = 0.0
    """What those fills took less than the touch, quote currency: Σ qty × |touch − price|."""


@dataclass(frozen=True)
class LateTimeLimits:
    """Time-limit closes decided on the clock's first tick after their deadline, of those decided."""

    late: int
    of_closes: int
    max_late_s: float
    """Market seconds: the latest decision's lag behind its deadline."""
    repriced: int = 0
    """Of the late ones, those whose fill time falls on a later quote than a fill at the deadline would
    (another touch, so another price); the rest filled at the deadline's price."""


@dataclass(frozen=True)
class ExitCauses:
    by_cause: tuple[CauseCloses, ...]
    """One row per cause met, in ``ExitCause`` order."""
    held_at_end: float = 0.0
    """The signed position the fills leave at the end of the journal (0: flat)."""
    late_time_limits: LateTimeLimits | None = None
    """None without a time limit or a clock that ticks, or when none was decided on a later tick."""

    def of(self, cause: ExitCause) -> CauseCloses | None:
        return next((row for row in self.by_cause if row.cause is cause), None)


def forgone_at_touch(fills: pd.DataFrame, touch: pd.DataFrame | None) -> np.ndarray:
    """Per fill, what its price took less than the touch in force at its fill time (0 when at or better
    than the touch, or before the first quote known)."""
    if touch is None or not len(touch) or not len(fills):
        return np.zeros(len(fills))
    ts = touch["ts_ns"].to_numpy(dtype=np.int64)
    i = np.searchsorted(ts, fills["sim_ts_ns"].to_numpy(dtype=np.int64), side="right") - 1
    known = i >= 0
    i = np.maximum(i, 0)
    buy = fills["side"].map(SIDE_SIGN).to_numpy(dtype=float) > 0
    price = fills["price"].to_numpy(dtype=float)
    worse = np.where(buy, price - touch["ask"].to_numpy(dtype=float)[i], touch["bid"].to_numpy(dtype=float)[i] - price)
    worse = np.where(known & (worse > TOUCH_MATCH * price), worse, 0.0)
    return worse * fills["qty"].to_numpy(dtype=float)


def exit_causes(
    events: pd.DataFrame, touch: pd.DataFrame | None = None, time_limit_ns: int | None = None, tick_ns: int | None = None,
    fill_delay_ns: int = 0,
) -> ExitCauses:
    """The closes of one column's journal by cause; ``touch``: the quotes in force at its fills (None:
    no fill is compared with the touch); ``time_limit_ns``: the exits' time limit, ``tick_ns`` the
    platform's clock tick (None: none), ``fill_delay_ns`` its venue's."""
    fills = events[events["kind"] == EventKind.ORDER_FILLED].sort_values(["sim_ts_ns", "seq"])
    position = entry = 0.0
    rows: dict[ExitCause, list[float]] = {}
    opened: list[int] = []
    for t, side, qty, price, fee, code, forgone in zip(
        fills["sim_ts_ns"].astype("int64"), fills["side"].map(SIDE_SIGN).astype(float), fills["qty"].astype(float),
        fills["price"].astype(float), fills["fee"].astype(float).fillna(0.0), fills["code"], forgone_at_touch(fills, touch),
        strict=True,
    ):
        signed = side * qty
        closed = min(qty, abs(position)) if position * signed < 0 else 0.0
        realised = closed * (price - entry) * (1.0 if position > 0 else -1.0)
        if isinstance(code, str):
            row = rows.setdefault(ExitCause(code), [0, 0.0, 0.0, 0, 0.0])
            row[0] += 1
            row[1] += realised
            row[2] += fee
            if forgone > 0:
                row[3] += 1
                row[4] += forgone
        after = position + signed
        if abs(after) <= FLAT:
            entry = 0.0
        elif position * after <= 0:  # opened from flat or through zero: the rest is a new entry
            entry = price
            opened.append(int(t))
        elif abs(after) > abs(position):  # added: the average entry
            entry = (abs(position) * entry + qty * price) / abs(after)
        position = after
    return ExitCauses(tuple(CauseCloses(cause, int(rows[cause][0]), rows[cause][1], rows[cause][2], int(rows[cause][3]), rows[cause][4])
                            for cause in ExitCause if cause in rows),
                      0.0 if abs(position) <= FLAT else position,
                      None if time_limit_ns is None or not tick_ns else
                      late_time_limits(events, np.asarray(opened, dtype=np.int64), time_limit_ns, tick_ns,
                                       None if touch is None else touch["ts_ns"].to_numpy(dtype=np.int64), fill_delay_ns))


def late_time_limits(events: pd.DataFrame, opened_ns: np.ndarray, time_limit_ns: int, tick_ns: int,
                     quotes_ns: np.ndarray | None, fill_delay_ns: int) -> LateTimeLimits | None:
    """The journal's time-limit closes (their ``order_submitted``) against the deadline of the position
    each closes (the last opening fill before it plus the limit): those up to a tick after it, and of
    them those whose fill (``fill_delay_ns`` after the decision) meets another quote than a fill at the
    deadline would (``quotes_ns``: the quote times; None: not compared)."""
    decided = events.loc[(events["kind"] == EventKind.ORDER_SUBMITTED) & (events["code"] == ExitCause.TIME_LIMIT), "sim_ts_ns"]
    decided = decided.to_numpy(dtype=np.int64)
    i = np.searchsorted(opened_ns, decided, side="right") - 1
    known = i >= 0
    decided = decided[known]
    deadline = opened_ns[i[known]] + time_limit_ns
    lag = decided - deadline
    is_late = (lag > 0) & (lag <= tick_ns)
    if not is_late.any():
        return None
    repriced = 0
    if quotes_ns is not None:
        filled_on = np.searchsorted(quotes_ns, decided[is_late] + fill_delay_ns, side="right")
        on_time_on = np.searchsorted(quotes_ns, deadline[is_late] + fill_delay_ns, side="right")
        repriced = int((filled_on != on_time_on).sum())
    return LateTimeLimits(int(is_late.sum()), len(lag), float(lag[is_late].max()) / 1e9, repriced)


def exit_causes_by_column(events: Mapping[str, pd.DataFrame]) -> dict[str, ExitCauses]:
    """Per column name, its closes by cause."""
    return {name: exit_causes(frame) for name, frame in events.items()}
