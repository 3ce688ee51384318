"""Execution accuracy: did the platform trade each actionable signal as the shared decision intended?

The intention is the reference replay (``shared_signals.reference``) with the platform's own venue
fill delay. A signal is executed as intended when the platform's fills for it have the reference's
side and total quantity (within ``qty_tolerance``); the position path matches when the platform's
position after its last fill for a signal equals the reference's.
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

    @property
    def share(self) -> float:
        return self.executed_as_intended / self.actionable if self.actionable else float("nan")

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
    executed = position_ok = 0
    mismatches = []
    for signal_id, row in expected.iterrows():
        got = actual.loc[signal_id] if signal_id in actual.index else None
        got_qty = 0.0 if got is None else float(got["signed_qty"])
        if abs(got_qty - row["signed_qty"]) <= qty_tolerance:
            executed += 1
        else:
            mismatches.append({"signal_id": signal_id, "expected_qty": float(row["signed_qty"]), "filled_qty": got_qty})
        if got is not None and abs(float(got["position_after"]) - row["position_after"]) <= qty_tolerance:
            position_ok += 1
    return Accuracy(len(expected), executed, len(expected), position_ok, mismatches)
