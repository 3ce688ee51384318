"""What the report says happened after each injected fault, from hand-made journals."""

from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from evaluator.analysis.faults import ColumnOutcome, fault_outcome
from evaluator.analysis.metrics.latency import summarize
from evaluator.analysis.metrics.transport import TransportFigures
from evaluator.analysis.run_folder import ColumnRun, RunFolder
from evaluator.report.markdown import outcome_words
from shared_signals.contract.codes import INTERRUPTED_REASON
from shared_signals.contract.record import EVERY_COLUMN, InjectedFault
from tests.evaluator.journals import S, column_run, events

AT = 10 * S
NO_FIGURES = SimpleNamespace(columns={})


def record(name: str, frame: pd.DataFrame, returncode: int | None) -> ColumnRun:
    return column_run(name, frame, {"returncode": returncode} if returncode is not None else None)


def run_of(*records: ColumnRun) -> RunFolder:
    return RunFolder(Path("run"), None, {r.name: r for r in records}, {}, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())


def fault(name: str, target: str, at_wall_ns: int | None = AT) -> InjectedFault:
    return InjectedFault(name=name, target=target, at_s=10.0, at_wall_ns=at_wall_ns, action="done")


def journal_around_the_fault() -> pd.DataFrame:
    return events(
        dict(kind="order_submitted", signal_id="a", wall_ns=AT - S),  # before the fault: not counted
        dict(kind="order_submitted", signal_id="b", wall_ns=AT + S),
        dict(kind="signal_skipped", code="stale", signal_id="c", reason="stale: 420 s old", wall_ns=AT + 2 * S),
        dict(kind="signal_skipped", code="stale", signal_id="d", reason="stale: 300 s old", wall_ns=AT + 3 * S),
        dict(kind="signal_skipped", code="duplicate", signal_id="e", reason="duplicate of BTCUSDT:1", wall_ns=AT + 4 * S),
        dict(kind="error", code="handler_failed", reason="quote handler failed", wall_ns=AT + 5 * S),
        dict(kind="error", code="interrupted", reason=INTERRUPTED_REASON, wall_ns=AT + 6 * S),  # the user's stop is not an error
    )


def test_a_runtime_fault_counts_only_what_followed_it_on_its_target():
    run = run_of(record("nautilus", journal_around_the_fault(), 0), record("hummingbot", journal_around_the_fault(), 1))
    outcome = fault_outcome(run, NO_FIGURES, fault("provider-hang", "hummingbot"))
    assert outcome.columns == [ColumnOutcome("hummingbot", 1, False, 7, True, 1, 1, {"duplicate": 1, "stale": 2})]
    assert outcome_words(outcome) == "hummingbot exit 1: after the fault 1 orders, 1 errors, skipped signals: duplicate 1, stale 2"


def test_an_input_fault_counts_the_whole_run_of_every_column():
    run = run_of(record("nautilus", journal_around_the_fault(), 0), record("hummingbot", events(), None))
    outcome = fault_outcome(run, NO_FIGURES, fault("stale-signals", EVERY_COLUMN, at_wall_ns=None))
    assert outcome.columns == [ColumnOutcome("nautilus", 0, False, 7, False, 2, 1, {"duplicate": 1, "stale": 2}),
                               ColumnOutcome("hummingbot", None, False, 0, False, 0, 0, {})]
    assert outcome_words(outcome) == (
        "nautilus ran on: over the run 2 orders, 1 errors, skipped signals: duplicate 1, stale 2; "
        "hummingbot exit unknown: over the run 0 orders, 0 errors, skipped signals: none"
    )


def test_a_killed_platform_is_reported_by_its_exit_and_the_other_by_what_followed():
    run = run_of(record("nautilus", journal_around_the_fault(), -9), record("hummingbot", journal_around_the_fault(), 0))
    outcome = fault_outcome(run, NO_FIGURES, fault("kill", "nautilus"))
    killed, other = outcome.columns
    assert (killed.column, killed.killed, killed.exit_code, killed.events) == ("nautilus", True, -9, 7)
    assert (other.column, other.killed, other.after_fault, other.orders) == ("hummingbot", False, True, 1)
    assert outcome_words(outcome).startswith("nautilus exited -9; 7 journal events readable; hummingbot ran on: after the fault 1 orders")


def test_a_broker_restart_says_how_many_held_signals_arrived():
    latency = summarize(pd.Series([], dtype=float))
    transport = TransportFigures(
        name="mqtt", settings={}, published=10, received=9, lost=1, duplicates=0, deliveries={"acknowledged": 7, "held": 3}, held=3, held_received=2, resent=3,
        outages={}, reconnect_s={}, to_received=latency, received_to_order=latency, to_order=latency,
        latencies=pd.DataFrame(), lost_ids=("BTCUSDT:5",),
    )
    figures = SimpleNamespace(columns={"hummingbot": SimpleNamespace(transport=transport)})
    outcome = fault_outcome(run_of(record("hummingbot", events(), 0)), figures, fault("broker-restart", "hummingbot"))
    (column,) = outcome.columns
    assert (column.held, column.held_received) == (3, 2)
    assert outcome_words(outcome).endswith("; 3 signals published while the broker was away, 2 of them delivered")
