"""The signal provider (seed 000): publishes each signal at its scheduled time as ``latest_signal.json``.

One publisher, two drivers. Live: :func:`run_live_provider` runs in its own OS process (``poc-eval
provider``) and sleeps until each signal's wall time on the shared :class:`LiveTimeline`. Replay:
the strategy process calls :meth:`DueSignals.due` on each simulated tick. Either way the strategy
reads the same files, so its code path does not depend on the mode. With ``--transport mqtt`` the
payloads go to the broker instead of the files (``poc_hummingbot.transport``). No Hummingbot import
here: the provider is an outside service, and starts in well under a second.
"""

from __future__ import annotations

import logging
import os
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from poc_hummingbot.config import PLATFORM, PROVIDER_DIR
from shared_signals.transport.mqtt.config import MqttConfig
from poc_hummingbot.payload import BridgeColumns, build_payload, encode
from shared_signals.contract.timeline import LiveTimeline
from poc_hummingbot.transport import FILE, open_sink
from shared_signals.config import NANOS_PER_SECOND, SignalCoreConfig
from shared_signals.contract.codes import Component, ErrorKind, EventKind
from shared_signals.contract.journal import JournalWriter
from shared_signals.instruments import DEFAULT_INSTRUMENT, parse_instrument
from shared_signals.loader import load_signals
from shared_signals.table import SignalTable

log = logging.getLogger(__name__)

MAX_SLEEP_S = 0.25
"""Longest single sleep while waiting for a signal's time, so a stop request or a vanished platform
process is seen promptly."""


class PlatformGone(Exception):
    """The platform process that started this provider has exited (e.g. it crashed or was killed):
    nobody reads the signals any more, so publishing stops."""


def publication_schedule(ts_ns: list[int], start_ns: int, end_ns: int | None, tolerance_ns: int) -> list[int]:
    """Rows to publish for a run over market time [start_ns, end_ns]: the signal already in force at
    the start (if it is within the tolerance), then every signal up to the end, in time order.
    Older signals are not replayed: they would be stale on arrival."""
    first = bisect_right(ts_ns, start_ns) - 1
    if first < 0 or start_ns - ts_ns[first] > tolerance_ns:
        first += 1
    last = len(ts_ns) if end_ns is None else bisect_right(ts_ns, end_ns)
    return list(range(first, last))


class DueSignals:
    """The schedule as a cursor over non-decreasing market time: :meth:`due` returns the rows whose
    time has come since the last call (usually none, so it is one comparison per tick)."""

    __slots__ = ("_rows", "_times", "_next")

    def __init__(self, table: SignalTable, rows: list[int], delay_ns: int = 0) -> None:
        self._rows = rows
        self._times = [int(table.ts_ns[i]) + delay_ns for i in rows]
        """When each row is published: its time plus an injected delivery delay."""
        self._next = 0

    def due(self, market_ns: int) -> list[int]:
        start = self._next
        end = start
        times = self._times
        while end < len(times) and times[end] <= market_ns:
            end += 1
        self._next = end
        return self._rows[start:end]

    @property
    def next_time_ns(self) -> int | None:
        return self._times[self._next] if self._next < len(self._times) else None

    @property
    def done(self) -> bool:
        return self._next >= len(self._times)


class SignalPublisher:
    """Publishes one signal's payload through the sink (the signal folder, or the MQTT broker: see
    ``open_sink``) and journals ``signal_published``, with the sink's account of it as the code (and
    its words as the reason), and each of the sink's connection notices as ``transport``."""

    def __init__(self, table: SignalTable, platform_dir: Path, run_id: str, config: SignalCoreConfig, sink) -> None:
        self.table = table
        self.config = config
        self.sink = sink
        self.journal = JournalWriter(platform_dir / PROVIDER_DIR, run_id, PLATFORM, table.symbol, Component.PROVIDER)
        self._bridges = BridgeColumns(table, config)
        self.published = 0

    def publish(self, row: int) -> None:
        """Publishes row ``row`` now."""
        signal = self.table.signal(row)
        published_at_ns = time.time_ns()
        payload = build_payload(signal, self.table.symbol, published_at_ns, self.config, self._bridges[row])
        delivery, words = self.sink.send(encode(payload), signal.signal_id)
        self.journal.write(
            EventKind.SIGNAL_PUBLISHED, sim_ts_ns=signal.ts_ns, signal_id=signal.signal_id, wall_ns=published_at_ns,
            reason=words, code=delivery,
        )
        self.published += 1
        self._journal_notices()

    def _journal_notices(self) -> None:
        for notice in self.sink.take_notices():
            self.journal.write(EventKind.TRANSPORT, signal_id=notice.signal_id, wall_ns=notice.wall_ns, reason=notice.text, code=notice.code)

    def close(self) -> None:
        self.sink.close()
        self._journal_notices()
        self.journal.close()


