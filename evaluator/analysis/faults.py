"""What the journals show after each injected fault, per column, as facts (the report words them)."""

from __future__ import annotations

from dataclasses import dataclass

from evaluator.analysis.columns import Figures
from evaluator.analysis.metrics.stability import platform_errors, skipped_by_kind
from evaluator.analysis.run_folder import RunFolder
from shared_signals.contract.codes import EventKind
from shared_signals.contract.record import EVERY_COLUMN, InjectedFault

KILL = "kill"
BROKER_RESTART = "broker-restart"


@dataclass(frozen=True)
class ColumnOutcome:
    column: str
    exit_code: int | None
    killed: bool
    """This column was the fault's kill target."""
    events: int
    """Journal events readable (a killed column's)."""
    after_fault: bool
    """The counts below are from after the fault's wall time (a runtime fault), else over the run."""
    orders: int
    errors: int
    skipped: dict[str, int]
    held: int | None = None
    """Broker restart: signals published while the broker was away ..."""
    held_received: int | None = None
    """... and how many of them were delivered."""


@dataclass(frozen=True)
class FaultOutcome:
    fault: InjectedFault
    columns: list[ColumnOutcome]


def fault_outcome(run: RunFolder, figures: Figures, fault: InjectedFault) -> FaultOutcome:
    """What the journals show after the fault: after its wall time for a runtime fault, over the whole
    run for an input fault (its time is market time, in the reshaped inputs). A fault aimed at one
    column is read in that column alone, but a kill, whose effect on every other column matters."""
    at = fault.at_wall_ns
    outcomes = []
    for name, run_column in run.columns.items():
        if fault.target not in (EVERY_COLUMN, name) and fault.name != KILL:
            continue
        events = run_column.events
        code = run_column.exit.get("returncode") if run_column.exit else None
        if fault.name == KILL and name == fault.target:
            outcomes.append(ColumnOutcome(name, code, True, len(events), False, 0, 0, {}))
            continue
        after = events[events["wall_ns"] >= at] if at else events
        transport = figures.columns[name].transport if name in figures.columns else None
        held = (transport.held, transport.held_received) if fault.name == BROKER_RESTART and transport is not None else (None, None)
        outcomes.append(ColumnOutcome(
            name, code, False, len(events), bool(at), int((after["kind"] == EventKind.ORDER_SUBMITTED).sum()),
            int(platform_errors(after).sum()), skipped_by_kind(after), *held,
        ))
    return FaultOutcome(fault, outcomes)
