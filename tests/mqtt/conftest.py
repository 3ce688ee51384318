"""The MQTT tests' broker: a real Mosquitto started by the project's own code on a free port in a
temporary folder, one per test, and always stopped (fixture finalizer), even when the test fails."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from evaluator.harness.broker import MosquittoBroker, free_port, mosquitto_available
from shared_signals.contract.journal import read_journal
from poc_hummingbot.config import PROVIDER_DIR, HummingbotConfig
from poc_hummingbot.mqtt.config import MqttConfig
from poc_hummingbot.mqtt.connection import BROKER_DIR_ENV
from tests.hummingbot.conftest import event_loop_for_connector, handmade, kinds  # noqa: F401 - shared with the Hummingbot tests

NOT_INSTALLED = "mosquitto is not installed and scripts/mqtt/install.sh could not install it (no apt-get or no root)"


@pytest.fixture
def broker(tmp_path_factory, monkeypatch) -> MosquittoBroker:
    """A running broker; ``$Q50_MQTT_DIR`` points at it, so child processes (provider, platforms) find it too."""
    if not mosquitto_available():
        pytest.skip(NOT_INSTALLED)
    running = MosquittoBroker(tmp_path_factory.mktemp("broker"), free_port())
    monkeypatch.setenv(BROKER_DIR_ENV, str(running.folder))
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def mqtt_config(broker) -> HummingbotConfig:
    """The default Hummingbot configuration on the test broker, with a short start-up delay."""
    return HummingbotConfig(live_start_delay_s=1.5, mqtt=MqttConfig(broker_dir=broker.folder))


def with_mqtt(config: HummingbotConfig, **changes) -> HummingbotConfig:
    return replace(config, mqtt=replace(config.mqtt, **changes))


def journals(platform_dir: Path):
    """(strategy events, provider events) of a Hummingbot run folder."""
    return read_journal(platform_dir).events, read_journal(platform_dir / PROVIDER_DIR).events
