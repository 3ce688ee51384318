"""Writes the reference replay for each column (with that column's venue fill delay and fee), the
ideal one every column is scored against (no delay, the run's fee), and the mark prices the equity
curves use, into ``RUN_DIR/reference/``. A venue replayed once is not replayed again."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.latency import column_latencies
from evaluator.analysis.metrics.materiality import decay_probes_ns, latency_score_delay_s
from evaluator.analysis.run_folder import ColumnRun, RunFolder
from shared_signals.contract.layout import (
    IDEAL_REFERENCE,
    MARK_INTERVAL,
    MARKS_PARQUET,
    REBUILT_BY_REPORT,
    REFERENCE_DIR,
    REFERENCE_ORIGIN_JSON,
    SCHEDULE_PARQUET,
    TOUCH_PARQUET,
)
from shared_signals.contract.codes import EventKind
from shared_signals.contract.modes import LIVE
from shared_signals.contract.run_info import file_digest
from shared_signals.contract.spec import RunSpec
from shared_signals.loader import load_signals
from shared_signals.quotes import iter_quote_batches
from shared_signals.reference import ReferenceTrade, ReferenceVenue, reference_replay
from shared_signals.table import SignalTable

log = logging.getLogger(__name__)

TRADE_COLUMNS = list(ReferenceTrade.__dataclass_fields__)


def _batches_until(quotes: Path, horizon_ns: int | None):
    for batch in iter_quote_batches(quotes):
        if horizon_ns is not None:
            batch = batch[batch.index.as_unit("ns").asi8 <= horizon_ns]
        if len(batch):
            yield batch


class _Marks:
    """The mark prices: the last mid of each minute, and the very last quote's."""

    def __init__(self) -> None:
        self._parts: list[pd.Series] = []
        self._last: pd.Series | None = None

    def add(self, mid: pd.Series) -> None:
        self._parts.append(mid.resample(MARK_INTERVAL).last().dropna())
        self._last = mid.iloc[[-1]]

    def frame(self) -> pd.DataFrame:
        if self._last is None:
            return pd.DataFrame(columns=["ts_ns", "mid"])
        marks = pd.concat([*self._parts, self._last])
        marks = marks[~marks.index.duplicated(keep="last")].sort_index()
        return pd.DataFrame({"ts_ns": marks.index.as_unit("ns").asi8, "mid": marks.to_numpy()})


class _Touch:
    """The quotes (ts_ns, bid, ask) execution costs and the attribution are measured against: the one in
    force at and the first at or after each arrival time, and the one in force at and the first after
    each of ``in_force_ns`` (orders, fills, signal times: is a fill into a gap?). A forward or backward
    as-of on this small table then finds the same quote as on the whole file."""

    def __init__(self, arrivals_ns: np.ndarray, in_force_ns: np.ndarray) -> None:
        self._forward = np.unique(np.concatenate([arrivals_ns, in_force_ns + 1]))
        self._backward = np.unique(np.concatenate([arrivals_ns, in_force_ns]))
        self._done_forward = self._done_backward = 0
        self._rows: list[pd.DataFrame] = []
        self._previous: pd.DataFrame | None = None

    def add(self, batch: pd.DataFrame) -> None:
        frame = pd.DataFrame({"ts_ns": batch.index.as_unit("ns").asi8, "bid": batch["bid_price"].to_numpy(),
                              "ask": batch["ask_price"].to_numpy()})
        block = frame if self._previous is None else pd.concat([self._previous, frame], ignore_index=True)
        ns = block["ts_ns"].to_numpy()
        upto_forward = np.searchsorted(self._forward, ns[-1], side="right")
        upto_backward = np.searchsorted(self._backward, ns[-1], side="right")
        wanted = np.concatenate([
            np.searchsorted(ns, self._forward[self._done_forward:upto_forward], side="left"),
            np.searchsorted(ns, self._backward[self._done_backward:upto_backward], side="right") - 1,
        ])
        self._rows.append(block.iloc[np.unique(wanted[wanted >= 0])])
        self._done_forward, self._done_backward = upto_forward, upto_backward
        self._previous = frame.iloc[[-1]]

    def frame(self) -> pd.DataFrame:
        rows = list(self._rows)
        if self._previous is not None and self._done_backward < len(self._backward):
            rows.append(self._previous)  # fills after the last quote: it is still the one in force
        if not rows:
            return pd.DataFrame(columns=["ts_ns", "bid", "ask"])
        return pd.concat(rows, ignore_index=True).drop_duplicates("ts_ns").sort_values("ts_ns").reset_index(drop=True)


