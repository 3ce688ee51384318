"""Sizing formulas of seeds 000, 001 and 002 against hand-worked values."""

import pytest

from shared_signals.config import SizingParams
from shared_signals.sizing import (
    crypto_kelly_fraction,
    position_fraction,
    position_qty,
    regime_multiplier,
    round_qty,
    simple_kelly_fraction,
    vol_decile_multiplier,
)
from tests.conftest import make_signal


def test_simple_kelly_seed_000():
    # 0.1 * min(0.005 * 100, 2) / (1 + 0.01 * 10)
    assert simple_kelly_fraction(0.005, 0.01) == pytest.approx(0.1 * 0.5 / 1.1)
    assert simple_kelly_fraction(-0.05, 0.0) == pytest.approx(0.2)  # multiplier capped at 2, sign ignored
    assert simple_kelly_fraction(0.05, 0.0, SizingParams(base_fraction=0.3)) == pytest.approx(0.5)  # 50% cap


@pytest.mark.parametrize(
    ("vol_scaled", "signal_rel", "fg", "expected"),
    [
        (0.5, -0.25, 50, 0.2),  # 0.5 / 0.25 * 0.1
        (0.5, -0.25, 10, 0.24),  # extreme fear x1.2
        (0.5, -0.25, 90, 0.16),  # extreme greed x0.8
        (0.9, 0.1, 50, 0.25),  # capped at 25%
        (0.9, 0.0, 50, 0.0),  # no risk measure, no size
    ],
)
def test_crypto_kelly_seed_002(vol_scaled, signal_rel, fg, expected):
    assert crypto_kelly_fraction(vol_scaled, signal_rel, fg) == pytest.approx(expected)


def test_multipliers_seed_001():
    assert vol_decile_multiplier(0) == 1.0
    assert vol_decile_multiplier(9) == 0.6
    assert vol_decile_multiplier(42) == 0.6  # out of range clamps to the last decile
    assert regime_multiplier("extreme") == 0.5
    assert regime_multiplier("unknown") == 1.0


def test_position_fraction_applies_multipliers_and_cap():
    signal = make_signal(q50=0.01, vol_risk=0.01, vol_decile=9, regime_volatility="high")
    assert position_fraction(signal) == pytest.approx(0.1 * 1.0 / 1.1 * 0.6 * 0.8)
    assert position_fraction(signal, SizingParams(method="target_pct")) == pytest.approx(0.00625 * 0.6 * 0.8)


def test_position_qty_rounds_down_to_the_step():
    signal = make_signal(q50=0.01, vol_risk=0.0, vol_decile=0, regime_volatility="medium")
    # 10% of 100,000 at 60,000 = 0.1666666.. -> 0.16666
    assert position_qty(signal, 60_000.0) == pytest.approx(0.16666)
    assert position_qty(signal, 0.0) == 0.0
    assert round_qty(0.000004) == 0.0
    assert round_qty(7e-05) == 7e-05  # 7e-05 * 1e5 is 6.999999999999999: without the slack it floors to 6e-05
