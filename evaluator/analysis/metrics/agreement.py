"""Trade-by-trade agreement between the two platforms, with each difference given its cause.

Trades are matched by the signal that caused them. A pair agrees when side and quantity match
(within rounding). Causes of differences, in the order they are tested:
- ``not traded``: one platform has no fill for the signal; its own journal says why
  (:mod:`~evaluator.analysis.metrics.accounts`);
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


def agreement(names: tuple[str, str], first: pd.DataFrame, second: pd.DataFrame) -> Agreement:
    a, b = fills_by_signal(first), fills_by_signal(second)
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
        if qa * qb < 0:
            cause = "side"
        elif round(abs(qa - qb) / QTY_STEP) <= ROUNDING_STEPS:  # whole steps: a float bound would miss exactly 5
            cause = "rounding"
        else:
            cause = "size"
        rows.append((signal_id, cause, f"{names[0]} {qa:+.5f}, {names[1]} {qb:+.5f}"))
    differences = pd.DataFrame(rows, columns=["signal_id", "cause", "detail"])
    return Agreement(len(set(a.index) | set(b.index)), agreeing, differences, pd.Series(delays, dtype=float))
