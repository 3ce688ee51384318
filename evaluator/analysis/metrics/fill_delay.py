"""The order → fill delay a column's venue actually gave, measured from its journal in market time.

A venue is set a fill delay (``run.json``'s ``fill_delay_ns``); what it gave is read off the journal
alone: each fill of a signal against the last order of that signal submitted before it. On matched
venues the two agree on every fill (the fill rule: decided at ``d``, filled at the quote in force at
``d + delay``, stamped then); a venue that fills at the next quote instead shows it here, however
far that quote is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import EventKind

ORDER_FILL_COLUMNS = ["signal_id", "side", "price", "order_ns", "fill_ns", "delay_ns"]
AGREEMENT_S = 1e-3
"""A measured delay this close to the set one is the set one (the ±1 ms of ``calibrate``)."""


@dataclass(frozen=True)
class FillDelay:
    """Order → fill over a column's fills of signals, in market seconds (NaN: no fill measured), and
    whether every one of them is the delay the venue was set."""

    fills: int
    median_s: float
    min_s: float
    max_s: float
    as_set: bool | None
    """Every fill within ``AGREEMENT_S`` of the set delay (None: no fill measured)."""


def order_fills(events: pd.DataFrame) -> pd.DataFrame:
    """One row per fill of a signal that follows an order of that signal in the journal: its side and
    price, the order's and the fill's market time and the delay between them (ns), in journal order."""
    signal_rows = events[events["signal_id"].notna() & events["sim_ts_ns"].notna()]
    orders = signal_rows.loc[signal_rows["kind"] == EventKind.ORDER_SUBMITTED, ["seq", "signal_id", "sim_ts_ns"]]
    fills = signal_rows.loc[signal_rows["kind"] == EventKind.ORDER_FILLED, ["seq", "signal_id", "side", "price", "sim_ts_ns"]]
    if orders.empty or fills.empty:
        return pd.DataFrame(columns=ORDER_FILL_COLUMNS)
    paired = pd.merge_asof(
        fills.rename(columns={"sim_ts_ns": "fill_ns"}).astype({"seq": "int64"}).sort_values("seq"),
        orders.rename(columns={"sim_ts_ns": "order_ns", "seq": "order_seq"}).astype({"order_seq": "int64"}).sort_values("order_seq"),
        left_on="seq", right_on="order_seq", by="signal_id", direction="backward",
    ).dropna(subset=["order_ns"])
    paired["delay_ns"] = paired["fill_ns"].astype("int64") - paired["order_ns"].astype("int64")
    return paired[ORDER_FILL_COLUMNS].reset_index(drop=True)


def measured_fill_delay(events: pd.DataFrame, set_s: float) -> FillDelay:
    """The median, shortest and longest order → fill delay of the journal's fills of signals, against
    the ``set_s`` seconds the venue was set."""
    delays = order_fills(events)["delay_ns"].to_numpy(dtype="float64") / NANOS_PER_SECOND
    if delays.size == 0:
        return FillDelay(0, float("nan"), float("nan"), float("nan"), None)
    as_set = bool(np.all(np.abs(delays - set_s) <= AGREEMENT_S))
    return FillDelay(int(delays.size), float(np.median(delays)), float(delays.min()), float(delays.max()), as_set)
