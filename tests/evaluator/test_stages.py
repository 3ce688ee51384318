"""Wall-clock stages from hand-made journals with known stamps."""

import pytest

from evaluator.analysis.metrics.stages import stage_latencies
from tests.evaluator.journals import MS, events


def chain(signal_id, **stamps_ms):
    kinds = {"published": "signal_published", "received": "signal_received", "decided": "decision",
             "submitted": "order_submitted", "accepted": "order_accepted", "filled": "order_filled"}
    return [dict(kind=kinds[name], signal_id=signal_id, wall_ns=round(ms * MS)) for name, ms in stamps_ms.items()]


def by_name(stages):
    return {s.name: s.latency for s in stages.stages}


def test_each_stage_runs_to_the_next_milestone_the_signal_has():
    journal = events(
        *chain("a", published=0, received=2, decided=2.5, submitted=3, accepted=13, filled=1003),
        *chain("b", published=10, received=14, decided=15, submitted=16, accepted=26, filled=2016),
        *chain("c", received=0, decided=1),  # a HOLD: no order, no stages
    )
    stages = by_name(stage_latencies(journal))
    assert list(stages) == ["published → received", "received → decided", "decided → submitted", "submitted → accepted", "accepted → filled"]
    assert stages["published → received"].count == 2
    assert stages["published → received"].p50_ms == pytest.approx(3.0)
    assert stages["received → decided"].p50_ms == pytest.approx(0.75)
    assert stages["submitted → accepted"].p99_ms == pytest.approx(10.0)
    assert stages["accepted → filled"].p50_ms == pytest.approx(1490.0)  # (990 + 1990) / 2
    assert stages["accepted → filled"].max_ms == pytest.approx(1990.0)


def test_a_venue_without_acknowledgements_and_a_late_report_leave_no_negative_stage():
    """No "accepted" for one order (a venue that does not acknowledge market orders), and one
    acceptance reported after its fill (Hummingbot's paper exchange in a replay)."""
    journal = events(
        *chain("a", received=0, decided=1, submitted=2, filled=5),
        *chain("b", received=0, decided=1, submitted=2, accepted=30, filled=4),
    )
    result = stage_latencies(journal)
    stages = by_name(result)
    assert list(stages) == ["received → decided", "decided → submitted", "submitted → filled"]
    assert stages["submitted → filled"].count == 2 and stages["submitted → filled"].p50_ms == pytest.approx(2.5)
    assert result.reported_late == {"accepted": 1}
    assert all(s.latency.p50_ms >= 0 for s in result.stages)
