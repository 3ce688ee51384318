"""Shared fixtures: small, deterministic inputs built by the product's own generator."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from shared_signals.demo import DemoFiles, DemoParams, write_demo
from shared_signals.schema import Signal

SMALL_DEMO = DemoParams(hours=2.0, seed=11)


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    """Two hours of demo quotes (7,200 rows) and their 5-minute signals."""
    return write_demo(tmp_path_factory.mktemp("demo"), SMALL_DEMO)


BASE_SIGNAL = Signal(
    signal_id="BTCUSDT:0",
    ts_ns=0,
    q10=-0.01,
    q50=0.01,
    q90=0.03,
    prob_up=0.7,
    side=1,
    vol_risk=0.01,
    tier_confidence=5.0,
    fg_index=50.0,
    vol_scaled=0.5,
    signal_rel=0.15,
    regime_volatility="medium",
    vol_decile=5,
)


def make_signal(**changes) -> Signal:
    return replace(BASE_SIGNAL, **changes)


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]
