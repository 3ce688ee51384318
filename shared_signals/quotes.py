"""Reads top-of-book quote files (parquet): bid/ask prices and sizes on a UTC time index.

Quotes can be read whole (:func:`load_quotes`) or streamed in batches (:func:`iter_quote_batches`)
so a replay never holds a large file twice; both run the same checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from shared_signals.errors import InputError
from shared_signals.timeparse import parse_utc_times

QUOTE_COLUMNS = ("bid_price", "ask_price", "bid_size", "ask_size")
MAX_QUOTE_VALUE = 1e9
"""Largest price or size accepted: below what every platform can hold (Nautilus' fixed-point prices end
near 9.2e9 in its standard-precision build), and far above any real quote, so a larger one is a unit
mistake refused before a run."""
TIME_COLUMNS = ("timestamp", "datetime", "ts_event")
DEFAULT_BATCH_ROWS = 20_000
"""Quotes validated and handed on at a time: memory stays flat however many years a file holds
(a larger batch is no faster: per-row work dominates)."""
ROW_GROUP_ROWS = 20_000
"""Rows per parquet row group in the quote files the project writes. pyarrow decodes a whole row
group at a time, so a file written as one row group costs its whole size in memory when streamed."""


def _open(path: Path) -> pq.ParquetFile:
    if not path.exists():
        raise InputError("file not found", path)
    if path.stat().st_size == 0:
        raise InputError("file is empty", path)
    try:
        return pq.ParquetFile(path, pre_buffer=False)  # one row group in memory at a time, not the file
    except Exception as exc:  # noqa: BLE001 - any reader failure is the user's corrupt file
        raise InputError(f"cannot read parquet file ({type(exc).__name__}: {exc})".splitlines()[0], path) from None


def _time_column(names: list[str]) -> str | None:
    for name in TIME_COLUMNS:
        if name in names:
            return name
    return None


def _check_schema(parquet: pq.ParquetFile, path: Path) -> None:
    names = parquet.schema_arrow.names
    for column in QUOTE_COLUMNS:
        if column not in names:
            raise InputError(f"missing required column (found: {', '.join(names)})", path, column)
    index_cols = (parquet.schema_arrow.pandas_metadata or {}).get("index_columns", [])
    if _time_column(names) is None and not any(isinstance(c, str) for c in index_cols):
        raise InputError(f"no time column: expected one of {', '.join(TIME_COLUMNS)} or a DatetimeIndex", path)
    if parquet.metadata.num_rows == 0:
        raise InputError("file has no rows", path)


def validate_quote_frame(frame: pd.DataFrame, path: Path, first_row: int = 1, previous_ns: int | None = None) -> pd.DataFrame:
    """Checks one block of quotes; returns it as float columns on a UTC DatetimeIndex."""
    rows = np.arange(first_row, first_row + len(frame))
    time_name = _time_column(list(frame.columns))
    if time_name is not None:
        times = parse_utc_times(frame[time_name], path, time_name, rows)
    elif isinstance(frame.index, pd.DatetimeIndex):
        time_name = frame.index.name or "index"
        times = parse_utc_times(frame.index.to_series(index=frame.index), path, time_name, rows)
    else:
        raise InputError(f"no time column: expected one of {', '.join(TIME_COLUMNS)} or a DatetimeIndex", path)
    out = pd.DataFrame(index=pd.DatetimeIndex(times.array, name="timestamp"))
    for column in QUOTE_COLUMNS:
        raw = frame[column]
        values = raw.to_numpy() if raw.dtype == np.float64 else pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isfinite(values) | (values <= 0) | (values > MAX_QUOTE_VALUE))
        if bad.size:
            i = int(bad[0])
            raw = frame[column].iloc[i]
            what = "empty value (NaN)" if pd.isna(raw) else (
                f"must be a positive number up to {MAX_QUOTE_VALUE:g}, found {raw!r}"
            )
            raise InputError(what, path, column, int(rows[i]), str(times.iloc[i]))
        out[column] = values
    crossed = np.flatnonzero(out["bid_price"].to_numpy() > out["ask_price"].to_numpy())
    if crossed.size:
        i = int(crossed[0])
        raise InputError(
            f"crossed quote: bid {out['bid_price'].iloc[i]} > ask {out['ask_price'].iloc[i]}",
            path, "bid_price", int(rows[i]), str(times.iloc[i]),
        )
    ns = out.index.asi8
    if previous_ns is not None and ns.size and ns[0] < previous_ns:
        raise InputError("times are not sorted (earlier than the row before)", path, time_name, int(rows[0]), str(times.iloc[0]))
    backwards = np.flatnonzero(ns[1:] < ns[:-1])
    if backwards.size:
        i = int(backwards[0]) + 1
        raise InputError(
            f"times are not sorted: {times.iloc[i]} comes after {times.iloc[i - 1]}", path, time_name, int(rows[i])
        )
    return out


def iter_quote_batches(path: str | Path, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pd.DataFrame]:
    """Yields validated quote blocks of at most ``batch_rows`` rows, in file order."""
    path = Path(path)
    parquet = _open(path)
    _check_schema(parquet, path)
    first_row = 1
    previous_ns: int | None = None
    for batch in parquet.iter_batches(batch_size=batch_rows):
        block = validate_quote_frame(batch.to_pandas(), path, first_row, previous_ns)
        first_row += len(block)
        if len(block):
            previous_ns = int(block.index.asi8[-1])
        yield block


def load_quotes(path: str | Path) -> pd.DataFrame:
    """The whole quote file, validated."""
    path = Path(path)
    parquet = _open(path)
    _check_schema(parquet, path)
    try:
        frame = parquet.read().to_pandas()
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"cannot read parquet file ({type(exc).__name__}: {exc})".splitlines()[0], path) from None
    return validate_quote_frame(frame, path)


@dataclass(frozen=True)
class QuoteSpan:
    rows: int
    first_ns: int
    last_ns: int
    spacing_ns: int
    """Median gap between quotes of the first batch (0 for a single quote)."""
    longest_gap_ns: int = 0
    """The longest gap between two consecutive quotes of the whole file: no quote is ever that old
    while the next one is still to come."""

    @property
    def period_ns(self) -> int:
        """last - first + one spacing: how far a repeated copy of the file must be shifted."""
        return self.last_ns - self.first_ns + max(self.spacing_ns, 1)


def quote_span(path: str | Path) -> QuoteSpan:
    """Validates the whole file (streamed) and returns its row count, time span and quote spacing."""
    rows, first, last, spacing, longest = 0, None, None, 0, 0
    for block in iter_quote_batches(path):
        if len(block):
            ns = block.index.as_unit("ns").asi8
            if first is None:
                first = int(ns[0])
                spacing = int(np.median(np.diff(ns))) if len(ns) > 1 else 0
            else:
                longest = max(longest, int(ns[0]) - last)
            if len(ns) > 1:
                longest = max(longest, int(np.diff(ns).max()))
            last = int(ns[-1])
            rows += len(block)
    if first is None:
        raise InputError("file has no rows", Path(path))
    return QuoteSpan(rows, first, last, spacing, longest)
