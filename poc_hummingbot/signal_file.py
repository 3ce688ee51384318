"""The file link between provider and strategy: an atomic writer and a cheap per-tick reader.

Writer: the payload goes to a temporary file in the same folder, is fsynced, then ``os.replace``d
over ``latest_signal.json``; a reader opening the path sees the old file or the new one, never a
mix. Each payload is also appended to ``signal_history.jsonl``. In replay the provider and the
strategy take turns in one thread: the strategy reads the file only after the write returned, and
nothing reads it after a crash. There the payload is written in place (no temp file, no fsync, no
rename: those are most of a write's cost, and guard against readers that do not exist there).

Reader: reads the whole file on every tick (a few microseconds with raw ``os`` calls) and hands
back the bytes only when they differ from the last read, so the strategy parses each version once.
Comparing bytes, not ``stat`` fields, cannot miss a version: a fast rewrite can reuse an inode
number within one coarse mtime step.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from poc_hummingbot.config import LATEST_SIGNAL, SIGNAL_HISTORY
from shared_signals.contract.codes import Delivery

TEMP_PREFIX = ".latest_signal."
TEMP_SUFFIX = ".tmp"


class SignalFileWriter:
    """Publishes payloads into ``folder``: ``latest_signal.json`` atomically, plus the history."""

    def __init__(self, folder: str | Path, atomic: bool = True) -> None:
        self.folder = Path(folder)
        self.atomic = atomic
        """Temp file, fsync, rename (live: another process reads it at any moment, and a crash must not
        leave it half-made); False writes in place (replay: the reader takes turns with the writer)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.latest = self.folder / LATEST_SIGNAL
        self._temp = self.folder / f"{TEMP_PREFIX}{os.getpid()}{TEMP_SUFFIX}"
        self._history: IO[bytes] | None = (self.folder / SIGNAL_HISTORY).open("ab")
        self._in_place: int | None = None if atomic else os.open(self.latest, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        """Replay: the file's descriptor, kept open (opening with truncation costs 40 times the write)."""
        self.writes = 0
        """Payloads written so far (a reader in the same process reads only after a new one)."""

    def write(self, data: bytes) -> None:
        """Replaces ``latest_signal.json`` with ``data`` (atomically: temp file, fsync, rename) and logs
        it to the history."""
        if self._history is None:
            raise RuntimeError("signal writer is closed")
        if self._in_place is not None:
            _write_all(self._in_place, data)
            os.ftruncate(self._in_place, len(data))
        else:
            fd = os.open(self._temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(self._temp, self.latest)
        self._history.write(data + b"\n")
        self._history.flush()
        self.writes += 1

    def send(self, data: bytes, signal_id: str) -> tuple[Delivery, None]:
        """The provider's sink interface (see ``poc_hummingbot.transport``): the file needs no words."""
        self.write(data)
        return Delivery.WRITTEN, None

    def take_notices(self) -> list:
        """A file has no connection to lose: never any notice."""
        return []

    def close(self) -> None:
        if self._in_place is not None:
            os.close(self._in_place)
            self._in_place = None
        if self._history is not None:
            self._history.close()
            self._history = None


def _write_all(fd: int, data: bytes) -> None:
    """``data`` from the start of the file ``fd``, however many calls the kernel needs."""
    view = memoryview(data)
    offset = 0
    while offset < len(data):
        offset += os.pwrite(fd, view[offset:], offset)


class SignalFileReader:
    """Polls one signal file; :meth:`poll` returns its bytes when they changed, else None."""

    def __init__(self, path: str | Path, max_bytes: int) -> None:
        self.path = os.fspath(path)
        self._max_bytes = max_bytes
        self._last: bytes | None = None

    def poll(self) -> bytes | None:
        """The file's content if it differs from the previous poll; None when unchanged or absent.

        A file longer than ``max_bytes`` comes back truncated to ``max_bytes + 1`` bytes, which the
        caller refuses by length.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            data = os.read(fd, self._max_bytes + 1)
        finally:
            os.close(fd)
        if data == self._last:
            return None
        self._last = data
        return data