@dataclass(frozen=True)
class ProviderSettings:
    """What the live provider process is told; the strategy process builds the same timeline."""

    signals: Path
    platform_dir: Path
    run_id: str
    instrument: str = DEFAULT_INSTRUMENT
    speed: float = 1.0
    start_ns: int | None = None
    """Market time shown at the anchor; default the first signal's time."""
    end_ns: int | None = None
    """Last market time to publish for; default through the last signal."""
    anchor_wall_ns: int | None = None
    """Wall time at which market time ``start_ns`` is shown; default when the provider starts."""
    parent_pid: int | None = None
    """The platform process that started this provider: publishing stops when it is gone. None
    when the provider is run by hand."""
    core: SignalCoreConfig = field(default_factory=SignalCoreConfig)
    transport: str = FILE
    """``file`` (``latest_signal.json``) or ``mqtt`` (the broker of ``mqtt.broker_dir``)."""
    mqtt: MqttConfig = field(default_factory=MqttConfig)
    signal_delay_ns: int = 0
    """An injected delivery delay (the run spec's): each signal is published this much market time late."""


def _sleep_until(wall_ns: int, parent_pid: int | None) -> None:
    """Sleeps until ``wall_ns``; raises :class:`PlatformGone` once this process is no longer the child
    of ``parent_pid`` (an orphan is adopted by another process)."""
    while (remaining := wall_ns - time.time_ns()) > 0:
        if parent_pid is not None and os.getppid() != parent_pid:
            raise PlatformGone(f"platform process {parent_pid} is gone: provider stopped")
        time.sleep(min(remaining / NANOS_PER_SECOND, MAX_SLEEP_S))


def run_live_provider(settings: ProviderSettings) -> int:
    """Publishes every scheduled signal at its wall time; returns how many were published.

    A signal whose time has already passed (a late start) is published at once. Bad input raises
    :class:`InputError` before anything is written.
    """
    instrument = parse_instrument(settings.instrument)
    symbol = instrument.symbol
    core = settings.core
    table = load_signals(settings.signals, symbol, core.loader, core.side, core.regime)
    times = table.ts_ns.tolist()
    start_ns = times[0] if settings.start_ns is None else settings.start_ns
    anchor_wall_ns = time.time_ns() if settings.anchor_wall_ns is None else settings.anchor_wall_ns
    timeline = LiveTimeline(anchor_wall_ns, start_ns, settings.speed)
    rows = publication_schedule(times, start_ns, settings.end_ns, core.loader.tolerance_ns)
    platform_dir = Path(settings.platform_dir)
    sink = open_sink(settings.transport, platform_dir, settings.mqtt, instrument.hummingbot_pair, settings.run_id)
    publisher = SignalPublisher(table, platform_dir, settings.run_id, core, sink)
    log.info("provider: %d signals to publish at %gx over %s", len(rows), settings.speed, settings.transport)
    try:
        for row in rows:
            _sleep_until(timeline.wall_at_market(times[row] + settings.signal_delay_ns), settings.parent_pid)
            publisher.publish(row)
    except PlatformGone as gone:
        publisher.journal.write(EventKind.ERROR, reason=str(gone), code=ErrorKind.PLATFORM_GONE)
        raise
    finally:
        publisher.close()
    return publisher.published
