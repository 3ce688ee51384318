"""Regime detector against independent hand loops and the seed thresholds."""

import numpy as np
import pandas as pd
import pytest

from shared_signals.regime import fear_greed_state, macd, past_rank, rsi, vol_regime


def wilder_rsi(prices, period):
    deltas = np.diff(prices)
    gain = loss = None
    out = [np.nan] * len(prices)
    gains = np.clip(deltas, 0, None)
    losses = np.clip(-deltas, 0, None)
    for i in range(len(deltas)):
        if i == 0:
            gain, loss = gains[0], losses[0]
        else:
            gain = gain + (gains[i] - gain) / period
            loss = loss + (losses[i] - loss) / period
        if i + 1 >= period:
            out[i + 1] = 100.0 if loss == 0 else 100 - 100 / (1 + gain / loss)
    return np.array(out)


def test_rsi_matches_a_hand_loop():
    prices = pd.Series(100 + np.cumsum(np.random.default_rng(3).standard_normal(60)))
    expected = wilder_rsi(prices.to_numpy(), 14)
    got = rsi(prices, 14).to_numpy()
    mask = ~np.isnan(expected)
    np.testing.assert_allclose(got[mask], expected[mask], rtol=1e-9)
    assert np.isnan(got[:14]).all()


def test_rsi_of_a_rising_series_is_100():
    assert rsi(pd.Series(np.arange(30.0)), 14).iloc[-1] == 100.0


def test_macd_matches_hand_emas():
    prices = pd.Series(np.linspace(100, 130, 50) + np.sin(np.arange(50)))

    def ema(values, span):
        alpha, acc, out = 2 / (span + 1), values[0], []
        for v in values:
            acc = alpha * v + (1 - alpha) * acc
            out.append(acc)
        return np.array(out)

    line = ema(prices.to_numpy(), 12) - ema(prices.to_numpy(), 26)
    result = macd(prices)
    np.testing.assert_allclose(result.macd.to_numpy(), line)
    np.testing.assert_allclose(result.signal.to_numpy(), ema(line, 9))
    np.testing.assert_allclose(result.histogram.to_numpy(), line - ema(line, 9))


@pytest.mark.parametrize(
    ("vol_scaled", "regime"), [(0.05, "low"), (0.1, "medium"), (0.29, "medium"), (0.3, "high"), (0.59, "high"), (0.6, "extreme")]
)
def test_vol_regime_seed_002_cuts(vol_scaled, regime):
    assert vol_regime(vol_scaled) == regime


@pytest.mark.parametrize(("fg", "state"), [(19, "extreme_fear"), (20, "neutral"), (80, "neutral"), (81, "extreme_greed")])
def test_fear_greed_extremes(fg, state):
    assert fear_greed_state(fg) == state


def test_past_rank_ignores_the_future():
    values = pd.Series([1.0, 2.0, 3.0, 0.5, 10.0])
    ranks = past_rank(values, window=3)
    changed = past_rank(pd.Series([1.0, 2.0, 3.0, 0.5, -10.0]), window=3)
    np.testing.assert_array_equal(ranks.to_numpy()[:4], changed.to_numpy()[:4])
    assert ranks.iloc[2] == 1.0 and ranks.iloc[3] == pytest.approx(1 / 3)
