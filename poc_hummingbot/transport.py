"""The link between provider and strategy, chosen per run (``HummingbotConfig.transport``): the signal file
(default) or MQTT in Hummingbot's AI-livestream format. MQTT replaces the file rather than adding to
it, so in an MQTT run the broker is the strategy's only source of signals. The MQTT modules (and
aiomqtt) are imported only when MQTT is chosen.
"""

from __future__ import annotations

from pathlib import Path
from poc_hummingbot.config import LATEST_SIGNAL, SIGNALS_DIR
from shared_signals.transport.mqtt.config import MqttConfig
from poc_hummingbot.signal_file import SignalFileReader, SignalFileWriter
from poc_hummingbot.signal_source import FileSignalSource
from shared_signals.contract.codes import Component
from shared_signals.transport.kinds import FILE, MQTT



def client_id(run_id: str, role: str) -> str:
    """One MQTT client id per run and role: the strategy's session is found again after a reconnect."""
    return f"q50-{run_id}-{role}"


def open_sink(transport: str, platform_dir: Path, mqtt: MqttConfig, pair: str, run_id: str, atomic: bool = True):
    """Where the provider publishes: the signal folder (written atomically unless ``atomic`` is off:
    the replay's reader takes turns with it in one thread), or the broker (connected now, or :class:`InputError`)."""
    if transport == MQTT:
        from shared_signals.transport.mqtt.publisher import MqttSink

        sink = MqttSink(mqtt, mqtt.topic(pair), client_id(run_id, Component.PROVIDER))
        sink.start()
        return sink
    return SignalFileWriter(Path(platform_dir) / SIGNALS_DIR, atomic)


def open_source(transport: str, platform_dir: Path, mqtt: MqttConfig, pair: str, run_id: str, max_payload_bytes: int):
    """What the strategy reads: the signal file, or its subscription (subscribed now, or :class:`InputError`)."""
    if transport == MQTT:
        from shared_signals.transport.mqtt.subscriber import MqttSignalSource

        source = MqttSignalSource(mqtt, mqtt.topic(pair), client_id(run_id, Component.STRATEGY))
        source.start()
        return source
    return FileSignalSource(SignalFileReader(Path(platform_dir) / SIGNALS_DIR / LATEST_SIGNAL, max_payload_bytes))


def describe_transport(transport: str, mqtt: MqttConfig, pair: str) -> dict:
    """``run.json``'s ``transport`` section: what linked provider and strategy (never credentials)."""
    if transport != MQTT:
        return {"name": FILE, "what": f"{SIGNALS_DIR}/{LATEST_SIGNAL}, written atomically, read on every tick"}
    from shared_signals.transport.mqtt.connection import read_address

    return {
        "name": MQTT,
        "what": "Mosquitto broker on loopback, Hummingbot AI-livestream message format",
        "broker": read_address(mqtt.resolved_broker_dir()).endpoint,
        "topic": mqtt.topic(pair),
        **mqtt.describe(),
        "why": "QoS 1: the broker acknowledges each message, the provider resends what was not acknowledged and the "
        "broker queues for the strategy's session while it is cut off; duplicates are refused by signal_id. "
        "Retain off: the strategy subscribes before the provider starts, and a retained copy would come back on "
        "every re-subscribe and leak into the next run.",
    }
