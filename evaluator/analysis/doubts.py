"""What makes a platform's figures untrustworthy: its journal is missing, empty or torn, or it
disagrees with the counts the platform reported at the end (``result.json``). A run with a doubt
gets no recommendation; a run where every platform has one says nothing trustworthy at all."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from evaluator.analysis.run_folder import PlatformRecord
from shared_signals.contract.codes import EventKind
from shared_signals.contract.layout import EVENTS_JSONL


class DoubtKind(StrEnum):
    JOURNAL_MISSING = "journal_missing"
    JOURNAL_EMPTY = "journal_empty"
    JOURNAL_TORN = "journal_torn"
    RESULT_DISAGREES = "result_disagrees"


class Doubt(NamedTuple):
    kind: DoubtKind
    detail: str


RESULT_COUNTS = (("orders", EventKind.ORDER_SUBMITTED), ("fills", EventKind.ORDER_FILLED))
"""``result.json``'s counts and the journal events each must equal."""


def doubts(record: PlatformRecord) -> list[Doubt]:
    """Every reason not to trust ``record``'s figures, in the order a reader needs them."""
    if not (record.folder / EVENTS_JSONL).exists():
        return [Doubt(DoubtKind.JOURNAL_MISSING, f"{record.name} wrote no journal ({EVENTS_JSONL})")]
    if record.events.empty:
        return [Doubt(DoubtKind.JOURNAL_EMPTY, f"{record.name}'s journal holds no event")]
    found = []
    if record.torn_lines:
        found.append(Doubt(DoubtKind.JOURNAL_TORN, f"{record.name}'s journal has {record.torn_lines} unreadable line(s)"))
    kinds = record.events["kind"]
    for field, kind in RESULT_COUNTS:
        reported = (record.result or {}).get(field)
        journaled = int((kinds == kind).sum())
        if reported is not None and reported != journaled:
            found.append(Doubt(
                DoubtKind.RESULT_DISAGREES,
                f"{record.name} reported {reported} {field} at the end, its journal holds {journaled} {kind} events",
            ))
    return found
