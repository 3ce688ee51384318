"""Data like a qlib user's for the fill rule's tests: hourly signals over 15-minute quotes with a
weekend close and random outages, written by ``poc-eval demo-data --gaps``; and the rule itself,
recomputed from the quote file alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluator.cli import main
from shared_signals.config import NANOS_PER_HOUR, LoaderParams, SignalCoreConfig
from shared_signals.contract.spec import RunSpec, VenueSpec

HOURLY = SignalCoreConfig(loader=LoaderParams(tolerance_ns=NANOS_PER_HOUR))
"""The signals' bar as their tolerance, as ``run-both`` derives it from the file."""
QUOTE_SPACING_NS = 900 * 1_000_000_000


@dataclass(frozen=True)
class Sparse:
    quotes: Path
    signals: Path
    quote_ns: np.ndarray
    bid: np.ndarray
    ask: np.ndarray

    def in_force(self, t_ns: np.ndarray) -> np.ndarray:
        """Index of the quote in force at each time: the last with a time at or before it."""
        return np.searchsorted(self.quote_ns, t_ns, side="right") - 1

    def touch_in_force(self, t_ns: np.ndarray, buy: np.ndarray) -> np.ndarray:
        """The touch a market order trades at on the quote in force at each time: ask for a buy, bid for a sell."""
        i = self.in_force(t_ns)
        return np.where(buy, self.ask[i], self.bid[i])

    def next_quote_ns(self, t_ns: np.ndarray) -> np.ndarray:
        """The first quote strictly after each time (the old rule's fill time)."""
        return self.quote_ns[np.minimum(np.searchsorted(self.quote_ns, t_ns, side="right"), len(self.quote_ns) - 1)]

    def spec(self, platform: str, run_dir: Path, fill_delay_s: float) -> RunSpec:
        return RunSpec(platform=platform, mode="replay", quotes=self.quotes, signals=self.signals, run_dir=run_dir,
                       run_id="fill-rule", core=HOURLY, venue=VenueSpec(fill_delay_s=fill_delay_s))


@pytest.fixture(scope="session")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> Sparse:
    """Ten days of 15-minute quotes with gaps and hourly signals (seeded), and the quotes as arrays."""
    folder = tmp_path_factory.mktemp("sparse")
    assert main(["demo-data", "--out", str(folder), "--length", "10d", "--quote-interval", "15m", "--bar", "1h",
                 "--gaps", "--seed", "3"]) == 0
    quotes = pd.read_parquet(folder / "quotes.parquet")
    quote_ns = pd.DatetimeIndex(quotes["timestamp"]).as_unit("ns").asi8
    assert (np.diff(quote_ns) > 4 * QUOTE_SPACING_NS).sum() >= 3  # a weekend close and outages: data with gaps
    return Sparse(folder / "quotes.parquet", folder / "signals.parquet", quote_ns,
                  quotes["bid_price"].to_numpy(), quotes["ask_price"].to_numpy())
