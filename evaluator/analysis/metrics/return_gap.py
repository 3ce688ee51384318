"""Each column's return before fees, split by signal, against the ideal reference's: the units the
trading-results difference is resampled over.

The trading-results score reads ``|gross return − the ideal reference's|``. A difference between two
columns' scores must rest on every trade behind those returns, the signals one column alone traded
included: a closed-market fill and what it held afterwards are the whole difference on gapped quotes.
So the gross PnL (holding + decision-time + fill-delay + spread of
:mod:`~evaluator.analysis.metrics.attribution`, fees left out) is split by **signal period**: from a
signal's time to the next signal's, the holding made over it and the price parts of the fills the
signal asked for. Summed over the periods it is the column's gross PnL, whichever signals it traded;
resampling periods with the three columns kept together (a, b and the ideal reference) keeps what a
period shares on all of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.attribution import Mids, holding_path, timed_fills
from shared_signals.contract.spec import BPS


def period_starts(schedule: pd.DataFrame, mids: Mids) -> np.ndarray:
    """The signal times that open a period: those within the run's marks (a live run reaches only part
    of its file; a signal after its end is no unit of it), one per time."""
    times = np.unique(schedule["ts_ns"].to_numpy(dtype=np.int64))
    return times[times <= mids.marks_ns[-1]]


def gross_by_period(events: pd.DataFrame, schedule: pd.DataFrame, mids: Mids, starts: np.ndarray,
                    resting: tuple[str, ...] = ()) -> np.ndarray:
    """Per period, the column's PnL before fees made in it, in quote currency, each fill timed as the
    attribution times it (``resting``: the column's closes by resting orders, see ``timed_fills``). What
    precedes the first signal (a position is flat there) counts to the first period."""
    fills = timed_fills(events, schedule, resting)
    grid = np.unique(np.concatenate([mids.marks_ns, starts, fills["sigma"].to_numpy()]))
    held = holding_path(fills, grid, mids)
    x = fills["x"].to_numpy()
    priced = x * (mids.at(fills["sigma"].to_numpy()) - fills["price"].to_numpy())
    per = np.zeros(len(starts))
    np.add.at(per, _period(starts, grid[:-1]), held)
    np.add.at(per, _period(starts, fills["sigma"].to_numpy()), priced)
    return per


def _period(starts: np.ndarray, times_ns: np.ndarray) -> np.ndarray:
    return np.maximum(np.searchsorted(starts, times_ns, side="right") - 1, 0)


def gaps_by_period(columns: tuple[pd.DataFrame, ...], ideal: pd.DataFrame, schedule: pd.DataFrame, mids: Mids,
                   capital: float, resting: tuple[tuple[str, ...], ...] | None = None) -> tuple[np.ndarray, ...]:
    """Per column, its gross PnL less the ideal reference's in each period, in bps of capital (no
    period: no signal within the marks)."""
    starts = period_starts(schedule, mids)
    if not len(starts):
        return tuple(np.zeros(0) for _ in columns)
    target = gross_by_period(ideal, schedule, mids, starts)
    resting = resting or tuple(() for _ in columns)
    return tuple(BPS * (gross_by_period(e, schedule, mids, starts, r) - target) / capital
                 for e, r in zip(columns, resting, strict=True))
