"""The events journal: one record per event, the same record for every platform.

Each record: ``run_id, platform, component, seq, kind, code, signal_id, instrument, sim_ts_ns,
wall_ns, side, qty, price, position_after, fee, reason``. ``kind`` and ``code`` are the facts a
program reads (see :mod:`shared_signals.contract.codes`); ``reason`` is for people. ``fee`` (quote
currency, on fills) is the one field beyond the SPEC's list: trading results need it.

Append-only JSON lines, flushed per event, so a crash loses at most the event being written; the
reader skips a torn last line and says so. At the end the lines are also saved as parquet.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import batched
from pathlib import Path
from typing import IO

import msgspec
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from shared_signals.contract.codes import CODES, Component, EventKind
from shared_signals.contract.layout import EVENTS_JSONL, EVENTS_PARQUET
from shared_signals.decision import OrderSide

log = logging.getLogger(__name__)

TAIL_BYTES = 64 * 1024

FIELDS = (
    "run_id",
    "platform",
    "component",
    "seq",
    "kind",
    "code",
    "signal_id",
    "instrument",
    "sim_ts_ns",
    "wall_ns",
    "side",
    "qty",
    "price",
    "position_after",
    "fee",
    "reason",
)
INTEGER_FIELDS = ("seq", "sim_ts_ns", "wall_ns")
FLOAT_FIELDS = ("qty", "price", "position_after", "fee")
EVENTS_SCHEMA = pa.schema(
    [(name, pa.int64() if name in INTEGER_FIELDS else pa.float64() if name in FLOAT_FIELDS else pa.string()) for name in FIELDS]
)
"""``events.parquet``'s columns: the journal's fields, typed (integers and floats nullable)."""
PARQUET_BLOCK_EVENTS = 2_000
ENCODE = msgspec.json.Encoder().encode
DECODE = msgspec.json.Decoder().decode
"""msgspec's JSON: a journal line costs a third of the standard library's, on every event of every run."""
SIDE_NAMES = {OrderSide.BUY: "BUY", OrderSide.SELL: "SELL"}
"""The journal's ``side``: the order's side by name; none for a decision to place no order."""


@dataclass(frozen=True)
class JournalRead:
    events: pd.DataFrame
    torn_lines: int
    """Lines that could not be parsed (a crash mid-write leaves at most one, at the end)."""


class JournalWriter:
    """Writes ``events.jsonl`` in ``folder``; ``close()`` adds ``events.parquet``."""

    def __init__(
        self, folder: str | Path, run_id: str, platform: str, instrument: str, component: Component = Component.STRATEGY
    ) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / EVENTS_JSONL
        self._fixed = {"run_id": run_id, "platform": platform, "component": str(component)}
        self.instrument = instrument
        self._seq = last_seq(self.path)
        self._file: IO[bytes] | None = self.path.open("ab")
        if not ends_with_newline(self.path):
            self._file.write(b"\n")

    def write(
        self,
        kind: EventKind,
        sim_ts_ns: int | None = None,
        signal_id: str | None = None,
        side: OrderSide | None = None,
        qty: float | None = None,
        price: float | None = None,
        position_after: float | None = None,
        reason: str | None = None,
        wall_ns: int | None = None,
        fee: float | None = None,
        code: StrEnum | None = None,
    ) -> None:
        """Appends one event and flushes it to the OS. ``code`` must come from ``kind``'s vocabulary."""
        if self._file is None:
            raise RuntimeError("journal is closed")
        if code is not None and not isinstance(code, CODES.get(kind, ())):
            raise ValueError(f"code {code!r} is not a {kind} code")
        self._seq += 1
        record = {
            **self._fixed,
            "seq": self._seq,
            "kind": str(kind),
            "code": None if code is None else str(code),
            "signal_id": signal_id,
            "instrument": self.instrument,
            "sim_ts_ns": sim_ts_ns,
            "wall_ns": time.time_ns() if wall_ns is None else wall_ns,
            "side": SIDE_NAMES.get(side),
            "qty": qty,
            "price": price,
            "position_after": position_after,
            "fee": fee,
            "reason": reason,
        }
        self._file.write(ENCODE(record) + b"\n")
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
            return int(DECODE(line)["seq"])
        except (msgspec.DecodeError, KeyError, TypeError, ValueError):
            continue
    return 0


def _lines(path: Path) -> Iterator[dict | None]:
    """Each line of ``path`` parsed, in order; None for a line that cannot be (a torn write)."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        for line in handle:
            try:
                record = DECODE(line)
            except msgspec.DecodeError:
                record = None
            yield record if isinstance(record, dict) else None


def _warn_torn(path: Path, torn: int) -> None:
    if torn:
        log.warning("%s: skipped %d torn line(s)", path, torn)


def read_journal(folder: str | Path) -> JournalRead:
    """Events of one folder from the JSONL file (the source of truth), torn lines skipped."""
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
