"""Transaction cost analysis, the way an execution desk reads fills.

Every fill of a signal is measured against that signal's *arrival price*, the market when the shared
decision can first be made, the same moment for every platform: the mid of the quote in force at the
signal's time, or, when none is in force then, of the first quote at or after it if that quote comes
within one spacing of the signal's time. A quote is in force from its time until its successor is
due, one spacing of the quote file later (the risk gate's default limit). An arrival is never after
the fill: a fill with no usable arrival (its signal came in a closed market that reopened later than
one spacing after it) or whose arrival quote comes after the fill is left out and counted unmeasured,
never priced against the market that followed it. Its cost, in basis points of the arrival mid
(positive = paid), splits exactly into

- **half-spread**: side × (fill price − mid in force at the fill), what crossing the book cost;
- **delay**: side × (mid in force at the fill − arrival mid), how far the market moved before the fill;
- **fee**: the venue's fee over the notional at arrival.

A fill with no signal (the close at stop) has no arrival and is left out, and counted.

**Fills into a closed market** look forward: a fill whose quote (the one in force at the fill) is
followed by the next quote more than ``GAP_SPACINGS`` spacings later, made once that quote's successor
was due (the quote is one spacing old or older at the fill). A platform that acts on its clock's ticks
can fill there, on the last quote before the gap; one that acts on quote arrivals cannot. A fill on a
fresh quote just before the market closes is an ordinary fill, on every platform alike. The fills are
named (signal, time, how long after the fill the next quote came), so a difference they make is
stated, not blamed elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.accuracy import SIDE_SIGN
from shared_signals.contract.codes import EventKind
from shared_signals.contract.spec import BPS

GAP_SPACINGS = 1.5
"""A quote followed by the next one more than this many of the file's spacings later is the last
before a gap: jitter in a quote file stays below it, a missed quote or a closed market does not."""
COMPONENTS = ("half_spread", "delay", "fee")
"""The parts of a fill's cost, in the order they add up to its total."""
FILL_COLUMNS = ["signal_id", "sim_ts_ns", "side", "qty", "price", "fee", "arrival_ns", "arrival_quote_ns", "arrival_mid",
                "fill_mid", *(f"{c}_bps" for c in COMPONENTS), "cost_bps", "cost_usdt"]


@dataclass(frozen=True)
class CostStats:
    mean_bps: float
    median_bps: float
    p95_bps: float
    total_usdt: float


@dataclass(frozen=True)
class GapFills:
    """The fills into a closed market (see the module's notes), in journal order."""

    signal_ids: tuple[str | None, ...]
    """Each fill's signal (None: the close at stop)."""
    fill_ns: tuple[int, ...]
    quote_ns: tuple[int, ...]
    """The quote each one filled on: the last before the gap."""
    next_quote_ns: tuple[int, ...]
    """When the market reopened: the first quote after each fill."""

    @property
    def count(self) -> int:
        return len(self.fill_ns)

    @property
    def gaps_ns(self) -> tuple[int, ...]:
        """Each gap: from the quote the fill used to the next quote."""
        return tuple(n - q for n, q in zip(self.next_quote_ns, self.quote_ns, strict=True))


@dataclass(frozen=True)
class ExecutionCost:
    fills: int
    """Fills measured (those of a signal with an arrival at or before them)."""
    unmeasured: int
    """Fills left out: no signal (the close at stop), no usable arrival, or an arrival after the fill."""
    total: CostStats
    components: dict[str, CostStats]
    per_fill: pd.DataFrame
    gap_fills: GapFills | None = None
    """Fills into a closed market; None without the file's quote spacing (a file of one quote)."""


def _stats(bps: pd.Series, usdt: pd.Series) -> CostStats:
    if bps.empty:
        return CostStats(float("nan"), float("nan"), float("nan"), 0.0)
    return CostStats(float(bps.mean()), float(bps.median()), float(np.percentile(bps, 95)), float(usdt.sum()))


class _Book:
    """The touch quotes as sorted arrays: which quote is in force at a time, which comes next. Times
    stay integers (a float of epoch nanoseconds is only good to 256 ns)."""

    def __init__(self, touch: pd.DataFrame) -> None:
        quotes = touch.sort_values("ts_ns")
        self.ts = quotes["ts_ns"].to_numpy(dtype="int64")
        self.mid = ((quotes["bid"] + quotes["ask"]) / 2.0).to_numpy(dtype=float)

    def in_force(self, times: np.ndarray) -> np.ndarray:
        """The index of the quote in force at each time (the last at or before it); -1 before the first."""
        return np.searchsorted(self.ts, times, side="right") - 1

    def next_after(self, times: np.ndarray) -> np.ndarray:
        """The index of the first quote after each time; ``len`` after the last."""
        return np.searchsorted(self.ts, times, side="right")

    def at_or_after(self, times: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.ts, times, side="left")

    def known(self, index: np.ndarray) -> np.ndarray:
        return (index >= 0) & (index < self.ts.size)

    def time(self, index: np.ndarray) -> np.ndarray:
        """The time of each quote ``index`` (of the nearest quote where it is none: mask with :meth:`known`)."""
        return self.ts[index.clip(0, self.ts.size - 1)]


