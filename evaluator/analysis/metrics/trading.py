"""Trading results from fills and a mark-price series: PnL, return, Sharpe, max drawdown, trades, fees.

Equity(t) = capital + cash flows of fills up to t − fees + position(t) × mark(t), on the marks'
grid (1-minute mids of the quotes). Sharpe uses hourly equity returns annualised by sqrt(24 × 365);
it is undefined (NaN) with fewer than two hourly returns or no variation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluator.analysis.metrics.accuracy import SIDE_SIGN
from shared_signals.config import NANOS_PER_HOUR
from shared_signals.contract.codes import EventKind

HOURS_PER_YEAR = 24 * 365


@dataclass(frozen=True)
class TradingResults:
    pnl: float
    return_pct: float
    gross_return_pct: float
    """Return before fees: the part the platform's execution decides."""
    sharpe: float
    max_drawdown_pct: float
    trades: int
    """Filled orders: fills of one signal count once (a venue may split an order), as does each
    fill with no signal (the close at stop)."""
    fill_events: int
    fees: float
    volume: float
    equity: pd.DataFrame
    """ts_ns, equity."""


def _fills(events: pd.DataFrame) -> pd.DataFrame:
    fills = events[events["kind"] == EventKind.ORDER_FILLED].copy()
    fills["signed"] = fills["qty"].astype(float) * fills["side"].map(SIDE_SIGN).astype(float)
    fills["cash"] = -fills["signed"] * fills["price"].astype(float) - fills["fee"].astype(float).fillna(0.0)
    return fills.sort_values(["sim_ts_ns", "seq"])


def equity_curve(fills: pd.DataFrame, marks: pd.DataFrame, capital: float) -> pd.DataFrame:
    """Equity at each mark time; fills are applied at their market time (sim_ts_ns)."""
    grid = marks[["ts_ns", "mid"]].sort_values("ts_ns").reset_index(drop=True)
    if fills.empty:
        return grid.assign(equity=capital)[["ts_ns", "equity"]]
    path = pd.DataFrame(
        {"ts_ns": fills["sim_ts_ns"].astype("int64").to_numpy(), "position": fills["signed"].cumsum().to_numpy(), "cash": fills["cash"].cumsum().to_numpy()}
    )
    merged = pd.merge_asof(grid, path, on="ts_ns", direction="backward").fillna({"position": 0.0, "cash": 0.0})
    merged["equity"] = capital + merged["cash"] + merged["position"] * merged["mid"]
    return merged[["ts_ns", "equity"]]


def sharpe_ratio(equity: pd.DataFrame) -> float:
    hourly = equity.groupby(equity["ts_ns"] // NANOS_PER_HOUR)["equity"].last()
    returns = hourly.pct_change().dropna()
    if len(returns) < 2 or returns.std() == 0:
        return float("nan")
    return float(returns.mean() / returns.std() * math.sqrt(HOURS_PER_YEAR))


def max_drawdown(equity: pd.Series) -> float:
    values = equity.to_numpy(dtype=float)
    if values.size == 0:
        return 0.0
    peaks = np.maximum.accumulate(values)
    return float(((peaks - values) / peaks).max())


def trading_results(events: pd.DataFrame, marks: pd.DataFrame, capital: float) -> TradingResults:
    """``marks`` empty (no reference could be written) → the fills' own prices serve as marks."""
    fills = _fills(events)
    if marks.empty:
        marks = pd.DataFrame({"ts_ns": fills["sim_ts_ns"].astype("int64"), "mid": fills["price"].astype(float)})
    curve = equity_curve(fills, marks, capital)
    final_mark = float(marks["mid"].iloc[-1]) if len(marks) else float("nan")
    position = float(fills["signed"].sum()) if len(fills) else 0.0
    pnl = float(fills["cash"].sum() + position * final_mark) if len(fills) else 0.0
    fees = float(fills["fee"].astype(float).fillna(0.0).sum()) if len(fills) else 0.0
    return TradingResults(
        pnl=pnl,
        return_pct=100.0 * pnl / capital,
        gross_return_pct=100.0 * (pnl + fees) / capital,
        sharpe=sharpe_ratio(curve),
        max_drawdown_pct=100.0 * max_drawdown(curve["equity"]),
        trades=int(fills["signal_id"].nunique() + fills["signal_id"].isna().sum()) if len(fills) else 0,
        fill_events=len(fills),
        fees=fees,
        volume=float((fills["qty"].astype(float) * fills["price"].astype(float)).sum()) if len(fills) else 0.0,
        equity=curve,
    )
