"""A tripped kill switch limits every trading figure of its column: the analysis finds when it tripped
and what it refused from the journal, and the report says so beside the recommendation."""

from __future__ import annotations

from types import SimpleNamespace

from evaluator.analysis.metrics.stability import Halt, halt
from evaluator.report.verdict import run_caveats
from tests.evaluator.journals import S, events

DAY = 24 * 3600 * S


def journal(switched: bool):
    rows = [dict(kind="order_filled", signal_id="s0", side="BUY", qty=1.0, price=100.0, fee=0.0, sim_ts_ns=DAY, wall_ns=1),
            dict(kind="heartbeat", sim_ts_ns=40 * DAY, wall_ns=2)]
    if switched:
        rows += [dict(kind="order_rejected", signal_id=f"s{k}", code="kill_switch", sim_ts_ns=(2 + k) * DAY, wall_ns=3)
                 for k in range(3)]
        rows.append(dict(kind="order_rejected", signal_id="s9", code="stale_quote", sim_ts_ns=DAY // 2, wall_ns=4))
    return events(*rows)


def test_the_first_kill_switch_refusal_its_count_the_last_fill_and_the_column_s_end():
    assert halt(journal(switched=False)) is None
    assert halt(journal(switched=True)) == Halt(tripped_ns=2 * DAY, refused=3, last_fill_ns=DAY, end_ns=40 * DAY)


def test_the_report_names_the_halt_beside_the_recommendation():
    stability = SimpleNamespace(crashed=False, stopped_by_user=False, completed=True, halt=halt(journal(switched=True)))
    figures = SimpleNamespace(columns={"a": SimpleNamespace(stability=stability)})
    (line,) = run_caveats(SimpleNamespace(unscored={}), figures)
    assert line.startswith("a's kill switch tripped at Sat 1970-01-03 00:00 UTC and refused 3 order(s) after it, to the "
                           "run's end at Tue 1970-02-10 00:00 (its last fill at Fri 1970-01-02 00:00 UTC)")
    assert "the strategy's equity" in line


def test_a_switch_that_closed_the_open_position_tripped_when_it_sent_the_close():
    closing = journal(switched=True).to_dict("records")
    closing.append(dict(kind="order_submitted", signal_id=None, side="SELL", qty=1.0, price=90.0, code="kill_switch",
                        sim_ts_ns=DAY + DAY // 2, wall_ns=5))
    found = halt(events(*closing))
    assert found == Halt(tripped_ns=DAY + DAY // 2, refused=3, last_fill_ns=DAY, end_ns=40 * DAY, closed_ns=DAY + DAY // 2)
    stability = SimpleNamespace(crashed=False, stopped_by_user=False, completed=True, halt=found)
    (line,) = run_caveats(SimpleNamespace(unscored={}), SimpleNamespace(columns={"a": SimpleNamespace(stability=stability)}))
    assert line.startswith("a's kill switch tripped at Fri 1970-01-02 12:00 UTC, closed the open position at Fri 1970-01-02 "
                           "12:00 UTC, and refused 3 order(s) after it")
