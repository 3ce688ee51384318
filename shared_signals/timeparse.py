"""Turns a time column into UTC nanosecond timestamps.

Naive times are UTC; aware times are converted to UTC; a column mixing naive and aware values is
refused, since either reading of it could be wrong by hours.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from shared_signals.errors import InputError

AWARE_SUFFIX = r"(?:Z|[+-]\d\d:?\d\d)\s*$"
EPOCH_UNITS = ((1e17, "ns"), (1e14, "us"), (1e11, "ms"), (0, "s"))


def _awareness(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_string_dtype(values) and values.map(lambda v: isinstance(v, str)).all():
        return values.str.contains(AWARE_SUFFIX, regex=True).to_numpy(dtype=bool)
    return values.map(lambda v: getattr(v, "tzinfo", None) is not None).to_numpy(dtype=bool)


def _epoch_unit(values: np.ndarray) -> str:
    magnitude = float(np.nanmax(np.abs(values))) if values.size else 0.0
    return next(unit for floor, unit in EPOCH_UNITS if magnitude >= floor)


def parse_utc_times(values: pd.Series, path: Path, column: str, rows: np.ndarray) -> pd.Series:
    """Returns ``values`` as ``datetime64[ns, UTC]``; refuses unparseable or naive/aware-mixed rows."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        parsed = values.dt.tz_convert("UTC")
    elif pd.api.types.is_datetime64_dtype(values.dtype):
        parsed = values.dt.tz_localize("UTC")
    elif pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float)
        parsed = pd.Series(pd.to_datetime(numbers, unit=_epoch_unit(numbers), utc=True, errors="coerce"), index=values.index)
    else:
        empty = values.isna().to_numpy()
        if empty.any():
            i = int(np.flatnonzero(empty)[0])
            raise InputError("no time on this row (empty or None)", path, column, int(rows[i]))
        aware = _awareness(values)
        if aware.any() and not aware.all():
            i = int(np.flatnonzero(aware != aware[0])[0])
            kinds = ("with", "without") if aware[i] else ("without", "with")
            raise InputError(
                f"timezone mix-up: '{values.iloc[i]}' is {kinds[0]} a timezone, earlier rows are {kinds[1]}; "
                "use one convention (naive times are read as UTC)",
                path, column, int(rows[i]),
            )
        parsed = pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
    missing = parsed.isna().to_numpy()
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise InputError(f"not a time: {values.iloc[i]!r}", path, column, int(rows[i]))
    try:
        return parsed.dt.as_unit("ns")
    except pd.errors.OutOfBoundsDatetime:
        low, high = (pd.Timestamp(t, tz="UTC") for t in (pd.Timestamp.min, pd.Timestamp.max))
        i = int(np.flatnonzero(((parsed < low) | (parsed > high)).to_numpy())[0])
        raise InputError(
            f"time {values.iloc[i]!r} is outside the years 1677-2262 that a nanosecond timestamp holds",
            path, column, int(rows[i]),
        ) from None
