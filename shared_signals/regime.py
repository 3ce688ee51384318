"""Regime detector: RSI(14), MACD(12, 26, 9), realised-volatility regime and fear/greed extremes.

All indicators use only the past: each value at bar t depends on bars <= t.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from shared_signals.config import RegimeParams

VOL_REGIMES = ("low", "medium", "high", "extreme")


def rsi(close: pd.Series, period: int = 14) -> pd.Series:
    """Wilder's RSI: 100 - 100 / (1 + avg_gain / avg_loss), smoothed with alpha = 1/period."""
    delta = close.diff()
    gain = delta.clip(lower=0.0).ewm(alpha=1.0 / period, adjust=False, min_periods=period).mean()
    loss = (-delta.clip(upper=0.0)).ewm(alpha=1.0 / period, adjust=False, min_periods=period).mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 - 100.0 / (1.0 + gain / loss)
    value = value.where(loss != 0, 100.0).where(gain.notna())
    return value.rename("rsi")


@dataclass(frozen=True)
class Macd:
    macd: pd.Series
    signal: pd.Series
    histogram: pd.Series


def macd(close: pd.Series, fast: int = 12, slow: int = 26, signal: int = 9) -> Macd:
    """MACD line (EMA fast - EMA slow), its signal line (EMA of MACD) and the histogram."""
    line = close.ewm(span=fast, adjust=False).mean() - close.ewm(span=slow, adjust=False).mean()
    signal_line = line.ewm(span=signal, adjust=False).mean()
    return Macd(line, signal_line, line - signal_line)


def realised_volatility(close: pd.Series, window: int) -> pd.Series:
    """Standard deviation of log returns over the last ``window`` bars."""
    return np.log(close).diff().rolling(window, min_periods=max(2, window // 2)).std()


def vol_regime(vol_scaled, thresholds: tuple[float, float, float] = RegimeParams().vol_thresholds):
    """Seed 002 cuts on ``vol_scaled`` (a 0-1 volatility rank): low, medium, high, extreme."""
    codes = np.searchsorted(np.asarray(thresholds), np.asarray(vol_scaled, dtype=float), side="right")
    labels = np.asarray(VOL_REGIMES, dtype=object)[codes]
    return labels if np.ndim(labels) else str(labels)


def fear_greed_state(fg_index: float, params: RegimeParams = RegimeParams()) -> str:
    """``extreme_fear`` below 20, ``extreme_greed`` above 80, else ``neutral`` (seed 002)."""
    if fg_index < params.extreme_fear:
        return "extreme_fear"
    if fg_index > params.extreme_greed:
        return "extreme_greed"
    return "neutral"


def past_rank(values: pd.Series, window: int) -> pd.Series:
    """Percentile rank (0-1] of each value among itself and the ``window - 1`` values before it."""
    return values.rolling(window, min_periods=1).rank(pct=True)


@dataclass(frozen=True)
class RegimeFrame:
    """Indicators of one price series, bar by bar."""

    rsi: pd.Series
    macd: Macd
    realised_vol: pd.Series
    vol_scaled: pd.Series
    vol_regime: pd.Series


def detect(close: pd.Series, params: RegimeParams = RegimeParams(), rank_window: int = 500) -> RegimeFrame:
    """All regime indicators for a close-price series."""
    vol = realised_volatility(close, params.vol_window)
    scaled = past_rank(vol, rank_window)
    regimes = pd.Series(vol_regime(scaled.fillna(0.5).to_numpy(), params.vol_thresholds), index=close.index)
    return RegimeFrame(
        rsi=rsi(close, params.rsi_period),
        macd=macd(close, params.macd_fast, params.macd_slow, params.macd_signal),
        realised_vol=vol,
        vol_scaled=scaled,
        vol_regime=regimes,
    )
