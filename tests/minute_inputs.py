"""Minute quotes and hand-made signals for the live exit tests: a bid path (the ask a dollar above)
and signals at chosen minutes, written as the parquet files a run reads."""

from __future__ import annotations

import json
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


def write_level_inputs(folder: Path, start: pd.Timestamp, levels: tuple[tuple[int, float], ...], end_minute: int,
                       signals: dict[int, tuple[float, float, float, int, float]], exits: dict) -> tuple[Path, Path, Path]:
    """A bid that steps to each ``(minute, level)`` and holds it to ``end_minute``, the signals, and a core
    config with ``exits``: the quotes file, the signals file and the config file."""
    minutes = np.arange(end_minute + 1)
    starts, prices = zip(*levels, strict=True)
    bid = np.asarray(prices)[np.searchsorted(starts, minutes, side="right") - 1]
    quotes, table = write_minute_inputs(folder, start, bid, signals)
    core = folder / "core.json"
    core.write_text(json.dumps({"exits": exits}))
    return quotes, table, core