def arrivals(book: _Book, times: np.ndarray, spacing_ns: int) -> np.ndarray:
    """Each signal time's arrival quote (an index of ``book``, -1 when none is usable): the one in force
    at it (younger than ``spacing_ns``), else the first at or after it within ``spacing_ns``.
    ``spacing_ns`` 0 (a file of one quote): that quote is in force from its time on."""
    in_force, following = book.in_force(times), book.at_or_after(times)
    fresh = book.known(in_force) & ((spacing_ns <= 0) | (times - book.time(in_force) < spacing_ns))
    soon = book.known(following) & (book.time(following) - times <= spacing_ns)
    return np.where(fresh, in_force, np.where(soon, following, -1))


def fill_costs(events: pd.DataFrame, schedule: pd.DataFrame, touch: pd.DataFrame, spacing_ns: int) -> pd.DataFrame:
    """One row per fill of a signal with an arrival at or before it, with its costs (``FILL_COLUMNS``)."""
    fills = events[(events["kind"] == EventKind.ORDER_FILLED) & events["signal_id"].notna()]
    if fills.empty or touch.empty or schedule.empty:
        return pd.DataFrame(columns=FILL_COLUMNS)
    signal_times = schedule.set_index("signal_id")["ts_ns"]
    frame = fills[["signal_id", "sim_ts_ns", "side", "qty", "price", "fee"]].copy()
    frame["arrival_ns"] = frame["signal_id"].map(signal_times)
    frame = frame[frame["arrival_ns"].notna()].astype({"arrival_ns": "int64", "sim_ts_ns": "int64"})
    book = _Book(touch)
    arrival, met = arrivals(book, frame["arrival_ns"].to_numpy(), spacing_ns), book.in_force(frame["sim_ts_ns"].to_numpy())
    usable = (arrival >= 0) & (met >= 0)
    arrival, met = arrival[usable], met[usable]
    frame = frame[usable].assign(arrival_quote_ns=book.ts[arrival], arrival_mid=book.mid[arrival], fill_mid=book.mid[met])
    frame = frame[frame["arrival_quote_ns"] <= frame["sim_ts_ns"]].copy()  # never priced against a later market
    sign = frame["side"].map(SIDE_SIGN).astype(float)
    price, qty = frame["price"].astype(float), frame["qty"].astype(float)
    arrival_mid = frame["arrival_mid"]
    frame["half_spread_bps"] = sign * (price - frame["fill_mid"]) / arrival_mid * BPS
    frame["delay_bps"] = sign * (frame["fill_mid"] - arrival_mid) / arrival_mid * BPS
    frame["fee_bps"] = frame["fee"].astype(float).fillna(0.0) / (qty * arrival_mid) * BPS
    frame["cost_bps"] = frame[[f"{c}_bps" for c in COMPONENTS]].sum(axis=1)
    frame["cost_usdt"] = frame["cost_bps"] * qty * arrival_mid / BPS
    return frame[FILL_COLUMNS].reset_index(drop=True)


def gap_fills(events: pd.DataFrame, touch: pd.DataFrame, spacing_ns: int) -> GapFills | None:
    """The fills into a closed market (see the module's notes); None without a spacing."""
    if spacing_ns <= 0:
        return None
    fills = events[events["kind"] == EventKind.ORDER_FILLED]
    book = _Book(touch)
    if fills.empty or not book.ts.size:
        return GapFills((), (), (), ())
    at = fills["sim_ts_ns"].to_numpy(dtype="int64")
    quote, following = book.in_force(at), book.next_after(at)
    quote_ns, next_ns = book.time(quote), book.time(following)
    into = (book.known(quote) & book.known(following) & (at - quote_ns >= spacing_ns)
            & (next_ns - quote_ns > GAP_SPACINGS * spacing_ns))
    ids = [None if pd.isna(i) else str(i) for i in fills["signal_id"].to_numpy()[into]]
    return GapFills(tuple(ids), tuple(at[into].tolist()), tuple(quote_ns[into].tolist()), tuple(next_ns[into].tolist()))


def execution_cost(events: pd.DataFrame, schedule: pd.DataFrame, touch: pd.DataFrame, quote_spacing_ns: int) -> ExecutionCost:
    """``quote_spacing_ns``: the quote file's spacing (``inputs.json``), for the arrivals and the fills
    into a closed market."""
    per_fill = fill_costs(events, schedule, touch, quote_spacing_ns)
    all_fills = int((events["kind"] == EventKind.ORDER_FILLED).sum())
    notional = per_fill["qty"].astype(float) * per_fill["arrival_mid"] / BPS
    return ExecutionCost(
        fills=len(per_fill),
        unmeasured=all_fills - len(per_fill),
        total=_stats(per_fill["cost_bps"], per_fill["cost_usdt"]),
        components={c: _stats(per_fill[f"{c}_bps"], per_fill[f"{c}_bps"] * notional) for c in COMPONENTS},
        per_fill=per_fill,
        gap_fills=gap_fills(events, touch, quote_spacing_ns),
    )
