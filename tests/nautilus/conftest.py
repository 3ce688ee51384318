"""Inputs and helpers for the NautilusTrader POC tests: small files, real engines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from shared_signals.contract.journal import read_journal
from shared_signals.contract.spec import RunSpec
from shared_signals.config import SignalCoreConfig

START = pd.Timestamp("2025-01-06", tz="UTC")


@dataclass(frozen=True)
class Inputs:
    quotes: Path
    signals: Path


def hand_quotes(seconds: int = 40) -> pd.DataFrame:
    """One quote a second, the price rising 10 USDT a second, 1 USDT spread."""
    bid = [50_000.0 + 10 * s for s in range(seconds)]
    return pd.DataFrame(
        {
            "timestamp": [START + pd.Timedelta(seconds=s) for s in range(seconds)],
            "bid_price": bid,
            "ask_price": [b + 1.0 for b in bid],
            "bid_size": 1.0,
            "ask_size": 1.0,
        }
    )


def hand_signals(rows: dict[int, tuple[float, float, float, int, float]]) -> pd.DataFrame:
    """``{second: (q10, q50, q90, side, prob_up)}`` as a signal table with a ``datetime`` column."""
    return pd.DataFrame(
        [
            {"datetime": START + pd.Timedelta(seconds=s), "q10": a, "q50": b, "q90": c, "side": d, "prob_up": e, "vol_risk": 0.0}
            for s, (a, b, c, d, e) in rows.items()
        ]
    )


BUY_SELL_CLOSE = {
    2: (-0.01, 0.01, 0.03, 1, 0.7),
    12: (-0.03, -0.01, 0.01, 0, 0.3),
    24: (-0.01, 0.0, 0.01, -1, 0.5),
}
"""A buy at 2 s, a sell (to short) at 12 s, a hold that closes at 24 s."""


def write_inputs(folder: Path, quotes: pd.DataFrame, signals: pd.DataFrame) -> Inputs:
    folder.mkdir(parents=True, exist_ok=True)
    files = Inputs(folder / "quotes.parquet", folder / "signals.parquet")
    quotes.to_parquet(files.quotes, index=False)
    signals.to_parquet(files.signals, index=False)
    return files


@pytest.fixture
def hand_inputs(tmp_path: Path) -> Inputs:
    return write_inputs(tmp_path / "inputs", hand_quotes(), hand_signals(BUY_SELL_CLOSE))


def options(inputs: Inputs, run_dir: Path, mode: str = "replay", core: SignalCoreConfig = SignalCoreConfig(), **extra) -> RunSpec:
    return RunSpec(
        platform="nautilus", mode=mode, quotes=inputs.quotes, signals=inputs.signals, run_dir=run_dir,
        run_id="test-run", core=core, **extra,
    )


def journal(run_dir: Path) -> pd.DataFrame:
    read = read_journal(run_dir / "nautilus")
    assert read.torn_lines == 0
    return read.events


def kinds(events: pd.DataFrame, *names: str) -> pd.DataFrame:
    return events[events["kind"].isin(names)]
