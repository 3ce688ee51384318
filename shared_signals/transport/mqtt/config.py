"""Every tunable of the MQTT transport, typed and frozen, with the topic naming of Hummingbot's
AI-livestream controller.

QoS 1 and no retain, deliberately:

- **QoS 1** (at least once): the broker acknowledges each message, the provider keeps what the broker
  has not acknowledged (broker down) and sends it again after reconnecting, and the broker queues
  messages for the strategy's persistent session while the strategy is cut off. A duplicate (a resend
  whose first copy did arrive) is harmless: the strategy refuses a signal_id it has seen, the same
  rule as for the file. QoS 0 would lose every signal published while the broker is away; QoS 2 adds
  a second round trip per message to remove duplicates the strategy already removes.
- **retain off**: the strategy subscribes before the provider starts, so it needs no retained copy; a
  retained message would be re-sent on every re-subscribe (a duplicate each reconnect) and would
  hand the last signal of one run to the next run on the same broker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from shared_signals.transport.mqtt.connection import default_broker_dir
from shared_signals.ranges import bounded, check_fields

AT_LEAST_ONCE = 1
LIVESTREAM_TOPIC_PREFIX = "hbot/predictions"
"""The AI-livestream controller's default ``topic``."""
LIVESTREAM_TOPIC_SUFFIX = "ML_SIGNALS"


@dataclass(frozen=True, slots=True)
class MqttConfig:
    qos: Literal[0, 1, 2] = AT_LEAST_ONCE
    retain: bool = False
    topic_prefix: str = LIVESTREAM_TOPIC_PREFIX
    broker_dir: Path | None = None
    """Folder of the broker's ``client.json``; None = ``$Q50_MQTT_DIR`` or ``$TMPDIR/q50-poc-mqtt``,
    resolved when a client starts (so the default follows the environment of that process)."""
    keepalive_s: int = bounded(10, ge=1, integer=True)
    """MQTT keepalive: a broker that stops answering without closing the socket is noticed within 1.5x this."""
    connect_timeout_s: float = bounded(5.0, gt=0)
    """How long the first connection may take before the run stops with "broker not reachable"."""
    publish_timeout_s: float = bounded(2.0, gt=0)
    """How long the provider waits for the broker's acknowledgement before holding a message for resend."""
    reconnect_delay_s: float = bounded(0.25, gt=0)
    """Wall seconds between reconnection attempts after the broker went away."""
    outbox_limit: int = bounded(1_000, ge=1, integer=True)
    """QoS 1 messages the provider holds while the broker is away; older ones are dropped beyond this."""
    replay_delivery_timeout_s: float = bounded(2.0, gt=0)
    """Replay only: how long the clock waits for a just-published message to reach the strategy."""

    def __post_init__(self) -> None:
        check_fields(self)
        if self.broker_dir is not None and not isinstance(self.broker_dir, Path):
            object.__setattr__(self, "broker_dir", Path(self.broker_dir))

    def topic(self, hummingbot_pair: str) -> str:
        """``hbot/predictions/btc_usdt/ML_SIGNALS``: the controller's topic for the pair (lower case, ``_``)."""
        return f"{self.topic_prefix}/{hummingbot_pair.replace('-', '_').lower()}/{LIVESTREAM_TOPIC_SUFFIX}"

    def resolved_broker_dir(self) -> Path:
        return self.broker_dir if self.broker_dir is not None else default_broker_dir()

    def describe(self) -> dict:
        """What ``run.json`` records about the transport (no credentials)."""
        return {
            "qos": self.qos,
            "retain": self.retain,
            "session": "MQTT 3.1.1; the strategy's session persists across disconnects and broker restarts, cleared at start and end",
            "keepalive_s": self.keepalive_s,
            "reconnect_delay_s": self.reconnect_delay_s,
            "outbox_limit": self.outbox_limit,
        }
