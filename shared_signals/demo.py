"""Deterministic demo data: BTCUSDT 1 s quotes and 5 min quantile signals, so everything runs with
no user data. Same parameters and seed → byte-identical files.

The quotes are a geometric random walk whose volatility switches each hour between calm, normal
and stormy. The signals are **demo signals, not alpha**: at each bar close, q50 is the EWMA of past
bar log returns (momentum) and q10/q90 are q50 ∓ 1.2816 × the rolling standard deviation of past
bar returns, i.e. the 10/90% quantiles of a normal. Only bars already closed are used.

With ``gaps`` the quotes have holes like a real export's: a weekend close (Friday 21:00 to Sunday
22:00 UTC, as FX and futures data have) and random outages (seeded), through which the price walks on
unseen; a signal bar that holds quotes before a gap still closes, on the last quote before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from shared_signals.config import LoaderParams, RegimeParams, SideParams
from shared_signals.quotes import ROW_GROUP_ROWS
from shared_signals.regime import detect
from shared_signals.schema import NEUTRAL_FEAR_GREED, NORMAL_Z_90, derive_columns
from shared_signals.errors import InputError
from shared_signals.instruments import DEFAULT_INSTRUMENT
from shared_signals.ranges import bounded, check_fields

SECONDS_PER_DAY = 86_400
PRICE_DECIMALS = 2
SIZE_DECIMALS = 6
WEEKEND_CLOSE = (4, 21)
"""Friday (weekday 4), 21:00 UTC: the weekend gap starts."""
WEEKEND_OPEN = (6, 22)
"""Sunday, 22:00 UTC: quotes again."""
OUTAGES_PER_DAY = 0.2
OUTAGE_HOURS = (1.0, 12.0)
"""Random outages: on average one every five days, each 1 to 12 hours long."""


@dataclass(frozen=True)
class DemoParams:
    """The shape of the demo data: the demo day by default; hourly signals over 15-minute or 1-minute
    quotes for years, like a qlib user's, with other values."""

    hours: float = bounded(24.0, gt=0)
    seed: int = bounded(7, ge=0, integer=True)
    start: str = "2025-01-06T00:00:00Z"
    instrument: str = DEFAULT_INSTRUMENT
    quote_interval_s: int = bounded(1, ge=1, integer=True)
    """Seconds between quotes."""
    bar_minutes: int = bounded(5, ge=1, integer=True)
    """The signal bar: one signal row at each bar close, from the quotes of closed bars only."""
    start_price: float = 60_000.0
    daily_vol: float = 0.03
    vol_regime_multipliers: tuple[float, ...] = (0.5, 1.0, 2.0)
    spread_bps: float = 1.0
    mean_size: float = 0.5
    momentum_span: int = 6
    vol_window: int = 24
    min_bars: int = 6
    gaps: bool = False
    """Weekend closes and random outages in the quotes (see the module's notes)."""

    def __post_init__(self) -> None:
        check_fields(self)
        if self.bar_minutes * 60 < self.quote_interval_s:
            raise InputError(
                f"the signal bar ({self.bar_minutes} min) is shorter than the quote interval ({self.quote_interval_s} s)"
            )


@dataclass(frozen=True)
class DemoFiles:
    quotes: Path
    signals: Path


