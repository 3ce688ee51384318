"""A platform's own account of a signal it did not trade, read from its journal.

The account is the record that decided the matter: a refusal (the risk gate's or the venue's) when
there is one, else the first of its decision and skip records. A platform that decided HOLD on a
signal and later journaled the same signal as expired did not trade it because of the HOLD, not
because it expired. Without any of those records: an order that never filled, or a signal that was
never in force on that platform.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shared_signals.contract.codes import EventKind

ACCOUNTED = (EventKind.ORDER_REJECTED, EventKind.SIGNAL_SKIPPED, EventKind.DECISION, EventKind.ORDER_SUBMITTED)
UNFILLED = "order_unfilled"
NEVER_IN_FORCE = "never_in_force"


@dataclass(frozen=True)
class Account:
    kind: str
    """The journal kind that decided the matter, or ``none``."""
    code: str
    """Its code: the refusal's rule, the skip's kind, the decision's action, or ``UNFILLED`` /
    ``NEVER_IN_FORCE``."""
    reason: str
    """For people: the journal record's own reason; empty when no record decided it (the code says why)."""


NO_RECORD = Account("none", NEVER_IN_FORCE, "")


def _account(rows: pd.DataFrame) -> Account:
    refusals = rows[rows["kind"] == EventKind.ORDER_REJECTED]
    if len(refusals):
        first = refusals.iloc[0]
        return Account(EventKind.ORDER_REJECTED, str(first["code"]), str(first["reason"]))
    told = rows[rows["kind"].isin([EventKind.SIGNAL_SKIPPED, EventKind.DECISION])]
    if len(told) and told["kind"].iloc[0] == EventKind.SIGNAL_SKIPPED:
        return Account(EventKind.SIGNAL_SKIPPED, str(told["code"].iloc[0]), str(told["reason"].iloc[0]))
    if (rows["kind"] == EventKind.ORDER_SUBMITTED).any():
        return Account("none", UNFILLED, "")
    decisions = told[told["kind"] == EventKind.DECISION]
    if len(decisions):
        last = decisions.iloc[-1]
        return Account(EventKind.DECISION, str(last["code"]), str(last["reason"]))
    return NO_RECORD


def accounts(events: pd.DataFrame, signal_ids: list[str]) -> dict[str, Account]:
    """The account of each of ``signal_ids`` (journal order: ``events`` sorted as loaded)."""
    rows = events[events["kind"].isin(ACCOUNTED) & events["signal_id"].isin(signal_ids)]
    found = {signal_id: _account(group) for signal_id, group in rows.groupby("signal_id", sort=False)}
    return {signal_id: found.get(signal_id, NO_RECORD) for signal_id in signal_ids}
