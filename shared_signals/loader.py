"""Reads signal files (pickle, parquet, csv) into a validated :class:`SignalTable`.

Every refusal is an :class:`InputError` naming the file, column and 1-based data row. Nothing is
silently repaired except what the policy says: naive times are UTC, aware times are converted to
UTC, and duplicate timestamps follow ``LoaderParams.duplicates``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from shared_signals.config import LoaderParams, RegimeParams, SideParams
from shared_signals.errors import InputError
from shared_signals.instruments import DEFAULT_INSTRUMENT, canonical_symbol
from shared_signals.schema import NUMERIC_COLUMNS, REQUIRED_COLUMNS, VALUE_RANGES, derive_columns
from shared_signals.table import SignalTable
from shared_signals.timeparse import parse_utc_times

log = logging.getLogger(__name__)

TIME_COLUMNS = ("datetime", "timestamp", "time", "date")
ROW = "_row"


def read_frame(path: Path) -> pd.DataFrame:
    """Reads pickle, parquet or csv by suffix; any failure becomes one line naming the file."""
    if not path.exists():
        raise InputError("file not found", path)
    if path.is_dir():
        raise InputError("is a folder, expected a file", path)
    if path.stat().st_size == 0:
        raise InputError("file is empty", path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".pkl", ".pickle"):
            frame = pd.read_pickle(path)
        elif suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
        elif suffix == ".csv":
            frame = pd.read_csv(path)
        else:
            raise InputError(f"unsupported file type '{suffix}': use .pkl, .parquet or .csv", path)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is the user's corrupt file
        raise InputError(f"cannot read {suffix.lstrip('.')} file ({type(exc).__name__}: {exc})".splitlines()[0], path) from None
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"expected a table, found a {type(frame).__name__}", path)
    if frame.empty:
        raise InputError("file has no rows", path)
    if suffix == ".csv" and len(frame.columns) == 1 and ";" in str(frame.columns[0]):
        raise InputError(
            f"found one column '{frame.columns[0]}': this looks like a semicolon-separated file (and perhaps "
            "decimal commas); save it with commas between columns and points in numbers", path,
        )
    return frame


def _flatten_index(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Moves the time (and instrument) out of the index into ``datetime``/``instrument`` columns."""
    index = frame.index
    if isinstance(index, pd.MultiIndex):
        names = [str(n).lower() if n is not None else "" for n in index.names]
        if "instrument" not in names or not ({"datetime", "timestamp"} & set(names)):
            raise InputError(
                f"MultiIndex levels {list(index.names)}: expected (instrument, datetime) in either order", path
            )
        flat = frame.reset_index()
        flat.columns = [str(c).lower() if str(c).lower() in names else c for c in flat.columns]
        return flat.rename(columns={"timestamp": "datetime"})
    if isinstance(index, pd.DatetimeIndex):
        flat = frame.copy()
        flat.insert(0, "datetime", index)
        return flat.reset_index(drop=True)
    for name in TIME_COLUMNS:
        if name in frame.columns:
            return frame.rename(columns={name: "datetime"}).reset_index(drop=True)
    raise InputError(
        "no time found: expected a DatetimeIndex, an (instrument, datetime) MultiIndex, "
        f"or a column named one of {', '.join(TIME_COLUMNS)}",
        path,
    )


def _select_instrument(frame: pd.DataFrame, instrument: str | None, path: Path) -> tuple[pd.DataFrame, str]:
    wanted = canonical_symbol(instrument) if instrument else None
    if "instrument" not in frame.columns:
        return frame, wanted or DEFAULT_INSTRUMENT
    named = frame["instrument"].notna().to_numpy()
    if not named.any():
        raise InputError("the instrument column is empty on every row: fill it, or drop the column", path, "instrument")
    if not named.all():
        i = int(np.flatnonzero(~named)[0])
        raise InputError("no instrument on this row", path, "instrument", int(frame[ROW].iloc[i]))
    symbols = frame["instrument"].astype(str).map(_safe_symbol)
    present = sorted(set(symbols.dropna()))
    if wanted is None:
        if len(present) != 1:
            raise InputError(f"file has instruments {', '.join(present)}: choose one with --instrument", path, "instrument")
        wanted = present[0]
    mask = (symbols == wanted).to_numpy()
    if not mask.any():
        raise InputError(f"unknown instrument '{instrument}': file has {', '.join(present)}", path, "instrument")
    return frame.loc[mask].reset_index(drop=True), wanted


def _safe_symbol(text: str) -> str | None:
    try:
        return canonical_symbol(text)
    except InputError:
        return text


