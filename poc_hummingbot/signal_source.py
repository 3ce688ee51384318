"""What the strategy's tick takes from its transport: payloads (:class:`Delivery`) and, for MQTT,
connection changes (:class:`Notice`). The strategy validates and journals them the same way
whichever transport brought them; only the source differs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from poc_hummingbot.signal_file import SignalFileReader
from shared_signals.contract.codes import NoticeKind

NOTHING: tuple = ()


class Delivery(NamedTuple):
    data: bytes
    arrived_ns: int | None
    """Wall time the transport handed the bytes to this process (MQTT: journaled as ``message_received``);
    None for the file, which the tick reads itself (its ``signal_received`` is the arrival)."""
    note: str | None = None
    """How it came, for the journal: e.g. ``mqtt qos 1``."""


class Notice(NamedTuple):
    """A change of the transport's connection (lost, reconnected, a held message resent): journaled as
    ``transport`` by the process whose client saw it, with ``code`` the fact and ``text`` for people."""

    wall_ns: int
    code: NoticeKind
    text: str
    signal_id: str | None = None


class FileSignalSource:
    """``latest_signal.json`` polled on the tick: one delivery per new version of the file."""

    unit = "signal file"

    def __init__(self, reader: SignalFileReader) -> None:
        self._reader = reader
        self._writes: Callable[[], int] | None = None
        self._seen = 0

    def follow(self, writes: Callable[[], int]) -> None:
        """Replay: the provider writing the file runs in this process, and nothing else writes it, so
        the file is read when ``writes()`` (its count of writes) has moved since the last read, not on
        every tick. Live, another process writes it at any time, and every tick reads it."""
        self._writes = writes

    def take(self) -> tuple[Delivery, ...]:
        writes = self._writes
        if writes is not None:
            count = writes()
            if count == self._seen:
                return NOTHING
            self._seen = count
        raw = self._reader.poll()
        return NOTHING if raw is None else (Delivery(raw, None),)

    def close(self) -> None:
        """Nothing to release: the reader opens and closes the file on each poll."""
