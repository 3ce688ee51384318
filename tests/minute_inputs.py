"""Minute quotes and hand-made signals for the live exit tests: a bid path (the ask a dollar above)
and signals at chosen minutes, written as the parquet files a run reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def write_minute_inputs(folder: Path, start: pd.Timestamp, bid: np.ndarray,
                        signals: dict[int, tuple[float, float, float, int, float]]) -> tuple[Path, Path]:
    """``bid``: one price per minute from ``start``; ``signals``: minute → (q10, q50, q90, side, prob_up)."""
    bid = np.asarray(bid, dtype=float).round(2)
    quotes = pd.DataFrame({"timestamp": start + pd.to_timedelta(np.arange(len(bid)), unit="min"), "bid_price": bid,
                           "ask_price": bid + 1.0, "bid_size": 0.5, "ask_size": 0.5})
    table = pd.DataFrame([
        dict(datetime=start + pd.Timedelta(minutes=m), q10=a, q50=b, q90=c, side=d, prob_up=e, vol_risk=0.0, tier_confidence=5.0,
             fg_index=50.0, vol_scaled=0.5, regime_volatility="medium")
        for m, (a, b, c, d, e) in signals.items()
    ])
    quotes.to_parquet(folder / "quotes.parquet", index=False)
    table.to_parquet(folder / "signals.parquet", index=False)
    return folder / "quotes.parquet", folder / "signals.parquet"
