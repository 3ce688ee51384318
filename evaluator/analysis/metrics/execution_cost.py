"""Transaction cost analysis, the way an execution desk reads fills.

Every fill of a signal is measured against that signal's *arrival price*: the mid of the first quote
at or after the signal's time, when the shared decision can first be made, the same moment for
every platform. Its cost, in basis points of the arrival mid (positive = paid), splits exactly into

- **half-spread**: side × (fill price − mid in force at the fill), what crossing the book cost;
- **delay**: side × (mid in force at the fill − arrival mid), how far the market moved before the fill;
- **fee**: the venue's fee over the notional at arrival.

A fill with no signal (the close at stop) has no arrival and is left out, and counted.

Each fill also carries the age of the quote it met. A fill on a quote older than
``STALE_QUOTE_SPACINGS`` of the file's quote intervals met the last quote before a gap in the data
(a closed market): a platform that acts on its clock's ticks can fill there, one that acts on quote
arrivals cannot. The count is stated, so a difference it makes is named, not blamed elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.accuracy import SIDE_SIGN
from shared_signals.config import NANOS_PER_MS
from shared_signals.contract.codes import EventKind
from shared_signals.contract.spec import BPS

STALE_QUOTE_SPACINGS = 3
"""A quote older than this many of the file's quote intervals is the last one before a gap."""
COMPONENTS = ("half_spread", "delay", "fee")
"""The parts of a fill's cost, in the order they add up to its total."""
FILL_COLUMNS = ["signal_id", "sim_ts_ns", "side", "qty", "price", "fee", "arrival_ns", "arrival_mid", "fill_mid", "quote_age_ms",
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
    stale_fills: int | None = None
    """Fills on the last quote before a gap; None without the file's quote interval (an older run)."""
    oldest_quote_ms: float = float("nan")
    """The oldest quote a measured fill met."""


def _stats(bps: pd.Series, usdt: pd.Series) -> CostStats:
    if bps.empty:
        return CostStats(float("nan"), float("nan"), float("nan"), 0.0)
    return CostStats(float(bps.mean()), float(bps.median()), float(np.percentile(bps, 95)), float(usdt.sum()))


def _quotes(touch: pd.DataFrame, times: pd.Series, direction: str) -> pd.DataFrame:
    """The quote (its time and mid) at or after (``forward``) or in force at (``backward``) each time."""
    quotes = touch.assign(mid=(touch["bid"] + touch["ask"]) / 2.0, quote_ns=touch["ts_ns"]).sort_values("ts_ns")
    probe = pd.DataFrame({"ts_ns": times.astype("int64").to_numpy(), "order": np.arange(len(times))}).sort_values("ts_ns")
    found = pd.merge_asof(probe, quotes[["ts_ns", "quote_ns", "mid"]].astype({"ts_ns": "int64"}), on="ts_ns", direction=direction)
    return found.sort_values("order")[["quote_ns", "mid"]].reset_index(drop=True)


def fill_costs(events: pd.DataFrame, schedule: pd.DataFrame, touch: pd.DataFrame) -> pd.DataFrame:
    """One row per fill of a signal that has an arrival quote, with its costs (``FILL_COLUMNS``)."""
    fills = events[(events["kind"] == EventKind.ORDER_FILLED) & events["signal_id"].notna()]
    if fills.empty or touch.empty or schedule.empty:
        return pd.DataFrame(columns=FILL_COLUMNS)
    arrivals = schedule.set_index("signal_id")["ts_ns"]
    frame = fills[["signal_id", "sim_ts_ns", "side", "qty", "price", "fee"]].copy()
    frame["arrival_ns"] = frame["signal_id"].map(arrivals)
    frame = frame[frame["arrival_ns"].notna()]
    frame["arrival_mid"] = _quotes(touch, frame["arrival_ns"], "forward")["mid"].to_numpy()
    met = _quotes(touch, frame["sim_ts_ns"], "backward")
    frame["fill_mid"] = met["mid"].to_numpy()
    frame["quote_age_ms"] = (frame["sim_ts_ns"].astype("int64").to_numpy() - met["quote_ns"].to_numpy()) / NANOS_PER_MS
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


def execution_cost(
    events: pd.DataFrame, schedule: pd.DataFrame, touch: pd.DataFrame, quote_spacing_ns: int | None = None
) -> ExecutionCost:
    """``quote_spacing_ns``: the quote file's interval, for the stale-quote count."""
    per_fill = fill_costs(events, schedule, touch)
    ages = per_fill["quote_age_ms"].astype(float)
    stale = None if not quote_spacing_ns else int((ages > STALE_QUOTE_SPACINGS * quote_spacing_ns / NANOS_PER_MS).sum())
    all_fills = int((events["kind"] == EventKind.ORDER_FILLED).sum())
    notional = per_fill["qty"].astype(float) * per_fill["arrival_mid"] / BPS
    return ExecutionCost(
        fills=len(per_fill),
        unmeasured=all_fills - len(per_fill),
        total=_stats(per_fill["cost_bps"], per_fill["cost_usdt"]),
        components={c: _stats(per_fill[f"{c}_bps"], per_fill[f"{c}_bps"] * notional) for c in COMPONENTS},
        per_fill=per_fill,
        stale_fills=stale,
        oldest_quote_ms=float(ages.max()) if len(ages) else float("nan"),
    )
