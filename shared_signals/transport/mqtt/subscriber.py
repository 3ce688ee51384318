"""The strategy's MQTT source: subscribes to the AI-livestream topic and queues each message, stamped
with its arrival wall time, for the next tick to take.

The subscription lives in a persistent session (fixed client id, clean session off; cleared when the
run starts and when it ends), so after a broker restart with persistence, or a network cut, the QoS 1
messages the broker queued meanwhile arrive on reconnection. The tick only pops a deque: no network,
no locks.
"""

from __future__ import annotations

import threading
import time
from collections import deque

import aiomqtt

from shared_signals.transport.mqtt.client_thread import ClientThread
from shared_signals.transport.mqtt.config import MqttConfig
from shared_signals.transport.messages import NOTHING, Delivery, Notice
from shared_signals.contract.codes import Component


class MqttSignalSource(ClientThread):
    role = Component.STRATEGY
    unit = "MQTT message"

    def __init__(self, config: MqttConfig, topic: str, client_id: str) -> None:
        super().__init__(config, client_id, persistent_session=True)
        self.topic = topic
        self._inbox: deque[Delivery | Notice] = self._notices
        """Deliveries and connection notices, in the order they happened: one queue for the tick to drain."""
        self._arrivals = 0
        self._arrived = threading.Condition()

    async def on_connect(self, client: aiomqtt.Client) -> None:
        await client.subscribe(self.topic, qos=self.config.qos)

    async def serve(self, client: aiomqtt.Client) -> None:
        inbox = self._inbox
        async for message in client.messages:
            arrived_ns = time.time_ns()
            payload = message.payload
            data = bytes(payload) if isinstance(payload, (bytes, bytearray)) else b""
            note = f"mqtt qos {message.qos}" + (" retained" if message.retain else "")
            inbox.append(Delivery(data, arrived_ns, note))
            with self._arrived:
                self._arrivals += 1
                self._arrived.notify_all()

    def take(self) -> list[Delivery | Notice] | tuple:
        """Everything that arrived since the last call, in arrival order (called on the tick)."""
        inbox = self._inbox
        if not inbox:
            return NOTHING
        return [inbox.popleft() for _ in range(len(inbox))]

    def wait_for(self, arrivals: int, timeout_s: float) -> int:
        """Replay: blocks until ``arrivals`` messages have arrived in all, or the timeout; returns how many have."""
        with self._arrived:
            self._arrived.wait_for(lambda: self._arrivals >= arrivals, timeout_s)
            return self._arrivals
