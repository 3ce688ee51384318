"""The provider's MQTT sink: publishes each payload on the AI-livestream topic and says what happened.

:meth:`MqttSink.send` is called from plain synchronous code (the provider's schedule, or the replay
clock) and waits at most ``publish_timeout_s`` for the broker's acknowledgement. While the broker is
away a QoS 1 message is held in an outbox and sent again, in order, as soon as the connection is
back (at least once, as QoS 1 promises); a QoS 0 message is dropped. The outcome of each call is
the reason journaled with ``signal_published``; each resend is a ``transport`` notice.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections import deque

import aiomqtt

from shared_signals.transport.mqtt.client_thread import ClientThread
from shared_signals.transport.mqtt.config import AT_LEAST_ONCE, MqttConfig
from shared_signals.contract.codes import Component, Delivery, NoticeKind


class MqttSink(ClientThread):
    role = Component.PROVIDER

    def __init__(self, config: MqttConfig, topic: str, client_id: str) -> None:
        super().__init__(config, client_id, persistent_session=False)
        self.topic = topic
        self._lock = threading.Lock()
        self._outbox: deque[tuple[bytes, str]] = deque()
        self._connected = threading.Event()
        self._client: aiomqtt.Client | None = None
        self.label = f"mqtt qos {config.qos}" + (" retained" if config.retain else "")

    def send(self, data: bytes, signal_id: str) -> tuple[Delivery, str]:
        """Publishes ``data``; returns what happened, for the journal: the fact and its words."""
        with self._lock:
            if not self._connected.is_set():
                return self._hold(data, signal_id)
            client, loop = self._client, self._loop
        future = asyncio.run_coroutine_threadsafe(
            client.publish(self.topic, data, qos=self.config.qos, retain=self.config.retain, timeout=self.config.publish_timeout_s),
            loop,
        )
        try:
            future.result(self.config.publish_timeout_s)
        except (aiomqtt.MqttError, concurrent.futures.TimeoutError, concurrent.futures.CancelledError) as exc:
            future.cancel()
            with self._lock:
                return self._hold(data, signal_id, f"not acknowledged ({type(exc).__name__})")
        if self.config.qos >= AT_LEAST_ONCE:
            return Delivery.ACKNOWLEDGED, f"{self.label}: acknowledged"
        return Delivery.SENT, f"{self.label}: sent"

    def _hold(self, data: bytes, signal_id: str, why: str = "broker unreachable") -> tuple[Delivery, str]:
        """Under the lock: keeps a QoS 1 message for resending, drops a QoS 0 one."""
        if self.config.qos < AT_LEAST_ONCE:
            return Delivery.DROPPED, f"{self.label}: {why}, dropped"
        if len(self._outbox) >= self.config.outbox_limit:
            _, dropped = self._outbox.popleft()
            self._notice(NoticeKind.OUTBOX_FULL, "outbox full: dropped the oldest held message", dropped)
        self._outbox.append((data, signal_id))
        return Delivery.HELD, f"{self.label}: {why}, held for resend"

    async def on_connect(self, client: aiomqtt.Client) -> None:
        """Sends what was held, oldest first; marks the sink connected once the outbox is empty."""
        config = self.config
        while True:
            with self._lock:
                if not self._outbox:
                    self._client = client
                    self._connected.set()
                    return
                data, signal_id = self._outbox[0]
            await client.publish(self.topic, data, qos=config.qos, retain=config.retain, timeout=config.publish_timeout_s)
            with self._lock:
                self._outbox.popleft()
            self._notice(NoticeKind.RESENT, "resent after reconnect", signal_id)

    def on_disconnect(self) -> None:
        with self._lock:
            self._connected.clear()
            self._client = None
