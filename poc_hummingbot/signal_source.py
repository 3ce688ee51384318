"""The file transport's source: ``latest_signal.json`` polled on the strategy's tick (the MQTT
source is :mod:`shared_signals.transport.mqtt.subscriber`)."""

from __future__ import annotations

from collections.abc import Callable

from poc_hummingbot.signal_file import SignalFileReader
from shared_signals.transport.messages import NOTHING, Delivery


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
