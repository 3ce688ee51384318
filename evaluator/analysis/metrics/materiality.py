"""What a latency costs a trade: the signal's own alpha decay over the column's delay.

Waiting ``d`` seconds after a signal costs what the market did in the signal's direction meanwhile:

    decay(d) = mean over signals of side × (mid(σ + d) − mid(σ)) / mid(σ), in bps,

with ``σ`` the signal's own time, ``side`` the direction the shared decision took for it (the ideal
reference's trade: one side per signal it traded) and ``mid`` the quote in force. A column's latency
cost is the decay at its delay (``latency_score_delay_s``); positive is a cost, negative a move that
waiting happened to catch. Two columns' difference is paired by signal, side × (mid(σ + d_a) −
mid(σ + d_b)) / mid(σ): equal delays differ by exactly 0.

The mid's expected *absolute* move over ``d``, σ_mid·√d·√(2/π) (a random walk's, σ_mid from the run's
1-minute marks), is what a delay risks, in either direction: shown beside the cost, never scored.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shared_signals.config import MS_PER_SECOND, NANOS_PER_SECOND
from shared_signals.contract.spec import BPS

MEAN_ABS_OF_UNIT_NORMAL = math.sqrt(2.0 / math.pi)


def latency_score_delay_s(latencies: pd.DataFrame, live: bool = False) -> float:
    """The delay a column's latency is scored at, in seconds of real time: in a replay the median signal
    → fill market time (``signal_latencies``' ``market_to_fill_ms``: the replay's clock is the market's);
    in a live run the median real-time delay from the signal's scheduled availability to its fill
    (``real_to_fill_ms``), so an accelerated run is scored at what its platform takes on the wall clock,
    not at that times the speed (a live run at ``--speed max`` has no schedule: its market time then).
    NaN with no fill. The one place that says which delay counts."""
    real = latencies["real_to_fill_ms"].dropna() if live and "real_to_fill_ms" in latencies else pd.Series(dtype=float)
    delays = real if len(real) else latencies["market_to_fill_ms"].dropna()
    return float(delays.median()) / MS_PER_SECOND if len(delays) else math.nan


def delay_ns(delay_s: float) -> int:
    """A delay in whole nanoseconds, the market clock's unit."""
    return round(delay_s * NANOS_PER_SECOND)


def decay_probes_ns(signal_ns: np.ndarray, delays_s: Iterable[float]) -> np.ndarray:
    """The times whose quote in force the decay reads: each signal's time, and that plus each delay
    (the run's ``touch`` quotes must hold them)."""
    signal_ns = np.asarray(signal_ns, dtype=np.int64)
    shifts = [0, *(delay_ns(d) for d in delays_s if not math.isnan(d))]
    return np.concatenate([signal_ns + shift for shift in shifts])


@dataclass(frozen=True)
class AlphaDecay:
    """The signals the decay is averaged over and the quotes it reads."""

    signals: pd.DataFrame
    """signal_id, ts_ns (σ), side (+1 buy, −1 sell), mid (in force at σ): signals with a quote by then."""
    quotes: pd.DataFrame
    """ts_ns, mid, in time order."""

    @property
    def count(self) -> int:
        return len(self.signals)

    def mid_after(self, delay_s: float) -> np.ndarray:
        """Per signal, the mid in force ``delay_s`` after its time."""
        times = self.signals["ts_ns"].to_numpy(dtype=np.int64) + delay_ns(delay_s)
        at = np.searchsorted(self.quotes["ts_ns"].to_numpy(dtype=np.int64), times, side="right") - 1
        return self.quotes["mid"].to_numpy(dtype=float)[at]

    def moves_bps(self, delay_s: float) -> np.ndarray:
        """Per signal, side × (mid(σ + d) − mid(σ)) / mid(σ) in bps; empty for a NaN delay."""
        return self.between_bps(delay_s, 0.0)

    def between_bps(self, delay_s: float, other_s: float) -> np.ndarray:
        """Per signal, side × (mid(σ + d) − mid(σ + d_other)) / mid(σ) in bps: two delays' paired difference."""
        if math.isnan(delay_s) or math.isnan(other_s) or not self.count:
            return np.array([], dtype=float)
        side, mid = self.signals["side"].to_numpy(dtype=float), self.signals["mid"].to_numpy(dtype=float)
        return side * (self.mid_after(delay_s) - self.mid_after(other_s)) / mid * BPS

    def cost_bps(self, delay_s: float) -> float:
        """decay(d): the mean move against a trade that waits ``delay_s``; NaN with no signal or delay."""
        moves = self.moves_bps(delay_s)
        return float(moves.mean()) if len(moves) else math.nan


def alpha_decay(ideal: pd.DataFrame | None, schedule: pd.DataFrame, touch: pd.DataFrame) -> AlphaDecay:
    """The decay over the signals the ideal reference traded (its first trade's side for each), at
    their scheduled times, on the run's touch quotes; none without the reference or quotes."""
    quotes = pd.DataFrame({"ts_ns": touch["ts_ns"].astype("int64"), "mid": (touch["bid"] + touch["ask"]) / 2.0})
    quotes = quotes.sort_values("ts_ns", kind="stable").reset_index(drop=True)
    empty = pd.DataFrame({"signal_id": pd.Series(dtype="string"), "ts_ns": pd.Series(dtype="int64"),
                          "side": pd.Series(dtype=float), "mid": pd.Series(dtype=float)})
    if ideal is None or ideal.empty or schedule.empty or quotes.empty:
        return AlphaDecay(empty, quotes)
    sides = ideal.groupby("signal_id", sort=False)["side"].first()
    times = schedule.drop_duplicates("signal_id").set_index("signal_id")["ts_ns"]
    signals = pd.DataFrame({"signal_id": sides.index, "side": sides.to_numpy(dtype=float)})
    signals["ts_ns"] = signals["signal_id"].map(times)
    signals = signals[signals["ts_ns"].notna() & (signals["side"] != 0)].astype({"ts_ns": "int64"})
    at = np.searchsorted(quotes["ts_ns"].to_numpy(dtype=np.int64), signals["ts_ns"].to_numpy(), side="right") - 1
    signals = signals[at >= 0].assign(mid=quotes["mid"].to_numpy(dtype=float)[at[at >= 0]])
    return AlphaDecay(signals.sort_values("ts_ns", kind="stable").reset_index(drop=True)[list(empty.columns)], quotes)


def volatility_bps_per_sqrt_s(marks: pd.DataFrame) -> float:
    """The mid's volatility in bps per √second, from consecutive marks' log returns scaled by their
    spacing; NaN with fewer than three marks."""
    if len(marks) < 3:
        return float("nan")
    ts = marks["ts_ns"].to_numpy(dtype="int64")
    mid = marks["mid"].to_numpy(dtype=float)
    seconds = np.diff(ts) / NANOS_PER_SECOND
    returns = np.diff(np.log(mid))
    usable = seconds > 0
    if usable.sum() < 2:
        return float("nan")
    per_sqrt_s = returns[usable] / np.sqrt(seconds[usable])
    return float(np.sqrt(np.mean(per_sqrt_s**2)) * BPS)


def expected_abs_move_bps(delay_s: float | np.ndarray, volatility: float) -> float | np.ndarray:
    """The risk of a delay, not its cost: the mid's expected absolute move, in bps, over ``delay_s``
    seconds (element-wise for an array); NaN in, NaN out."""
    return volatility * np.sqrt(np.maximum(delay_s, 0.0)) * MEAN_ABS_OF_UNIT_NORMAL
