"""Trade-by-trade agreement between two columns, with each difference given its cause.

Trades are matched by the signal that caused them. A pair agrees when side and quantity match
(within rounding). Causes of differences, in the order they are tested:
- ``not traded``: one column has no fill for the signal; its own journal says why
  (:mod:`~evaluator.analysis.metrics.accounts`);
- ``decision price``: same side, and the two platforms decided at different prices (one decided
  later, on another quote): the size follows the price, so the difference is decision time;
- ``rounding``: same side, quantities differ by at most ``rounding_steps`` quantity steps;
- ``size``: same side, larger quantity difference (the position it started from differed);
- ``side``: opposite sides;
and, for agreeing pairs, ``fill delay`` when the fills happened at different market times (the venue
model's delay or the clock's tick), which moves the fill price.
"""

from __future__ import annotations

import math

from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from evaluator.analysis.metrics.accounts import accounts
from evaluator.analysis.metrics.accuracy import QTY_TOLERANCE, fills_by_signal
from shared_signals.contract.codes import EventKind
from shared_signals.config import NANOS_PER_SECOND

ROUNDING_STEPS = 5
QTY_STEP = 1e-5


class DifferenceCause(StrEnum):
    NOT_TRADED = "not traded"
    SIDE = "side"
    DECISION_PRICE = "decision price"
    ROUNDING = "rounding"
    SIZE = "size"


DIFFERENCE_COLUMNS = ["signal_id", "cause", "qty_first", "qty_second", "price_first", "price_second",
                      "untraded_by", "account_kind", "account_code", "account_reason"]


@dataclass(frozen=True)
class Agreement:
    first: str
    second: str
    compared: int
    agreeing: int
    differences: pd.DataFrame
    """One row per signal the two columns did not trade identically (``DIFFERENCE_COLUMNS``): its
    cause, both signed quantities and decision prices, and for one not traded, the column that did
    not and its own account of why (the journal record that decided it)."""
    fill_delay_s: pd.Series
    """Market-time gap between the two columns' fills on agreeing trades (second minus first)."""

    @property
    def share(self) -> float:
        return self.agreeing / self.compared if self.compared else float("nan")

    def causes(self) -> dict[str, int]:
        return self.differences["cause"].value_counts().to_dict() if len(self.differences) else {}


PRICE_MATCH = 1e-12
"""Decision prices this close (relative) are the same quote's: a mid computed in another order of
operations differs in its last bits (59078.61000000001 and 59078.61)."""


def _decision_prices(events: pd.DataFrame) -> pd.Series:
    """Per signal, the price of the platform's last decision to trade it."""
    decided = events[(events["kind"] == EventKind.DECISION) & events["signal_id"].notna() & events["side"].notna()]
    return decided.groupby("signal_id")["price"].last()


def agreement(names: tuple[str, str], first: pd.DataFrame, second: pd.DataFrame) -> Agreement:
    a, b = fills_by_signal(first), fills_by_signal(second)
    prices = (_decision_prices(first), _decision_prices(second))
    told = (accounts(first, sorted(set(b.index) - set(a.index))), accounts(second, sorted(set(a.index) - set(b.index))))
    nan = float("nan")
    rows = []
    agreeing = 0
    delays = []
    for signal_id in sorted(set(a.index) | set(b.index)):
        qa = float(a.at[signal_id, "signed_qty"]) if signal_id in a.index else 0.0
        qb = float(b.at[signal_id, "signed_qty"]) if signal_id in b.index else 0.0
        pa, pb = (p.get(signal_id, nan) for p in prices)
        for side, missing in ((0, signal_id not in a.index), (1, signal_id not in b.index)):
            if missing:
                account = told[side][signal_id]
                rows.append((signal_id, DifferenceCause.NOT_TRADED, qa, qb, pa, pb, names[side], account.kind, account.code, account.reason))
        if signal_id not in a.index or signal_id not in b.index:
            continue
        if abs(qa - qb) <= QTY_TOLERANCE:
            agreeing += 1
            delays.append((float(b.at[signal_id, "first_fill_ns"]) - float(a.at[signal_id, "first_fill_ns"])) / NANOS_PER_SECOND)
            continue
        if qa * qb < 0:
            cause = DifferenceCause.SIDE
        elif pa == pa and pb == pb and not math.isclose(pa, pb, rel_tol=PRICE_MATCH):  # both decided, at different prices
            cause = DifferenceCause.DECISION_PRICE
        elif round(abs(qa - qb) / QTY_STEP) <= ROUNDING_STEPS:  # whole steps: a float bound would miss exactly 5
            cause = DifferenceCause.ROUNDING
        else:
            cause = DifferenceCause.SIZE
        rows.append((signal_id, cause, qa, qb, pa, pb, None, None, None, None))
    differences = pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)
    differences["cause"] = differences["cause"].astype(str)
    return Agreement(names[0], names[1], len(set(a.index) | set(b.index)), agreeing, differences, pd.Series(delays, dtype=float))
