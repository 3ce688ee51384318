"""Transport figures on hand-made journals: received, lost, duplicate, held-then-delivered, outages,
and the three latencies, for MQTT (arrival = message_received) and the file (arrival = the tick's read)."""

import pandas as pd
import pytest

from evaluator.analysis.metrics.transport import transport_figures
from evaluator.report.transport import outcome_line, within_one_tick
from evaluator.analysis.run_folder import ColumnRun
from tests.evaluator.journals import MS, column_run, events


def record(journal: pd.DataFrame, transport: str | None) -> ColumnRun:
    info = {"transport": {"name": transport, "qos": 1}} if transport else {}
    return column_run("hummingbot", journal, info=info)


MQTT_JOURNAL = events(
    dict(kind="signal_published", code="acknowledged", signal_id="a", wall_ns=1000 * MS, reason="mqtt qos 1: acknowledged"),
    dict(kind="message_received", signal_id="a", wall_ns=1002 * MS, reason="mqtt qos 1"),
    dict(kind="signal_received", signal_id="a", wall_ns=1250 * MS),
    dict(kind="order_submitted", signal_id="a", wall_ns=1251 * MS),
    dict(kind="transport", code="connection_lost", component="provider", wall_ns=1500 * MS, reason="provider: connection lost"),
    dict(kind="transport", code="connection_lost", component="strategy", wall_ns=1501 * MS, reason="strategy: connection lost"),
    dict(kind="signal_published", code="held", signal_id="b", wall_ns=2000 * MS, reason="mqtt qos 1: broker unreachable"),
    dict(kind="transport", code="reconnected", component="strategy", wall_ns=2611 * MS, reason="strategy: back"),
    dict(kind="transport", code="reconnected", component="provider", wall_ns=2700 * MS, reason="provider: back"),
    dict(kind="transport", code="resent", component="provider", signal_id="b", wall_ns=2701 * MS, reason="provider: again"),
    dict(kind="message_received", signal_id="b", wall_ns=2703 * MS, reason="mqtt qos 1"),
    dict(kind="message_received", signal_id="b", wall_ns=2704 * MS, reason="mqtt qos 1"),
    dict(kind="signal_published", code="acknowledged", signal_id="c", wall_ns=3000 * MS, reason="mqtt qos 1: acknowledged"),
    dict(kind="message_received", signal_id=None, wall_ns=3001 * MS, reason="mqtt qos 1"),
)


def test_mqtt_counts_lost_duplicates_held_and_outages():
    figures = transport_figures(record(MQTT_JOURNAL, "mqtt"))
    assert (figures.published, figures.received, figures.lost, figures.lost_ids) == (3, 2, 1, ("c",))
    assert (figures.duplicates, figures.held, figures.held_received, figures.resent) == (1, 1, 1, 1)
    assert figures.outages == {"provider": 1, "strategy": 1}
    assert figures.deliveries == {"acknowledged": 2, "held": 1}
    assert figures.reconnect_s == pytest.approx({"provider": 1.2, "strategy": 1.11})  # lost → reconnected, per process
    assert figures.to_received.count == 2 and figures.to_received.p50_ms == pytest.approx((2 + 703) / 2)
    assert figures.received_to_order.max_ms == pytest.approx(249.0) and figures.to_order.max_ms == pytest.approx(251.0)
    line = outcome_line(figures)
    assert "2 of 3 published signals reached the strategy; 1 lost (c)" in line and "1 duplicate deliveries" in line
    assert "held by the provider and resent after reconnecting; 1 of them delivered, 0 lost" in line
    assert within_one_tick(figures, 250.0) and not within_one_tick(figures, 200.0)


def test_file_arrival_is_the_tick_that_read_it():
    journal = events(
        dict(kind="signal_published", signal_id="a", wall_ns=1000 * MS),
        dict(kind="signal_received", signal_id="a", wall_ns=1400 * MS),
        dict(kind="order_submitted", signal_id="a", wall_ns=1401 * MS),
        dict(kind="signal_published", signal_id="b", wall_ns=2000 * MS),
        dict(kind="signal_skipped", code="stale", signal_id="b", wall_ns=2300 * MS, reason="stale: 400 s old"),
        dict(kind="signal_published", signal_id="c", wall_ns=3000 * MS),  # overwritten before any tick read it
        dict(kind="signal_published", signal_id="d", wall_ns=3001 * MS),
        dict(kind="signal_received", signal_id="d", wall_ns=3100 * MS),
    )
    figures = transport_figures(record(journal, None))
    assert figures.name == "file" and (figures.published, figures.received, figures.lost, figures.duplicates) == (4, 3, 1, 0)
    assert figures.to_received.max_ms == pytest.approx(400.0) and figures.received_to_order.p50_ms == pytest.approx(1.0)


def test_a_platform_without_a_provider_has_no_transport_figures():
    journal = events(dict(kind="signal_received", signal_id="a", wall_ns=1), dict(kind="order_submitted", signal_id="a", wall_ns=2))
    assert transport_figures(record(journal, None)) is None
