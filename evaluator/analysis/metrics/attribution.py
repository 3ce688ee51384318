"""Where the difference between two platforms' net results comes from, in quote currency.

A run's PnL is the sum over its fills of ``signed qty × (last mark − price) − fee`` (cash flows plus
the final position at the last mark), so the difference between two platforms is a sum over
signals. For a signal both traded, with signed quantities ``x``, average prices ``p`` and fees ``f``:

    c_a − c_b = (x_a − x_b)(M − p_a)  [sizing and rounding]
              + x_b (p_b − p_a)         [fill timing: the same quantity at another price]
              + (f_b − f_a)             [fees]

A signal only one platform traded counts whole, under the other platform's account of it
(:mod:`~evaluator.analysis.metrics.accounts`); fills without a signal (the close at stop) count as closing. What the parts leave of the
difference of the two PnL figures is the remainder: zero unless a fill was lost between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from evaluator.analysis.metrics.accounts import accounts
from evaluator.analysis.metrics.accuracy import SIDE_SIGN
from shared_signals.contract.codes import EventKind


class Cause(StrEnum):
    FEES = "fees"
    FILL_TIMING = "fill_timing"
    SIZING = "sizing"
    UNTRADED = "untraded"
    CLOSING = "closing"


@dataclass(frozen=True)
class AttributionPart:
    cause: Cause
    usdt: float
    """Contribution to first − second, quote currency."""
    traded_by: str | None = None
    """Untraded: the platform that traded the signals."""
    other_reason: str | None = None
    """Untraded: the other platform's code for not trading them (its account's code)."""
    signals: int = 0


@dataclass(frozen=True)
class PnlAttribution:
    first: str
    second: str
    difference: float
    """Net PnL of ``first`` minus that of ``second``."""
    parts: list[AttributionPart]
    remainder: float


def _per_signal(events: pd.DataFrame, mark: float) -> pd.DataFrame:
    """Per signal (None for fills without one): signed qty, signed notional, fees and contribution."""
    fills = events[events["kind"] == EventKind.ORDER_FILLED]
    signed = fills["qty"].astype(float) * fills["side"].map(SIDE_SIGN).astype(float)
    frame = pd.DataFrame({
        "signal_id": fills["signal_id"].fillna(""), "x": signed, "notional": signed * fills["price"].astype(float),
        "fee": fills["fee"].astype(float).fillna(0.0),
    })
    grouped = frame.groupby("signal_id")[["x", "notional", "fee"]].sum()
    grouped["c"] = grouped["x"] * mark - grouped["notional"] - grouped["fee"]
    return grouped


def _both_traded(a: pd.Series, b: pd.Series, mark: float) -> dict[Cause, float]:
    """The split of one signal both platforms traded (rows of :func:`_per_signal`)."""
    if a["x"] == 0 or b["x"] == 0:  # one bought and sold it back: no average price to compare
        return {Cause.SIZING: a["c"] - b["c"]}
    p_a, p_b = a["notional"] / a["x"], b["notional"] / b["x"]
    return {Cause.SIZING: (a["x"] - b["x"]) * (mark - p_a), Cause.FILL_TIMING: b["x"] * (p_b - p_a), Cause.FEES: b["fee"] - a["fee"]}


def pnl_attribution(
    names: tuple[str, str], events: tuple[pd.DataFrame, pd.DataFrame], mark: float, pnl: tuple[float, float]
) -> PnlAttribution:
    """The parts of ``pnl[0] − pnl[1]``; ``mark`` is the last mark price both PnL figures used."""
    a, b = (_per_signal(e, mark) for e in events)
    only = ([s for s in a.index if s and s not in b.index], [s for s in b.index if s and s not in a.index])
    told = (accounts(events[0], only[1]), accounts(events[1], only[0]))
    totals: dict[Cause, float] = {Cause.FEES: 0.0, Cause.FILL_TIMING: 0.0, Cause.SIZING: 0.0,
                                  Cause.CLOSING: float(a["c"].get("", 0.0) - b["c"].get("", 0.0))}
    for signal in a.index.intersection(b.index).drop("", errors="ignore"):
        for cause, usdt in _both_traded(a.loc[signal], b.loc[signal], mark).items():
            totals[cause] += usdt
    untraded: dict[tuple[str, str], list[float]] = {}
    for traded, (signals, frame, sign) in enumerate(((only[0], a, 1.0), (only[1], b, -1.0))):
        for signal in signals:
            untraded.setdefault((names[traded], told[1 - traded][signal].code), []).append(sign * frame.at[signal, "c"])
    parts = [AttributionPart(cause, usdt) for cause, usdt in totals.items()]
    parts += [AttributionPart(Cause.UNTRADED, sum(values), traded_by, reason, len(values))
              for (traded_by, reason), values in sorted(untraded.items())]
    difference = pnl[0] - pnl[1]
    return PnlAttribution(names[0], names[1], difference, parts, difference - sum(p.usdt for p in parts))