def demo_quotes(params: DemoParams = DemoParams()) -> pd.DataFrame:
    """Top-of-book quotes, one every ``quote_interval_s`` seconds, with a ``timestamp`` column."""
    rng = np.random.default_rng(params.seed)
    n = int(params.hours * 3600 / params.quote_interval_s)
    start = pd.Timestamp(params.start)
    seconds = np.arange(n) * params.quote_interval_s
    hour = seconds // 3600
    regimes = rng.choice(params.vol_regime_multipliers, size=int(hour.max()) + 1)
    step_vol = params.daily_vol * np.sqrt(params.quote_interval_s / SECONDS_PER_DAY) * regimes[hour]
    log_mid = np.log(params.start_price) + np.cumsum(rng.standard_normal(n) * step_vol)
    mid = np.exp(log_mid)
    half_spread = mid * params.spread_bps / 1e4 * (0.5 + 0.5 * rng.random(n)) / 2.0
    tick = 10.0**-PRICE_DECIMALS
    bid = np.round(mid - half_spread, PRICE_DECIMALS)
    ask = np.maximum(np.round(mid + half_spread, PRICE_DECIMALS), bid + tick)
    sizes = np.round(rng.lognormal(np.log(params.mean_size), 0.5, size=(2, n)), SIZE_DECIMALS) + 10.0**-3
    quotes = pd.DataFrame(
        {
            "timestamp": start + pd.to_timedelta(seconds, unit="s"),
            "bid_price": bid,
            "ask_price": np.round(ask, PRICE_DECIMALS),
            "bid_size": sizes[0],
            "ask_size": sizes[1],
        }
    )
    return quotes[open_market(quotes["timestamp"], params, rng)].reset_index(drop=True) if params.gaps else quotes


def open_market(times: pd.Series, params: DemoParams, rng: np.random.Generator) -> np.ndarray:
    """Which quote times are outside the weekend close and the random outages."""
    stamp = pd.DatetimeIndex(times)
    week_hour = stamp.weekday * 24 + stamp.hour
    closed = (week_hour >= WEEKEND_CLOSE[0] * 24 + WEEKEND_CLOSE[1]) & (week_hour < WEEKEND_OPEN[0] * 24 + WEEKEND_OPEN[1])
    seconds = (stamp - stamp[0]).total_seconds().to_numpy()
    outages = rng.poisson(OUTAGES_PER_DAY * params.hours / 24)
    starts = rng.uniform(0, params.hours * 3600, size=outages)
    lengths = rng.uniform(*OUTAGE_HOURS, size=outages) * 3600
    for begin, length in zip(starts, lengths, strict=True):
        closed |= (seconds >= begin) & (seconds < begin + length)
    return ~np.asarray(closed)


def demo_signals(quotes: pd.DataFrame, params: DemoParams = DemoParams()) -> pd.DataFrame:
    """Quantile signals at each bar close, from quotes at or before that close only."""
    mid = pd.Series(
        ((quotes["bid_price"] + quotes["ask_price"]) / 2.0).to_numpy(), index=pd.DatetimeIndex(quotes["timestamp"])
    )
    close = mid.resample(f"{params.bar_minutes}min", label="right", closed="right").last().dropna()
    close = close[close.index <= mid.index[-1]]
    returns = np.log(close).diff()
    q50 = returns.ewm(span=params.momentum_span, min_periods=params.min_bars).mean()
    sigma = returns.rolling(params.vol_window, min_periods=params.min_bars).std()
    regime = detect(close, RegimeParams(), rank_window=LoaderParams().vol_decile_window)
    frame = pd.DataFrame(
        {
            "q10": q50 - NORMAL_Z_90 * sigma,
            "q50": q50,
            "q90": q50 + NORMAL_Z_90 * sigma,
            "fg_index": regime.rsi.fillna(NEUTRAL_FEAR_GREED),
            "vol_scaled": regime.vol_scaled,
            "regime_volatility": regime.vol_regime,
        },
        index=close.index,
    ).dropna()
    frame = derive_columns(frame, SideParams(), RegimeParams(), LoaderParams()).drop(columns=["vol_decile"])
    frame.insert(0, "instrument", params.instrument)
    frame.insert(1, "datetime", frame.index)
    return frame.reset_index(drop=True)


def write_demo(out_dir: str | Path, params: DemoParams = DemoParams()) -> DemoFiles:
    """Writes ``quotes.parquet`` and ``signals.parquet`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    quotes = demo_quotes(params)
    signals = demo_signals(quotes, params)
    files = DemoFiles(out / "quotes.parquet", out / "signals.parquet")
    quotes.to_parquet(files.quotes, index=False, row_group_size=ROW_GROUP_ROWS)
    signals.to_parquet(files.signals, index=False)
    return files