def marks_and_touch(
    quotes: Path, arrivals_ns: np.ndarray, in_force_ns: np.ndarray, horizon_ns: int | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mark prices and the touch quotes (see ``_Marks``, ``_Touch``), in one pass over the quotes."""
    marks, touch = _Marks(), _Touch(arrivals_ns, in_force_ns)
    for batch in _batches_until(quotes, horizon_ns):
        marks.add((batch["bid_price"] + batch["ask_price"]) / 2.0)
        touch.add(batch)
    return marks.frame(), touch.frame()


def replay_venues(
    spec: RunSpec, venues: Iterable[ReferenceVenue], horizon_ns: int | None, table: SignalTable | None = None
) -> dict[ReferenceVenue, pd.DataFrame]:
    """The shared decision replayed on each distinct venue up to ``horizon_ns``: its trades (``table``:
    the signals, when the caller has read them)."""
    core = spec.core
    table = table or load_signals(spec.signals, spec.instrument, core.loader, core.side, core.regime)
    replayed = {}
    for venue in dict.fromkeys(venues):
        trades = reference_replay(
            _batches_until(spec.quotes, horizon_ns), table, core, venue, spec.starting_quote, spec.starting_base,
            spec.signal_delay_ns,
        )
        replayed[venue] = pd.DataFrame([asdict(t) for t in trades], columns=TRADE_COLUMNS)
    return replayed


def reference_venues(run: RunFolder) -> dict[str, ReferenceVenue]:
    """Each column's venue as its ``run.json`` states it, and the ideal one (no delay, the baseline's fee)."""
    venues = {name: ReferenceVenue(column.fill_delay_ns, column.fee_rate) for name, column in run.columns.items()}
    return {**venues, IDEAL_REFERENCE: ReferenceVenue(0, run.spec.venue.fee_rate or 0.0)}


def write_reference(
    run_dir: Path, spec: RunSpec, venues: dict[str, ReferenceVenue], horizon_ns: int | None, written_by: str,
    orders_ns: np.ndarray | None = None, ready: dict[ReferenceVenue, Path] | None = None,
    columns: Iterable[ColumnRun] = (),
) -> Path:
    """``reference/``: the shared decision replayed on an idealised venue per column (its fill delay and
    fee) and the ideal one, the mark prices, the signal schedule, the quotes around the signals' arrivals,
    their times and ``orders_ns`` (the market times of the columns' orders and fills: what the attribution
    prices, and whether a fill met a gap), in force at each signal's time plus each of the ``columns``'
    latency-score delay (what the alpha decay reads), and who wrote them (``written_by``). ``ready``: the
    files of the replays already made of these venues to this horizon (while the platforms ran)."""
    folder = run_dir / REFERENCE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    core = spec.core
    table = load_signals(spec.signals, spec.instrument, core.loader, core.side, core.regime)
    ready = ready or {}
    replayed = replay_venues(spec, [v for v in venues.values() if v not in ready], horizon_ns, table)
    for name, venue in venues.items():
        target = folder / f"{name}.parquet"
        if venue in ready:
            shutil.copyfile(ready[venue], target)
        else:
            replayed[venue].to_parquet(target, index=False)
    schedule = pd.DataFrame({"signal_id": [table.signal_id(i) for i in range(len(table))], "ts_ns": table.ts_ns})
    schedule.to_parquet(folder / SCHEDULE_PARQUET, index=False)
    live = spec.mode == LIVE
    delays_s = [latency_score_delay_s(column_latencies(c, schedule, spec.signal_delay_ns), live) for c in columns]
    orders = np.asarray([] if orders_ns is None else orders_ns, dtype=np.int64)
    probes = np.concatenate([orders, table.ts_ns, decay_probes_ns(table.ts_ns, delays_s)])
    marks, touch = marks_and_touch(spec.quotes, table.ts_ns, probes, horizon_ns)
    touch.to_parquet(folder / TOUCH_PARQUET, index=False)
    marks.to_parquet(folder / MARKS_PARQUET, index=False)  # last but one: its presence says the reference is whole
    columns = {n: asdict(v) for n, v in venues.items() if n != IDEAL_REFERENCE}
    origin = {"written_by": written_by, "venues": columns, "horizon_ns": horizon_ns}
    (folder / REFERENCE_ORIGIN_JSON).write_text(json.dumps(origin, indent=2) + "\n", encoding="utf-8")
    return folder


def reference_for(run: RunFolder, written_by: str, ready: dict[ReferenceVenue, Path] | None = None) -> Path:
    """The reference of a run whose platforms have finished, from its own spec and journals (and the
    replays already made, when they were made for this run's venues and horizon)."""
    priced = (EventKind.ORDER_SUBMITTED, EventKind.ORDER_FILLED)
    orders = [r.events.loc[r.events["kind"].isin(priced), "sim_ts_ns"].dropna() for r in run.columns.values()]
    orders_ns = pd.concat(orders).to_numpy(dtype=np.int64) if orders else None
    return write_reference(run.path, run.spec, reference_venues(run), run.horizon_ns, written_by, orders_ns, ready,
                           list(run.columns.values()))


def restore_reference(run: RunFolder) -> bool:
    """Writes a missing reference (a run whose harness was killed before it wrote one) from the
    recorded inputs, if they are still there unchanged; False, with a warning, when they are not."""
    recorded = {"quotes": run.record.quotes, "signals": run.record.signals}
    for role, digest in recorded.items():
        path = Path(digest.path)
        if not path.is_file() or file_digest(path)["sha256"] != digest.sha256:
            log.warning("%s: no reference replay; the %s file %s is gone or changed", run.path, role, path)
            return False
    reference_for(run, REBUILT_BY_REPORT)
    return True
