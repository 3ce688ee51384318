"""One aiomqtt client kept alive on its own asyncio loop in a daemon thread.

The thread owns every network wait (connect, acknowledgements, reconnects), so neither the provider's
schedule nor the strategy's tick ever blocks on the broker. Subclasses say what to do once connected
(:meth:`on_connect`) and while connected (:meth:`serve`); this class connects, reconnects after
``reconnect_delay_s`` when the broker goes away, and reports each connection change as a
:class:`Notice`. The first connection must succeed within ``connect_timeout_s``, or :meth:`start`
raises one clear :class:`InputError` ("broker not reachable", "login refused").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque

import aiomqtt

from shared_signals.transport.mqtt.config import MqttConfig
from shared_signals.transport.mqtt.connection import BrokerAddress, read_address
from shared_signals.transport.messages import Notice
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import Component, NoticeKind
from shared_signals.errors import InputError

log = logging.getLogger(__name__)

JOIN_TIMEOUT_S = 5.0
START_HINT = "start it with scripts/mqtt/broker.sh start"
NOT_AUTHORIZED = 135
"""CONNACK reason "not authorized" (paho reports MQTT 3.1.1's return code 5 as this MQTT 5 code)."""


class ClientThread:
    """Base of the publisher and the subscriber: connection life on a private loop."""

    role: Component = Component.STRATEGY
    """Who this client is in the run (``provider`` / ``strategy``): the first word of each notice."""

    def __init__(self, config: MqttConfig, client_id: str, persistent_session: bool) -> None:
        self.config = config
        self.client_id = client_id
        self.address: BrokerAddress = read_address(config.resolved_broker_dir())
        self._persistent_session = persistent_session
        self._notices: deque = deque()
        """Connection changes as :class:`Notice` (the subscriber queues its deliveries here too)."""
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._thread: threading.Thread | None = None
        self._lost_ns: int | None = None
        """Wall time the connection was lost, until it is back."""

    # ---- called from the owner's thread --------------------------------------------------------

    def start(self) -> None:
        """Connects (and subscribes, for the subscriber) or raises :class:`InputError`."""
        self._thread = threading.Thread(target=asyncio.run, args=(self._life(),), name=f"mqtt-{self.client_id}", daemon=True)
        self._thread.start()
        if not self._ready.wait(self.config.connect_timeout_s + 1.0):
            self._failure = TimeoutError(f"no answer within {self.config.connect_timeout_s:g} s")
        if self._failure is not None:
            self.close()
            raise InputError(self._explain(self._failure))

    def close(self) -> None:
        """Disconnects cleanly and ends the thread (a no-op when it never started)."""
        if self._loop is not None and self._task is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._task.cancel)
        if self._thread is not None:
            self._thread.join(JOIN_TIMEOUT_S)
            if self._thread.is_alive():
                log.warning("MQTT client %s did not stop within %g s", self.client_id, JOIN_TIMEOUT_S)
            self._thread = None

    def take_notices(self) -> list[Notice]:
        notices = self._notices
        return [notices.popleft() for _ in range(len(notices))]

    # ---- the client's own thread ---------------------------------------------------------------

    def _explain(self, failure: BaseException) -> str:
        endpoint = self.address.endpoint
        if isinstance(failure, aiomqtt.MqttCodeError) and getattr(failure.rc, "value", failure.rc) == NOT_AUTHORIZED:
            return f"the MQTT broker at {endpoint} refused the login: its client.json is from another broker; restart it ({START_HINT})"
        return f"MQTT broker not reachable at {endpoint} ({failure}): {START_HINT}"

    def _new_client(self, clean_session: bool) -> aiomqtt.Client:
        """MQTT 3.1.1: Mosquitto 2.0 restores its persistent sessions after a restart (measured here: an
        MQTT 5 session with an expiry interval did not come back)."""
        address = self.address
        return aiomqtt.Client(
            address.host, address.port, username=address.username, password=address.password,
            identifier=self.client_id, protocol=aiomqtt.ProtocolVersion.V311, clean_session=clean_session,
            keepalive=self.config.keepalive_s, timeout=self.config.connect_timeout_s, logger=log,
        )

    async def _clear_session(self) -> None:
        """A clean-session connection drops whatever the broker kept for this client id (best effort)."""
        async with self._new_client(clean_session=True):
            pass

    async def _life(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        try:
            while not await self._connection():
                await asyncio.sleep(self.config.reconnect_delay_s)
        except asyncio.CancelledError:
            await self._end()

    async def _connection(self) -> bool:
        """One connection, from connecting until it is lost; True when the client must give up (the
        first connection failed: :meth:`start` reports it)."""
        try:
            if self._persistent_session and not self._ready.is_set():
                await self._clear_session()
            async with self._new_client(clean_session=not self._persistent_session) as client:
                await self.on_connect(client)
                self._mark_connected()
                await self.serve(client)
                raise aiomqtt.MqttError("the broker ended the connection")
        except Exception as exc:  # noqa: BLE001 - aiomqtt's errors, or a bug: either way reconnect, not die
            return self._mark_lost(exc)

    def _mark_connected(self) -> None:
        if not self._ready.is_set():
            self._ready.set()
        elif self._lost_ns is not None:
            self._notice(NoticeKind.RECONNECTED, f"reconnected after {(time.time_ns() - self._lost_ns) / NANOS_PER_SECOND:.2f} s")
        self._lost_ns = None

    def _mark_lost(self, exc: Exception) -> bool:
        if not isinstance(exc, aiomqtt.MqttError):
            log.exception("MQTT client %s failed", self.client_id)
        self.on_disconnect()
        if not self._ready.is_set():
            self._failure = exc
            self._ready.set()
            return True
        if self._lost_ns is None:
            self._lost_ns = time.time_ns()
            self._notice(NoticeKind.CONNECTION_LOST, f"connection lost: {exc}")
        return False

    async def _end(self) -> None:
        """Stopped by :meth:`close`: a persistent session is cleared so the broker keeps nothing for it."""
        self.on_disconnect()
        if self._persistent_session and self._ready.is_set() and self._failure is None:
            with contextlib.suppress(aiomqtt.MqttError, asyncio.TimeoutError):
                await asyncio.wait_for(self._clear_session(), self.config.connect_timeout_s)

    def _notice(self, code: NoticeKind, text: str, signal_id: str | None = None) -> None:
        log.info("mqtt %s: %s", self.client_id, text)
        self._notices.append(Notice(time.time_ns(), code, f"{self.role}: {text}", signal_id))

    async def on_connect(self, client: aiomqtt.Client) -> None:
        """After each (re)connection, before the owner is told the client is ready."""

    async def serve(self, client: aiomqtt.Client) -> None:
        """While connected; raises :class:`aiomqtt.MqttError` (or returns) when the connection ends."""
        async for _ in client.messages:
            pass

    def on_disconnect(self) -> None:
        """The connection ended (or never came up); runs on the client's thread."""
