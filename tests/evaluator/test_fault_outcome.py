"""What the report says happened after each injected fault, from hand-made journals."""

from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from evaluator.analysis.evaluation import Evaluation
from evaluator.analysis.faults import fault_outcome
from shared_signals.contract.codes import INTERRUPTED_REASON
from evaluator.analysis.metrics.latency import summarize
from evaluator.analysis.metrics.transport import TransportFigures
from evaluator.analysis.run_folder import PlatformRecord, RunFolder
from tests.evaluator.journals import S, events

AT = 10 * S


def record(name: str, frame: pd.DataFrame, returncode: int | None) -> PlatformRecord:
    exit_record = {"returncode": returncode} if returncode is not None else None
    return PlatformRecord(name, Path(name), frame, 0, pd.DataFrame(), exit_record, None, None)


def evaluation(*records: PlatformRecord, metrics: dict | None = None) -> Evaluation:
    run = RunFolder(Path("run"), {}, {r.name: r for r in records}, {}, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    return Evaluation(run, metrics or {}, None)


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
    result = evaluation(record("nautilus", journal_around_the_fault(), 0), record("hummingbot", journal_around_the_fault(), 1))
    outcome = fault_outcome(result, {"name": "provider-hang", "target": "hummingbot", "at_wall_ns": AT})
    assert outcome == "hummingbot exit 1: after the fault 1 orders, 1 errors, skipped signals: duplicate 1, stale 2"


def test_an_input_fault_counts_the_whole_run_of_both_platforms():
    result = evaluation(record("nautilus", journal_around_the_fault(), 0), record("hummingbot", events(), None))
    outcome = fault_outcome(result, {"name": "stale-signals", "target": "both"})
    assert outcome == (
        "nautilus ran on: over the run 2 orders, 1 errors, skipped signals: duplicate 1, stale 2; "
        "hummingbot exit unknown: over the run 0 orders, 0 errors, skipped signals: none"
    )


def test_a_killed_platform_is_reported_by_its_exit_and_the_other_by_what_followed():
    result = evaluation(record("nautilus", journal_around_the_fault(), -9), record("hummingbot", journal_around_the_fault(), 0))
    outcome = fault_outcome(result, {"name": "kill", "target": "nautilus", "at_wall_ns": AT})
    assert outcome.startswith("nautilus exited -9; 7 journal events readable; hummingbot ran on: after the fault 1 orders")


def test_a_broker_restart_says_how_many_held_signals_arrived():
    latency = summarize(pd.Series([], dtype=float))
    transport = TransportFigures(
        name="mqtt", settings={}, published=10, received=9, lost=1, duplicates=0, deliveries={"acknowledged": 7, "held": 3}, held=3, held_received=2, resent=3,
        outages={}, reconnect_s={}, to_received=latency, received_to_order=latency, to_order=latency,
        latencies=pd.DataFrame(), lost_ids=("BTCUSDT:5",),
    )
    result = evaluation(record("hummingbot", events(), 0), metrics={"hummingbot": SimpleNamespace(transport=transport)})
    outcome = fault_outcome(result, {"name": "broker-restart", "target": "hummingbot", "at_wall_ns": AT})
    assert outcome.endswith("; 3 signals published while the broker was away, 2 of them delivered")
