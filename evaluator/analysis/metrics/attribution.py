"""Where the difference between two columns' net results comes from, over time, in quote currency.

A column's PnL is the sum over its fills of ``s q (M − p) − f`` (side ``s`` = ±1, quantity ``q``,
price ``p``, fee ``f``, ``M`` the last mark). With ``mid(t)`` the mid of the quote in force at ``t``
(one function for every term), each fill splits at its signal's time ``σ``, its order's market time
``d`` and its fill time ``φ``:

    s q (M − p) − f = s q (M − mid(σ))         [holding: the position the signal asked for, held to the end]
                    + s q (mid(σ) − mid(d))    [decision-time price: deciding later than the signal]
                    + s q (mid(d) − mid(φ))    [fill-delay price: filling later than the order]
                    + s q (mid(φ) − p)         [spread: the fill's price against the mid in force]
                    − f                        [fees]

The holding terms are not summed per fill: they are ``Σ_k pos(τ_k) (mid(τ_{k+1}) − mid(τ_k))`` on a
grid ``τ`` of the mark times and every signal time of both columns, ``pos`` the column's position
with each fill moved to its signal's time. Between two columns that is the position difference times
each interval's own move, so a signal one column alone traded, or another quantity, counts only while
the positions differ, not to the end of the run. The grid ends on ``M`` only if the last mark is the
quote the PnL used.

The parts of ``PnL_a − PnL_b`` are each part of ``a`` minus that of ``b``. The remainder is the
difference of the two PnL figures as the trading results computed them, independently, less the
parts: float noise when every part is right, not zero when a fill is lost or a part priced from
another mid.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.accounts import accounts
from evaluator.analysis.metrics.accuracy import SIDE_SIGN
from shared_signals.contract.codes import EventKind
from shared_signals.contract.layout import MARK_INTERVAL

IDENTITY_TOLERANCE = 1e-9
"""The largest remainder, as a share of the notional both columns traded, that float noise explains."""
NO_SIGNAL = ""
"""The signal key of fills without a signal (the close at stop)."""


class Part(StrEnum):
    HOLDING = "holding"
    DECISION_PRICE = "decision_price"
    FILL_DELAY_PRICE = "fill_delay_price"
    SPREAD = "spread"
    FEES = "fees"


@dataclass(frozen=True)
class Mids:
    """``mid(t)``: the mid of the quote in force at ``t`` (before the first quote, the first quote's),
    one function for every part. It reads the run's touch quotes, which hold the quote in force at
    every signal, order and fill time, and its marks: a mark is the last mid of its interval, so the
    quote in force at the interval's last instant, and stands there (the last mark, the very last
    quote's, at its own time: the end of the grid, the mark every PnL figure ends on). Needs a mark."""

    ts_ns: np.ndarray
    mid: np.ndarray
    marks_ns: np.ndarray
    """The grid's mark times: where each mark is the quote in force."""

    @classmethod
    def of(cls, marks: pd.DataFrame, touch: pd.DataFrame) -> Mids:
        ts = marks["ts_ns"].to_numpy(dtype=np.int64)
        ends = np.minimum(ts + pd.Timedelta(MARK_INTERVAL).value - 1, ts[-1])
        quotes = pd.concat([
            pd.DataFrame({"ts_ns": touch["ts_ns"].to_numpy(dtype=np.int64),
                          "mid": (touch["bid"].to_numpy(dtype=float) + touch["ask"].to_numpy(dtype=float)) / 2.0}),
            pd.DataFrame({"ts_ns": ends, "mid": marks["mid"].to_numpy(dtype=float)}),
        ]).sort_values("ts_ns", kind="stable").drop_duplicates("ts_ns", keep="last")
        return cls(quotes["ts_ns"].to_numpy(), quotes["mid"].to_numpy(), ends)

    def at(self, times_ns: np.ndarray) -> np.ndarray:
        index = np.searchsorted(self.ts_ns, np.asarray(times_ns, dtype=np.int64), side="right") - 1
        return self.mid[np.maximum(index, 0)]


def timed_fills(events: pd.DataFrame, schedule: pd.DataFrame, resting: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per fill: signed quantity ``x``, price, fee, and its three times: ``sigma`` (its
    signal's own time; for a fill without a known signal, a barrier's or the run's close, its decision's:
    nothing came before it to decide later than), ``decided`` (the market time of the last order
    submitted for the same signal before it; the fill's without one) and ``filled``.

    ``resting``: the closes (their ``code``) the platform makes by orders resting at its venue, placed
    with the entry and triggered and filled by the venue on one quote: decided at their fill, so the
    price moves while they rested are holding, not a fill delay. (A market close the platform sends in
    place of such an order the venue rejected carries the same code: its wait for its fill is holding
    too, where it is a fill delay.)"""
    rows = events[events["kind"].isin([EventKind.ORDER_SUBMITTED, EventKind.ORDER_FILLED])]
    key = rows["signal_id"].fillna(NO_SIGNAL)
    times = rows["sim_ts_ns"].astype("Int64")  # nullable: nanoseconds since 1970 do not survive a float
    decided = times.where(rows["kind"] == EventKind.ORDER_SUBMITTED).groupby(key).ffill()
    is_fill = rows["kind"] == EventKind.ORDER_FILLED
    fills = rows[is_fill]
    filled = times[is_fill]
    own_time = key[is_fill].map(schedule.set_index("signal_id")["ts_ns"].astype("Int64"))
    decided = decided[is_fill].where(~fills["code"].isin(resting), filled)
    return pd.DataFrame({
        "signal": key[is_fill],
        "x": fills["qty"].astype(float) * fills["side"].map(SIDE_SIGN).astype(float),
        "price": fills["price"].astype(float),
        "fee": fills["fee"].astype(float).fillna(0.0),
        "sigma": own_time.fillna(decided).fillna(filled).astype("int64"),
        "decided": decided.fillna(filled).astype("int64"),
        "filled": filled.astype("int64"),
    }).reset_index(drop=True)


def holding_path(fills: pd.DataFrame, grid_ns: np.ndarray, mids: Mids) -> np.ndarray:
    """Per grid interval ``k``: the position held over it (fills at their signal's time) times its move."""
    order = np.argsort(fills["sigma"].to_numpy(), kind="stable")
    sigma, x = fills["sigma"].to_numpy()[order], fills["x"].to_numpy()[order]
    position = np.concatenate([[0.0], np.cumsum(x)])[np.searchsorted(sigma, grid_ns, side="right")]
    return position[:-1] * np.diff(mids.at(grid_ns))


@dataclass(frozen=True)
class ColumnSplit:
    """One column's PnL by part (fees as what they take: negative), and the fills it rests on."""

    name: str
    parts: dict[Part, float]
    pnl: float
    """Its net PnL, as its trading results computed it."""
    remainder: float
    """``pnl`` less the parts."""
    fills: int
    notional: float


def column_split(name: str, fills: pd.DataFrame, pnl: float, grid_ns: np.ndarray, mids: Mids) -> tuple[ColumnSplit, np.ndarray]:
    """The split of ``pnl``, and its holding part per grid interval."""
    x = fills["x"].to_numpy()
    sigma, decided, filled = (mids.at(fills[c].to_numpy()) for c in ("sigma", "decided", "filled"))
    path = holding_path(fills, grid_ns, mids)
    parts = {
        Part.HOLDING: float(path.sum()),
        Part.DECISION_PRICE: float(x @ (sigma - decided)),
        Part.FILL_DELAY_PRICE: float(x @ (decided - filled)),
        Part.SPREAD: float(x @ (filled - fills["price"].to_numpy())),
        Part.FEES: -float(fills["fee"].sum()),
    }
    notional = float(np.abs(x * fills["price"].to_numpy()).sum())
    return ColumnSplit(name, parts, pnl, pnl - sum(parts.values()), len(fills), notional), path


@dataclass(frozen=True)
class OneSided:
    """Signals only one column traded, by the other column's account of them."""

    traded_by: str
    other_code: str
    """The other column's code for not trading them (:mod:`~evaluator.analysis.metrics.accounts`)."""
    signals: int


@dataclass(frozen=True)
class PnlAttribution:
    first: str
    second: str
    difference: float
    """Net PnL of ``first`` minus that of ``second``, as their trading results computed them."""
    parts: dict[Part, float]
    """Each part's contribution to the difference: ``first``'s minus ``second``'s."""
    columns: tuple[ColumnSplit, ColumnSplit]
    remainder: float
    """The difference less the parts: an identity check."""
    tolerance: float
    """The remainder float noise explains (``IDENTITY_TOLERANCE`` of the notional both traded)."""
    identity_holds: bool
    one_sided: list[OneSided]
    holding: pd.DataFrame = field(repr=False)
    """ts_ns, usdt: the holding part accumulated over the grid's intervals, up to each interval's end."""


def one_sided(names: tuple[str, str], events: tuple[pd.DataFrame, pd.DataFrame],
              fills: tuple[pd.DataFrame, pd.DataFrame]) -> list[OneSided]:
    traded = [set(f["signal"]) - {NO_SIGNAL} for f in fills]
    found = []
    for side in (0, 1):
        alone = sorted(traded[side] - traded[1 - side])
        codes = Counter(a.code for a in accounts(events[1 - side], alone).values())
        found += [OneSided(names[side], code, count) for code, count in sorted(codes.items())]
    return found


def pnl_attribution(
    names: tuple[str, str], events: tuple[pd.DataFrame, pd.DataFrame], mids: Mids, schedule: pd.DataFrame,
    pnl: tuple[float, float], resting: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
) -> PnlAttribution:
    """The parts of ``pnl[0] − pnl[1]`` (each column's net PnL as its trading results computed it);
    ``resting``: each column's closes by resting orders (see :func:`timed_fills`)."""
    fills = tuple(timed_fills(e, schedule, r) for e, r in zip(events, resting, strict=True))
    grid = np.unique(np.concatenate([mids.marks_ns, *(f["sigma"].to_numpy() for f in fills)]))
    (a, path_a), (b, path_b) = (column_split(*column, grid, mids) for column in zip(names, fills, pnl, strict=True))
    parts = {part: a.parts[part] - b.parts[part] for part in Part}
    difference = pnl[0] - pnl[1]
    remainder = difference - sum(parts.values())
    tolerance = IDENTITY_TOLERANCE * (a.notional + b.notional)
    holding = pd.DataFrame({"ts_ns": grid[1:], "usdt": np.cumsum(path_a - path_b)})
    return PnlAttribution(names[0], names[1], difference, parts, (a, b), remainder, tolerance,
                          bool(abs(remainder) <= tolerance), one_sided(names, events, fills), holding)
