"""Provider → real Mosquitto broker → Hummingbot strategy → fills, live and in replay."""

from __future__ import annotations

import json

import psutil
import pytest

from evaluator.analysis.metrics.transport import transport_figures
from shared_signals.contract.run_info import RUN_JSON
from poc_hummingbot import app
from shared_signals.transport.mqtt.connection import read_address
from shared_signals.config import NANOS_PER_SECOND
from tests.hummingbot.conftest import replay_options, with_config
from tests.mqtt.conftest import column_run, journals, kinds, with_transport

TICK_S = 0.25
TICK_NS = round(TICK_S * NANOS_PER_SECOND)
SPEED = 8.0
"""40 market seconds in 5 wall seconds; signals 0.25, 1.5 and 3 s after the start."""
LOOPBACK_BOUND_MS = 50.0
"""Loose bound for a shared CI machine; the README quotes the measured p99 (about 2 ms)."""


@pytest.mark.slow
def test_live_run_trades_every_signal_through_the_broker(tmp_path, handmade, mqtt_config, broker):
    quotes, signals = handmade
    options = with_config(replay_options(tmp_path, quotes, signals, mode="live", speed=SPEED, heartbeat_s=0.5),
                          with_transport(mqtt_config, tick_size_s=TICK_S))
    result = app.run(options)
    providers = [c for c in psutil.Process().children(recursive=True) if "provider" in c.cmdline() and c.status() != psutil.STATUS_ZOMBIE]
    assert providers == []  # the provider process is gone; the broker (the fixture's) stays up
    assert (result.orders, result.fills) == (3, 3)

    events, published = journals(result.platform_dir)
    assert list(published["kind"]) == ["signal_published"] * 3
    assert (published["code"] == "acknowledged").all()
    arrived = kinds(events, "message_received")
    assert list(arrived["signal_id"]) == list(published["signal_id"]) and (arrived["reason"] == "mqtt qos 1").all()
    assert not (result.platform_dir / "signals" / "latest_signal.json").exists()  # MQTT replaces the file
    assert kinds(events, "signal_skipped").empty and kinds(events, "error").empty

    figures = transport_figures(column_run(options))
    assert (figures.name, figures.published, figures.received, figures.lost, figures.duplicates) == ("mqtt", 3, 3, 0, 0)
    assert 0 < figures.to_received.max_ms < LOOPBACK_BOUND_MS
    assert figures.received_to_order.max_ms <= TICK_NS / 1e6 * 1.2  # acted on at the next tick at the latest

    run_info = json.loads((result.platform_dir / RUN_JSON).read_text())
    transport = run_info["transport"]
    assert (transport["name"], transport["qos"], transport["retain"]) == ("mqtt", 1, False)
    assert transport["topic"] == "hbot/predictions/btc_usdt/ML_SIGNALS"
    password = read_address(broker.folder).password
    for path in [*tmp_path.rglob("*"), broker.folder / "mosquitto.log"]:
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path


def test_replay_over_mqtt_trades_exactly_as_over_the_file(tmp_path, small_demo, mqtt_config):
    fills = {}
    for transport in ("file", "mqtt"):
        options = replay_options(tmp_path / transport, small_demo.quotes, small_demo.signals)
        result = app.run(with_config(options, with_transport(mqtt_config, transport=transport)))
        assert json.loads((result.platform_dir / RUN_JSON).read_text())["transport"]["name"] == transport
        events, _ = journals(result.platform_dir)
        fills[transport] = kinds(events, "order_filled")[["signal_id", "side", "qty", "price", "sim_ts_ns"]].reset_index(drop=True)
    assert len(fills["file"]) > 0 and fills["mqtt"].equals(fills["file"])

