"""The signal contract: column names, the derivation of optional columns, and the per-row record."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import pandas as pd

from shared_signals.config import LoaderParams, RegimeParams, SideParams
from shared_signals.probability import prob_up
from shared_signals.regime import past_rank, vol_regime

REQUIRED_COLUMNS = ("q10", "q50", "q90")
OPTIONAL_COLUMNS = (
    "prob_up",
    "side",
    "vol_risk",
    "tier_confidence",
    "fg_index",
    "vol_scaled",
    "signal_rel",
    "regime_volatility",
)
NUMERIC_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS[:-1]
VALUE_RANGES = {
    "prob_up": (0.0, 1.0),
    "tier_confidence": (0.0, 10.0),
    "fg_index": (0.0, 100.0),
    "vol_risk": (0.0, np.inf),
    "vol_scaled": (0.0, np.inf),
}


class SignalSide(IntEnum):
    """A signal's ``side`` column as the seeds encode it (not an order's side: see ``OrderSide``)."""

    BUY = 1
    SELL = 0
    HOLD = -1

NEUTRAL_FEAR_GREED = 50.0
NORMAL_Z_90 = 1.2815515655446004
"""q90 - q10 of a normal distribution spans 2 * 1.2816 standard deviations."""


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal row as the decision function sees it."""

    signal_id: str
    ts_ns: int
    q10: float
    q50: float
    q90: float
    prob_up: float
    side: SignalSide
    vol_risk: float
    tier_confidence: float
    fg_index: float
    vol_scaled: float
    signal_rel: float
    regime_volatility: str
    vol_decile: int


def derive_side(q10, q50, q90, params: SideParams = SideParams()):
    """1 (buy) when q50 > 0 and |q50| is at least ``min_strength_ratio`` of the spread, 0 (sell) for
    the mirror case, -1 (hold) otherwise."""
    q10, q50, q90 = (np.asarray(x, dtype=float) for x in (q10, q50, q90))
    strong = np.abs(q50) >= params.min_strength_ratio * (q90 - q10)
    return np.where(strong & (q50 > 0), SignalSide.BUY, np.where(strong & (q50 < 0), SignalSide.SELL, SignalSide.HOLD))


def derive_columns(
    frame: pd.DataFrame,
    side_params: SideParams = SideParams(),
    regime_params: RegimeParams = RegimeParams(),
    loader_params: LoaderParams = LoaderParams(),
) -> pd.DataFrame:
    """Fills every absent optional column from the quantiles (past rows only) and adds ``vol_decile``.

    Rules, in order: ``prob_up`` by seed 002's piecewise rule; ``side`` by :func:`derive_side`;
    ``vol_risk`` as the variance implied by the 10-90 spread of a normal; ``tier_confidence`` as
    10 * |2 prob_up - 1|; ``fg_index`` 50 (no information); ``vol_scaled`` the rank of vol_risk among
    the last ``vol_decile_window`` rows; ``signal_rel`` = |q50| / spread - min_strength_ratio;
    ``regime_volatility`` from vol_scaled by seed 002's cuts.
    """
    out = frame.copy()
    q10, q50, q90 = (out[c].to_numpy(dtype=float) for c in REQUIRED_COLUMNS)
    spread = q90 - q10
    if "prob_up" not in out:
        out["prob_up"] = prob_up(q10, q50, q90)
    if "side" not in out:
        out["side"] = derive_side(q10, q50, q90, side_params)
    if "vol_risk" not in out:
        out["vol_risk"] = (spread / (2.0 * NORMAL_Z_90)) ** 2
    if "tier_confidence" not in out:
        out["tier_confidence"] = 10.0 * np.abs(2.0 * out["prob_up"].to_numpy(dtype=float) - 1.0)
    if "fg_index" not in out:
        out["fg_index"] = NEUTRAL_FEAR_GREED
    rank = past_rank(out["vol_risk"].astype(float), loader_params.vol_decile_window)
    if "vol_scaled" not in out:
        out["vol_scaled"] = rank.to_numpy()
    if "signal_rel" not in out:
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(spread > 0, np.abs(q50) / spread, 0.0) - side_params.min_strength_ratio
        out["signal_rel"] = rel
    if "regime_volatility" not in out:
        out["regime_volatility"] = vol_regime(out["vol_scaled"].to_numpy(dtype=float), regime_params.vol_thresholds)
    out["vol_decile"] = np.minimum((rank.to_numpy() * 10).astype(int), 9)
    out["side"] = out["side"].astype(int)
    out["regime_volatility"] = out["regime_volatility"].astype(str)
    return out