def _first_bad(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _check_numeric(frame: pd.DataFrame, path: Path, params: LoaderParams) -> None:
    rows = frame[ROW].to_numpy()
    times = frame["datetime"]

    def refuse_first(mask: np.ndarray, column: str, what: Callable[[int], str]) -> None:
        """One line for the first row where ``mask`` holds, naming its column, row and time."""
        bad = _first_bad(mask)
        if bad is not None:
            raise InputError(what(bad), path, column, int(rows[bad]), str(times.iloc[bad]))

    for column in REQUIRED_COLUMNS:
        if column not in frame.columns:
            found = ", ".join(str(c) for c in frame.columns if c not in (ROW,))
            raise InputError(f"missing required column (found: {found})", path, column)
    for column in NUMERIC_COLUMNS:
        if column not in frame.columns:
            continue
        raw = frame[column]
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        refuse_first(
            ~np.isfinite(values), column,
            lambda i: "empty value (NaN)" if pd.isna(raw.iloc[i]) else f"not a finite number: {raw.iloc[i]!r}",
        )
        low, high = VALUE_RANGES.get(column, (-np.inf, np.inf))
        refuse_first((values < low) | (values > high), column, lambda i: f"{values[i]} outside [{low}, {high}]")
        frame[column] = values
    if "side" in frame.columns:
        side = frame["side"]
        refuse_first(
            ~np.isin(side.to_numpy(), (-1, 0, 1)), "side",
            lambda i: f"side must be 1 (buy), 0 (sell) or -1 (hold), found {side.iloc[i]}",
        )
    q10, q50, q90 = (frame[c].to_numpy() for c in REQUIRED_COLUMNS)
    for low_name, high_name, low_q, high_q in (("q10", "q50", q10, q50), ("q50", "q90", q50, q90)):
        refuse_first(
            low_q > high_q, low_name,
            lambda i: f"{low_name} > {high_name} ({low_q[i]} > {high_q[i]}): quantiles must satisfy q10 <= q50 <= q90",
        )
    for column, values in zip(REQUIRED_COLUMNS, (q10, q50, q90), strict=True):
        refuse_first(
            np.abs(values) > params.max_abs_quantile, column,
            lambda i: f"{values[i]:g} is not a plausible return for one bar (beyond ±{params.max_abs_quantile:g}); if "
            "it is, raise loader.max_abs_quantile with --core-config",
        )
    refuse_first(
        q90 - q10 <= params.min_spread, "q90",
        lambda i: f"q90 - q10 = {q90[i] - q10[i]:g} is no spread (must exceed loader.min_spread = "
        f"{params.min_spread:g}, set with --core-config): a forecast without uncertainty is not a quantile forecast",
    )


def _order_by_time(frame: pd.DataFrame, path: Path, policy: str) -> pd.DataFrame:
    ts = frame["datetime"].array.asi8
    rows = frame[ROW].to_numpy()
    backwards = _first_bad(ts[1:] < ts[:-1])
    if backwards is not None:
        i = backwards + 1
        raise InputError(
            f"times are not sorted: {frame['datetime'].iloc[i]} comes after {frame['datetime'].iloc[i - 1]}",
            path, "datetime", int(rows[i]),
        )
    duplicate = ts[1:] == ts[:-1]
    if duplicate.any():
        i = int(np.flatnonzero(duplicate)[0]) + 1
        if policy == "error":
            raise InputError(
                f"duplicate time {frame['datetime'].iloc[i]} (also row {rows[i - 1]}); "
                "set the duplicates policy to 'first' or 'last' to keep one",
                path, "datetime", int(rows[i]),
            )
        keep = "first" if policy == "first" else "last"
        dropped = int(duplicate.sum())
        log.warning("%s: %d duplicate timestamps, keeping the %s of each", path, dropped, keep)
        frame = frame.loc[~frame["datetime"].duplicated(keep=keep).to_numpy()]
    return frame


def load_signals(
    path: str | Path,
    instrument: str | None = None,
    loader_params: LoaderParams = LoaderParams(),
    side_params: SideParams = SideParams(),
    regime_params: RegimeParams = RegimeParams(),
) -> SignalTable:
    """Loads, validates and completes a signal file for one instrument."""
    path = Path(path)
    frame = _flatten_index(read_frame(path), path)
    frame.insert(0, ROW, np.arange(1, len(frame) + 1))
    frame, symbol = _select_instrument(frame, instrument, path)
    frame["datetime"] = parse_utc_times(frame["datetime"], path, "datetime", frame[ROW].to_numpy())
    _check_numeric(frame, path, loader_params)
    frame = _order_by_time(frame, path, loader_params.duplicates)
    frame = frame.set_index(pd.DatetimeIndex(frame.pop("datetime"), name="datetime"))
    frame = frame.drop(columns=[c for c in (ROW, "instrument") if c in frame.columns])
    frame = derive_columns(frame, side_params, regime_params, loader_params)
    return SignalTable(symbol=symbol, frame=frame, source=path)
