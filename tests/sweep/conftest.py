"""Inputs like a qlib user's grid: one signal file with two instruments (an (instrument, datetime)
MultiIndex pickle), one quote file per instrument, seeded; and a grid of four cells over them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from shared_signals.demo import DemoParams, write_demo

INSTRUMENTS = {"BTCUSDT": 7, "ETHUSDT": 8}
"""Instrument: its demo data's seed."""
GRID = """signals = "macro_features.pkl"
[quotes]
BTCUSDT = "quotes_BTCUSDT.parquet"
ETHUSDT = "quotes_ETHUSDT.parquet"
[grid]
instrument = ["BTCUSDT", "ETHUSDT"]
mode = ["replay"]
tick = ["1s", "100ms"]
platforms = [["nautilus", "hummingbot"]]
"""


@pytest.fixture(scope="session")
def grid_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sweep-inputs")
    frames = []
    for symbol, seed in INSTRUMENTS.items():
        files = write_demo(folder / symbol, DemoParams(hours=2.0, seed=seed))
        (folder / f"quotes_{symbol}.parquet").write_bytes(files.quotes.read_bytes())
        frames.append(pd.read_parquet(files.signals).assign(instrument=symbol))
    pd.concat(frames).set_index(["instrument", "datetime"]).to_pickle(folder / "macro_features.pkl")
    (folder / "grid.toml").write_text(GRID)
    return folder
