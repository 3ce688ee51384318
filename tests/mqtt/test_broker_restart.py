"""The broker restarts in the middle of a live run: both clients reconnect, and the signal published
while the broker was away is delivered (QoS 1: held by the provider, resent) or lost (QoS 0), and
the journals and the report say which; the same as a soak fault (``--fault broker-restart``)."""

from __future__ import annotations

import json
import threading
import time

import pytest

from evaluator.harness.faults import BROKER_DOWN_S, parse_fault
from evaluator.analysis.metrics.transport import transport_figures
from evaluator.report.transport import outcome_line
from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.comparison import Columns
from shared_signals.contract.spec import RunSpec
from evaluator.harness.soak import soak
from evaluator.harness.supervisor import SupervisorConfig
from poc_hummingbot import app
from poc_hummingbot.config import PROVIDER_DIR
from shared_signals.config import NANOS_PER_SECOND
from tests.hummingbot.conftest import replay_options, with_config
from tests.mqtt.conftest import column_run, journals, kinds, with_mqtt, with_transport

TICK_S = 0.25
SPEED = 8.0
"""Signals 0.25, 1.5 and 3 s after the start: the broker goes away right after the first and is back
1.6 s later, so the second is published while it is away and the third after it is back."""
DOWN_S = 1.6
FAST_SUPERVISOR = SupervisorConfig(sample_interval_s=0.25, poll_interval_s=0.05)
WATCH_TIMEOUT_S = 15.0
POLL_S = 0.01


def restart_after_first_publication(broker, provider_journal) -> threading.Thread:
    """Stops the broker (SIGTERM: it saves its sessions) as soon as the provider journals its first
    publication, starts it again ``DOWN_S`` later with the same credentials."""

    def run() -> None:
        deadline = time.monotonic() + WATCH_TIMEOUT_S
        while time.monotonic() < deadline:
            if provider_journal.exists() and b"signal_published" in provider_journal.read_bytes():
                broker.stop(forget=False)
                time.sleep(DOWN_S)
                broker.start()
                return
            time.sleep(POLL_S)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def live_run_with_a_restart(tmp_path, handmade, config, broker):
    quotes, signals = handmade
    options = with_config(replay_options(tmp_path, quotes, signals, mode="live", speed=SPEED, heartbeat_s=0.5),
                          with_transport(config, tick_size_s=TICK_S))
    watcher = restart_after_first_publication(broker, options.platform_dir / PROVIDER_DIR / "events.jsonl")
    result = app.run(options)
    watcher.join(WATCH_TIMEOUT_S)
    assert broker.running_pid() is not None
    return result, transport_figures(column_run(options))


def _notices(events, role: str) -> list[str]:
    """The codes of the transport notices ``role``'s process journaled, in order."""
    notices = kinds(events, "transport")
    return notices.loc[notices["component"] == role, "code"].tolist()


@pytest.mark.slow
def test_qos1_signal_published_while_the_broker_was_away_is_delivered(tmp_path, handmade, mqtt_config, broker):
    result, figures = live_run_with_a_restart(tmp_path, handmade, mqtt_config, broker)
    events, published = journals(result.platform_dir)
    assert kinds(published, "signal_published")["code"].tolist() == ["acknowledged", "held", "acknowledged"]
    assert _notices(published, "provider") == ["connection_lost", "resent", "reconnected"]  # the outbox goes first
    assert _notices(events, "strategy") == ["connection_lost", "reconnected"]
    assert (figures.published, figures.received, figures.lost, figures.held, figures.held_received) == (3, 3, 0, 1, 1)
    assert figures.outages == {"provider": 1, "strategy": 1}
    assert (result.orders, result.fills) == (3, 3)  # the late SELL was still within the tolerance: traded
    assert kinds(events, "error").empty
    assert "1 published while the broker was unreachable: held by the provider and resent after reconnecting; " \
        "1 of them delivered, 0 lost" in outcome_line(figures)


@pytest.mark.slow
def test_qos0_signal_published_while_the_broker_was_away_is_lost_and_never_traded(tmp_path, handmade, mqtt_config, broker):
    result, figures = live_run_with_a_restart(tmp_path, handmade, with_mqtt(mqtt_config, qos=0), broker)
    events, published = journals(result.platform_dir)
    publications = kinds(published, "signal_published")
    lost_id = publications["signal_id"].iloc[1]
    assert publications["code"].tolist()[1] == "dropped"
    assert (figures.published, figures.received, figures.lost, figures.held, figures.held_received) == (3, 2, 1, 1, 0)
    assert figures.lost_ids == (lost_id,)
    assert lost_id not in set(events["signal_id"].dropna())  # never received, never traded
    assert (result.orders, result.fills) == (2, 2)  # BUY, then the hold signal closes it
    assert f"1 lost ({lost_id})" in outcome_line(figures) and "dropped (QoS 0); 0 of them delivered, 1 lost" in outcome_line(figures)


@pytest.mark.slow
def test_broker_restart_fault_in_a_soak(tmp_path, small_demo, broker):
    """Hummingbot publishes from about 13 s after the start (imports, start-up delay), then every 1.5 s
    at 200x. The fault at 0.65 of 40 s (26 s) leaves room for a slower start; its 5 s outage holds about
    three signals. The first of them arrives over 700 market seconds late, past the 5 min tolerance."""
    options = RunSpec(
        platform="hummingbot", mode="live", quotes=small_demo.quotes, signals=small_demo.signals, run_dir=tmp_path / "run",
        run_id="soak-broker", speed=200.0, duration_ns=40 * NANOS_PER_SECOND, settings={"transport": "mqtt"},
    )
    report, exits = soak(Columns.of([options]), [parse_fault("broker-restart@0.65")], FAST_SUPERVISOR)
    run = RunFolder.load(tmp_path / "run")
    (fault,) = run.record.faults
    assert (fault.name, fault.target) == ("broker-restart", "hummingbot")
    assert fault.action == f"broker stopped (SIGTERM, sessions saved) for {BROKER_DOWN_S:g} s, then started again"
    assert broker.running_pid() is not None
    figures = transport_figures(run.columns["hummingbot"])
    assert figures.held >= 2 and figures.held_received == figures.held and figures.lost == 0
    assert figures.outages == {"provider": 1, "strategy": 1}
    assert exits["hummingbot"].returncode == 0
    events = run.columns["hummingbot"].events
    stale = events[(events["kind"] == "signal_skipped") & (events["code"] == "stale")]
    ordered = set(events.loc[events["kind"] == "order_submitted", "signal_id"].dropna())
    assert len(stale) >= 1 and not ordered & set(stale["signal_id"])
    notices = json.loads(report.metrics.read_text())["platforms"]["hummingbot"]["stability"]["notices_by_kind"]
    assert notices["connection_lost"] == 2 and notices["reconnected"] == 2 and notices["resent"] >= 1  # both processes
    text = report.markdown.read_text()
    assert f"{figures.held} signals published while the broker was away, {figures.held} of them delivered" in text
