"""What makes a column's figures untrustworthy: its journal is missing, empty or torn, or it disagrees
with the counts the platform reported at the end (``result.json``). A run with a doubt gets no
recommendation; a run where every column has one says nothing trustworthy at all."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from evaluator.analysis.run_folder import ColumnRun
from shared_signals.contract.codes import EventKind
from shared_signals.contract.layout import EVENTS_JSONL


class DoubtKind(StrEnum):
    JOURNAL_MISSING = "journal_missing"
    JOURNAL_EMPTY = "journal_empty"
    JOURNAL_TORN = "journal_torn"
    RESULT_DISAGREES = "result_disagrees"


@dataclass(frozen=True)
class Doubt:
    kind: DoubtKind
    column: str
    count: int = 0
    """Torn: the unreadable lines. Result disagrees: what the result reported."""
    field: str = ""
    """Result disagrees: which count (``orders``, ``fills``)."""
    journaled: int = 0
    """Result disagrees: the journal's count of the matching events."""
    event: str = ""
    """Result disagrees: the journal kind counted."""


RESULT_COUNTS = (("orders", EventKind.ORDER_SUBMITTED), ("fills", EventKind.ORDER_FILLED))
"""``result.json``'s counts and the journal events each must equal."""


def doubts(run_column: ColumnRun) -> list[Doubt]:
    """Every reason not to trust ``run_column``'s figures, in the order a reader needs them."""
    name = run_column.name
    if not (run_column.folder / EVENTS_JSONL).exists():
        return [Doubt(DoubtKind.JOURNAL_MISSING, name)]
    if run_column.events.empty:
        return [Doubt(DoubtKind.JOURNAL_EMPTY, name)]
    found = []
    if run_column.torn_lines:
        found.append(Doubt(DoubtKind.JOURNAL_TORN, name, run_column.torn_lines))
    kinds = run_column.events["kind"]
    for field, kind in RESULT_COUNTS:
        reported = (run_column.result or {}).get(field)
        journaled = int((kinds == kind).sum())
        if reported is not None and reported != journaled:
            found.append(Doubt(DoubtKind.RESULT_DISAGREES, name, int(reported), field, journaled, str(kind)))
    return found
