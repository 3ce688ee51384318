"""Execution accuracy, in two questions.

- **Filled as decided** (scored): did the platform's fills for each signal it sent orders for have
  the side and total quantity of those orders (within ``qty_tolerance``)? A platform that executes
  its own decision faithfully does not fail here, whenever it decided.
- **Traded as the reference** (shown): the reference replay (``shared_signals.reference``) with the
  platform's own venue fill delay decides at the first quote a signal is in force. A platform that
  decides later (Hummingbot on its clock's tick, live) may size from another price; that is what
  its decision time costs, stated apart, not an execution failure.

The position path is checked after every signal either side traded, in market-time order: the
platform's position then (after its last fill of that signal or of any earlier one) against the
reference's. A signal the platform rightly left alone is no mismatch when its position is right,
and a trade the reference never made is a check of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from shared_signals.contract.codes import EventKind

SIDE_SIGN = {"BUY": 1.0, "SELL": -1.0}

QTY_TOLERANCE = 2e-5
"""Two quantity steps (0.00001 BTC): a platform's own rounding may differ by one step each way."""


@dataclass(frozen=True)
class Accuracy:
    actionable: int
    executed_as_intended: int
    position_checks: int
    position_matches: int
    mismatches: list[dict] = field(default_factory=list)
    decided: int = 0
    """Signals the platform sent orders for (before the horizon)."""
    filled_as_decided: int = 0
    as_decided: pd.Series = field(default_factory=lambda: pd.Series(dtype=bool))
    """Per signal it sent orders for (by id): whether its fills had those orders' side and quantity."""

    @property
    def share(self) -> float:
        return self.executed_as_intended / self.actionable if self.actionable else float("nan")

    @property
    def decided_share(self) -> float:
        return self.filled_as_decided / self.decided if self.decided else float("nan")

    @property
    def position_share(self) -> float:
        return self.position_matches / self.position_checks if self.position_checks else float("nan")


def fills_by_signal(events: pd.DataFrame) -> pd.DataFrame:
    """Per signal: net signed filled quantity, last position, first fill time and mean price."""
    fills = events[(events["kind"] == EventKind.ORDER_FILLED) & events["signal_id"].notna()].copy()
    if fills.empty:
        return pd.DataFrame(columns=["signed_qty", "position_after", "first_fill_ns", "price"])
    fills["signed"] = fills["qty"].astype(float) * fills["side"].map(SIDE_SIGN).astype(float)
    grouped = fills.sort_values("seq").groupby("signal_id")
    return pd.DataFrame(
        {
            "signed_qty": grouped["signed"].sum(),
            "position_after": grouped["position_after"].last(),
            "first_fill_ns": grouped["sim_ts_ns"].min(),
            "price": grouped["price"].mean(),
        }
    )


def reference_by_signal(reference: pd.DataFrame) -> pd.DataFrame:
    if reference.empty:
        return pd.DataFrame(columns=["signed_qty", "position_after", "decided_ns"])
    ref = reference.assign(signed=reference["qty"] * reference["side"]).groupby("signal_id", sort=False)
    return pd.DataFrame({"signed_qty": ref["signed"].sum(), "position_after": ref["position_after"].last(), "decided_ns": ref["decided_ns"].min()})


def execution_accuracy(events: pd.DataFrame, reference: pd.DataFrame, horizon_ns: int | None, qty_tolerance: float = QTY_TOLERANCE) -> Accuracy:
    """Compares the platform with the reference on the signals decided before ``horizon_ns``."""
    expected = reference_by_signal(reference)
    if horizon_ns is not None and not expected.empty:
        expected = expected[expected["decided_ns"] <= horizon_ns]
    actual = fills_by_signal(events)
    if horizon_ns is not None and not actual.empty:
        actual = actual[actual["first_fill_ns"] <= horizon_ns]
    executed = 0
    mismatches = []
    for signal_id, row in expected.iterrows():
        got_qty = float(actual.at[signal_id, "signed_qty"]) if signal_id in actual.index else 0.0
        if abs(got_qty - row["signed_qty"]) <= qty_tolerance:
            executed += 1
        else:
            mismatches.append({"signal_id": signal_id, "expected_qty": float(row["signed_qty"]), "filled_qty": got_qty})
    checks, matches = position_path(expected, actual, qty_tolerance)
    decided = submitted_by_signal(events, horizon_ns)
    filled = actual["signed_qty"].reindex(decided.index).fillna(0.0).astype(float)
    as_decided = (filled - decided.astype(float)).abs() <= qty_tolerance
    return Accuracy(len(expected), executed, checks, matches, mismatches, len(decided), int(as_decided.sum()), as_decided)


def submitted_by_signal(events: pd.DataFrame, horizon_ns: int | None) -> pd.Series:
    """Per signal, the net signed quantity of the orders the platform sent for it."""
    orders = events[(events["kind"] == EventKind.ORDER_SUBMITTED) & events["signal_id"].notna()]
    if horizon_ns is not None:
        orders = orders[orders["sim_ts_ns"] <= horizon_ns]
    signed = orders["qty"].astype(float) * orders["side"].map(SIDE_SIGN).astype(float)
    return signed.groupby(orders["signal_id"]).sum()


def position_path(expected: pd.DataFrame, actual: pd.DataFrame, qty_tolerance: float) -> tuple[int, int]:
    """Checks and matches of the position after each signal either side traded (see the module)."""
    times = pd.concat([expected["decided_ns"], actual["first_fill_ns"]]).groupby(level=0).min().sort_values(kind="stable")
    if times.empty:
        return 0, 0
    order = pd.Index(times.index)
    reference = expected["position_after"].reindex(order).ffill().fillna(0.0).to_numpy(dtype=float)
    platform = actual["position_after"].reindex(order).astype(float).ffill().fillna(0.0).to_numpy(dtype=float)
    return len(order), int((abs(platform - reference) <= qty_tolerance).sum())
