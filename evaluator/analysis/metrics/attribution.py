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


def pnl_attribution(
    names: tuple[str, str], events: tuple[pd.DataFrame, pd.DataFrame], mark: float, pnl: tuple[float, float]
) -> PnlAttribution:
    """The parts of ``pnl[0] − pnl[1]``; ``mark`` is the last mark price both PnL figures used."""
    a, b = (_per_signal(e, mark) for e in events)
    told = (accounts(events[0], [s for s in b.index if s and s not in a.index]),
            accounts(events[1], [s for s in a.index if s and s not in b.index]))
    totals: dict[Cause, float] = {Cause.FEES: 0.0, Cause.FILL_TIMING: 0.0, Cause.SIZING: 0.0, Cause.CLOSING: 0.0}
    untraded: dict[tuple[str, str], list[float]] = {}
    for signal in a.index.union(b.index):
        in_a, in_b = signal in a.index, signal in b.index
        if signal == "":
            totals[Cause.CLOSING] += (a.at[signal, "c"] if in_a else 0.0) - (b.at[signal, "c"] if in_b else 0.0)
        elif in_a and in_b and a.at[signal, "x"] != 0 and b.at[signal, "x"] != 0:
            x_a, x_b = a.at[signal, "x"], b.at[signal, "x"]
            p_a, p_b = a.at[signal, "notional"] / x_a, b.at[signal, "notional"] / x_b
            totals[Cause.SIZING] += (x_a - x_b) * (mark - p_a)
            totals[Cause.FILL_TIMING] += x_b * (p_b - p_a)
            totals[Cause.FEES] += b.at[signal, "fee"] - a.at[signal, "fee"]
        elif in_a and in_b:  # one bought and sold it back: no average price to compare
            totals[Cause.SIZING] += a.at[signal, "c"] - b.at[signal, "c"]
        else:
            traded, other, sign, frame = (0, 1, 1.0, a) if in_a else (1, 0, -1.0, b)
            reason = told[other][signal].code
            untraded.setdefault((names[traded], reason), []).append(sign * frame.at[signal, "c"])
    parts = [AttributionPart(cause, usdt) for cause, usdt in totals.items()]
    parts += [AttributionPart(Cause.UNTRADED, sum(values), traded_by, reason, len(values))
              for (traded_by, reason), values in sorted(untraded.items())]
    difference = pnl[0] - pnl[1]
    return PnlAttribution(names[0], names[1], difference, parts, difference - sum(p.usdt for p in parts))
