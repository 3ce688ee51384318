"""The MQTT tests' broker: a real Mosquitto started by the project's own code on a free port in a
temporary folder, one per test, and always stopped (fixture finalizer), even when the test fails."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from evaluator.analysis.run_folder import ColumnRun, load_column
from evaluator.harness.comparison import column_record
from shared_signals.contract.platforms import REGISTRY
from shared_signals.contract.spec import RunSpec
from shared_signals.transport.broker import MosquittoBroker, free_port, mosquitto_available
from shared_signals.transport.kinds import MQTT
from shared_signals.contract.journal import read_journal
from poc_hummingbot.config import PROVIDER_DIR, HummingbotConfig
from shared_signals.transport.mqtt.config import MqttConfig
from shared_signals.transport.mqtt.connection import BROKER_DIR_ENV
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


def with_transport(config: HummingbotConfig, tick_size_s: float | None = None, transport: str = MQTT) -> HummingbotConfig:
    """``config`` over ``transport`` (MQTT by default), at ``tick_size_s`` when given: both are Hummingbot settings."""
    tick = {} if tick_size_s is None else {"tick_size_s": tick_size_s}
    return replace(config, transport=transport, **tick)


def column_run(spec: RunSpec) -> ColumnRun:
    """The column ``spec`` ran, as the analysis loads it from its run folder (its record built as run-both builds it)."""
    return load_column(spec.run_dir, column_record(spec, REGISTRY[spec.platform]))


def journals(platform_dir: Path):
    """(strategy events, provider events) of a Hummingbot run folder."""
    return read_journal(platform_dir).events, read_journal(platform_dir / PROVIDER_DIR).events
