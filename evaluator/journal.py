"""The events journal: one record per event, identical for both platforms.

``fee`` (quote currency, on fills) is the one field beyond the SPEC's list: trading results need it.
Append-only JSON lines, flushed per event, so a crash loses at most the event being written; the
reader skips a torn last line and says so. At the end the lines are also saved as parquet.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from collections.abc import Iterator
from enum import StrEnum
from itertools import batched
from pathlib import Path
from typing import IO

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

log = logging.getLogger(__name__)

EVENTS_JSONL = "events.jsonl"
EVENTS_PARQUET = "events.parquet"
TAIL_BYTES = 64 * 1024


class EventKind(StrEnum):
    SIGNAL_PUBLISHED = "signal_published"
    SIGNAL_RECEIVED = "signal_received"
    SIGNAL_SKIPPED = "signal_skipped"
    DECISION = "decision"
    ORDER_SUBMITTED = "order_submitted"
    ORDER_REJECTED = "order_rejected"
    ORDER_FILLED = "order_filled"
    ERROR = "error"
    HEARTBEAT = "heartbeat"
    MESSAGE_RECEIVED = "message_received"
    """An MQTT message reached the strategy process (``wall_ns`` = arrival), valid or not, before any tick."""
    TRANSPORT = "transport"
    """The MQTT connection changed (lost, reconnected) or a held message was resent (``reason`` says which)."""


INTERRUPTED_REASON = "interrupted (SIGINT/SIGTERM): run stopped"
"""The ``error`` a platform journals when it is told to stop (Ctrl-C, the supervisor, a dead harness):
the user's doing, so the stability metrics do not count it as the platform's error."""

FIELDS = (
    "run_id",
    "platform",
    "seq",
    "kind",
    "signal_id",
    "instrument",
    "sim_ts_ns",
    "wall_ns",
    "side",
    "qty",
    "price",
    "position_after",
    "reason",
    "fee",
)
SIDE_NAMES = {1: "BUY", -1: "SELL"}
INTEGER_FIELDS = ("seq", "sim_ts_ns", "wall_ns")
FLOAT_FIELDS = ("qty", "price", "position_after", "fee")
EVENTS_SCHEMA = pa.schema(
    [(name, pa.int64() if name in INTEGER_FIELDS else pa.float64() if name in FLOAT_FIELDS else pa.string()) for name in FIELDS]
)
"""``events.parquet``'s columns: the journal's fields, typed (integers and floats nullable)."""
PARQUET_BLOCK_EVENTS = 10_000


@dataclass(frozen=True)
class JournalRead:
    events: pd.DataFrame
    torn_lines: int
    """Lines that could not be parsed (a crash mid-write leaves at most one, at the end)."""


class JournalWriter:
    """Writes ``events.jsonl`` in ``folder``; ``close()`` adds ``events.parquet``."""

    def __init__(self, folder: str | Path, run_id: str, platform: str, instrument: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / EVENTS_JSONL
        self.run_id = run_id
        self.platform = platform
        self.instrument = instrument
        self._seq = last_seq(self.path)
        self._file: IO[str] | None = self.path.open("a", encoding="utf-8")
        if not ends_with_newline(self.path):
            self._file.write("\n")

    def write(
        self,
        kind: EventKind,
        sim_ts_ns: int | None = None,
        signal_id: str | None = None,
        side: int | str | None = None,
        qty: float | None = None,
        price: float | None = None,
        position_after: float | None = None,
        reason: str | None = None,
        wall_ns: int | None = None,
        fee: float | None = None,
    ) -> None:
        """Appends one event and flushes it to the OS."""
        if self._file is None:
            raise RuntimeError("journal is closed")
        self._seq += 1
        record = {
            "run_id": self.run_id,
            "platform": self.platform,
            "seq": self._seq,
            "kind": str(kind),
            "signal_id": signal_id,
            "instrument": self.instrument,
            "sim_ts_ns": sim_ts_ns,
            "wall_ns": time.time_ns() if wall_ns is None else wall_ns,
            "side": SIDE_NAMES.get(side, side) if isinstance(side, int) else side,
            "qty": qty,
            "price": price,
            "position_after": position_after,
            "reason": reason,
            "fee": fee,
        }
        self._file.write(json.dumps(record, separators=(",", ":")) + "\n")
        self._file.flush()

    def close(self) -> Path:
        """Closes the JSONL file and writes the parquet copy beside it."""
        if self._file is not None:
            self._file.close()
            self._file = None
        return write_parquet(self.folder)

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def ends_with_newline(path: Path) -> bool:
    """False when a crash left a torn last line, which must be closed before appending."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1) == b"\n"


def last_seq(path: Path) -> int:
    """The last sequence number in an existing journal, so a restarted platform continues it."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - TAIL_BYTES))
        lines = handle.read().splitlines()
    for line in reversed(lines):
        try:
            return int(json.loads(line)["seq"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            continue
    return 0


def _lines(path: Path) -> Iterator[dict | None]:
    """Each line of ``path`` parsed, in order; None for a line that cannot be (a torn write)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                yield None


def _warn_torn(path: Path, torn: int) -> None:
    if torn:
        log.warning("%s: skipped %d torn line(s)", path, torn)


def read_journal(folder: str | Path) -> JournalRead:
    """Events of one platform's folder from the JSONL file (the source of truth), torn lines skipped."""
    path = Path(folder) / EVENTS_JSONL
    lines = list(_lines(path))
    records = [record for record in lines if record is not None]
    torn = len(lines) - len(records)
    _warn_torn(path, torn)
    return JournalRead(pd.DataFrame.from_records(records, columns=list(FIELDS)), torn)


def write_parquet(folder: str | Path) -> Path:
    """Saves the journal of ``folder`` as parquet (fixed column types) and returns its path.

    Converted ``PARQUET_BLOCK_EVENTS`` lines at a time, so a day-long journal costs one block of
    memory, not the whole file as a DataFrame, at the end of a run.
    """
    source = Path(folder) / EVENTS_JSONL
    target = Path(folder) / EVENTS_PARQUET
    torn = 0
    with pq.ParquetWriter(target, EVENTS_SCHEMA) as writer:
        for block in batched(_lines(source), PARQUET_BLOCK_EVENTS):
            records = [record for record in block if record is not None]
            torn += len(block) - len(records)
            writer.write_table(pa.Table.from_pylist(records, schema=EVENTS_SCHEMA))
    _warn_torn(source, torn)
    return target
