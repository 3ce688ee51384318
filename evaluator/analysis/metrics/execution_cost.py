"""Transaction cost analysis, the way an execution desk reads fills.

Every fill of a signal is measured against that signal's *arrival price*: the mid of the first quote
at or after the signal's time, when the shared decision can first be made, the same moment for
every platform. Its cost, in basis points of the arrival mid (positive = paid), splits exactly into

- **half-spread**: side × (fill price − mid in force at the fill), what crossing the book cost;
- **delay**: side × (mid in force at the fill − arrival mid), how far the market moved before the fill;
- **fee**: the venue's fee over the notional at arrival.

A fill with no signal (the close at stop) has no arrival and is left out, and counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.accuracy import SIDE_SIGN
from shared_signals.contract.codes import EventKind
from shared_signals.contract.spec import BPS

COMPONENTS = ("half_spread", "delay", "fee")
"""The parts of a fill's cost, in the order they add up to its total."""
FILL_COLUMNS = ["signal_id", "sim_ts_ns", "side", "qty", "price", "fee", "arrival_ns", "arrival_mid", "fill_mid",
                *(f"{c}_bps" for c in COMPONENTS), "cost_bps", "cost_usdt"]


@dataclass(frozen=True)
class CostStats:
    mean_bps: float
    median_bps: float
    p95_bps: float
    total_usdt: float


@dataclass(frozen=True)
class ExecutionCost:
    fills: int
    """Fills measured (those of a signal with an arrival quote)."""
    unmeasured: int
    """Fills left out: no signal (the close at stop), or no quote at the signal's arrival."""
    total: CostStats
    components: dict[str, CostStats]
    per_fill: pd.DataFrame


def _stats(bps: pd.Series, usdt: pd.Series) -> CostStats:
    if bps.empty:
        return CostStats(float("nan"), float("nan"), float("nan"), 0.0)
    return CostStats(float(bps.mean()), float(bps.median()), float(np.percentile(bps, 95)), float(usdt.sum()))


def _mids(touch: pd.DataFrame, times: pd.Series, direction: str) -> pd.Series:
    """The mid of the quote at or after (``forward``) or in force at (``backward``) each time."""
    quotes = touch.assign(mid=(touch["bid"] + touch["ask"]) / 2.0).sort_values("ts_ns")[["ts_ns", "mid"]]
    probe = pd.DataFrame({"ts_ns": times.astype("int64").to_numpy(), "order": np.arange(len(times))}).sort_values("ts_ns")
    found = pd.merge_asof(probe, quotes.astype({"ts_ns": "int64"}), on="ts_ns", direction=direction)
    return found.sort_values("order")["mid"].to_numpy()


def fill_costs(events: pd.DataFrame, schedule: pd.DataFrame, touch: pd.DataFrame) -> pd.DataFrame:
    """One row per fill of a signal that has an arrival quote, with its costs (``FILL_COLUMNS``)."""
    fills = events[(events["kind"] == EventKind.ORDER_FILLED) & events["signal_id"].notna()]
    if fills.empty or touch.empty or schedule.empty:
        return pd.DataFrame(columns=FILL_COLUMNS)
    arrivals = schedule.set_index("signal_id")["ts_ns"]
    frame = fills[["signal_id", "sim_ts_ns", "side", "qty", "price", "fee"]].copy()
    frame["arrival_ns"] = frame["signal_id"].map(arrivals)
    frame = frame[frame["arrival_ns"].notna()]
    frame["arrival_mid"] = _mids(touch, frame["arrival_ns"], "forward")
    frame["fill_mid"] = _mids(touch, frame["sim_ts_ns"], "backward")
    frame = frame[frame["arrival_mid"].notna() & frame["fill_mid"].notna()]
    sign = frame["side"].map(SIDE_SIGN).astype(float)
    price, qty = frame["price"].astype(float), frame["qty"].astype(float)
    arrival = frame["arrival_mid"]
    frame["half_spread_bps"] = sign * (price - frame["fill_mid"]) / arrival * BPS
    frame["delay_bps"] = sign * (frame["fill_mid"] - arrival) / arrival * BPS
    frame["fee_bps"] = frame["fee"].astype(float).fillna(0.0) / (qty * arrival) * BPS
    frame["cost_bps"] = frame[[f"{c}_bps" for c in COMPONENTS]].sum(axis=1)
    frame["cost_usdt"] = frame["cost_bps"] * qty * arrival / BPS
    return frame[FILL_COLUMNS].reset_index(drop=True)


def execution_cost(events: pd.DataFrame, schedule: pd.DataFrame, touch: pd.DataFrame) -> ExecutionCost:
    per_fill = fill_costs(events, schedule, touch)
    all_fills = int((events["kind"] == EventKind.ORDER_FILLED).sum())
    notional = per_fill["qty"].astype(float) * per_fill["arrival_mid"] / BPS
    return ExecutionCost(
        fills=len(per_fill),
        unmeasured=all_fills - len(per_fill),
        total=_stats(per_fill["cost_bps"], per_fill["cost_usdt"]),
        components={c: _stats(per_fill[f"{c}_bps"], per_fill[f"{c}_bps"] * notional) for c in COMPONENTS},
        per_fill=per_fill,
    )
