"""Trade-by-trade agreement between the two platforms, with each difference given its cause.

Trades are matched by the signal that caused them. A pair agrees when side and quantity match
(within rounding). Causes of differences, in the order they are tested:
- ``not traded``: one platform has no fill for the signal; its own journal says why
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

from dataclasses import dataclass

import pandas as pd

from evaluator.analysis.metrics.accounts import accounts
from evaluator.analysis.metrics.accuracy import QTY_TOLERANCE, fills_by_signal
from shared_signals.contract.codes import EventKind
from shared_signals.config import NANOS_PER_SECOND

ROUNDING_STEPS = 5
QTY_STEP = 1e-5


@dataclass(frozen=True)
class Agreement:
    compared: int
    agreeing: int
    differences: pd.DataFrame
    """signal_id, cause, detail, for every signal the platforms did not trade identically."""
    fill_delay_s: pd.Series
    """Market-time gap between the two platforms' fills on agreeing trades (second minus first)."""

    @property
    def share(self) -> float:
        return self.agreeing / self.compared if self.compared else float("nan")

    def causes(self) -> dict[str, int]:
        return self.differences["cause"].value_counts().to_dict() if len(self.differences) else {}


def _decision_prices(events: pd.DataFrame) -> pd.Series:
    """Per signal, the price of the platform's last decision to trade it."""
    decided = events[(events["kind"] == EventKind.DECISION) & events["signal_id"].notna() & events["side"].notna()]
    return decided.groupby("signal_id")["price"].last()


def agreement(names: tuple[str, str], first: pd.DataFrame, second: pd.DataFrame) -> Agreement:
    a, b = fills_by_signal(first), fills_by_signal(second)
    prices = (_decision_prices(first), _decision_prices(second))
    told = (accounts(first, sorted(set(b.index) - set(a.index))), accounts(second, sorted(set(a.index) - set(b.index))))
    rows = []
    agreeing = 0
    delays = []
    for signal_id in sorted(set(a.index) | set(b.index)):
        if signal_id not in a.index:
            rows.append((signal_id, "not traded", f"{names[0]}: {told[0][signal_id].words()}"))
            continue
        if signal_id not in b.index:
            rows.append((signal_id, "not traded", f"{names[1]}: {told[1][signal_id].words()}"))
            continue
        qa, qb = float(a.at[signal_id, "signed_qty"]), float(b.at[signal_id, "signed_qty"])
        if abs(qa - qb) <= QTY_TOLERANCE:
            agreeing += 1
            delays.append((float(b.at[signal_id, "first_fill_ns"]) - float(a.at[signal_id, "first_fill_ns"])) / NANOS_PER_SECOND)
            continue
        pa, pb = (p.get(signal_id, float("nan")) for p in prices)
        detail = f"{names[0]} {qa:+.5f}, {names[1]} {qb:+.5f}"
        if qa * qb < 0:
            cause = "side"
        elif pa == pa and pb == pb and pa != pb:  # both decided, at different prices
            cause, detail = "decision price", f"{detail}; decided at {pa:g} and {pb:g}"
        elif round(abs(qa - qb) / QTY_STEP) <= ROUNDING_STEPS:  # whole steps: a float bound would miss exactly 5
            cause = "rounding"
        else:
            cause = "size"
        rows.append((signal_id, cause, detail))
    differences = pd.DataFrame(rows, columns=["signal_id", "cause", "detail"])
    return Agreement(len(set(a.index) | set(b.index)), agreeing, differences, pd.Series(delays, dtype=float))
