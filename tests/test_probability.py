"""Seed 002 bridge formulas against hand-worked values, plus properties of prob_up."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared_signals.probability import prob_up, probabilities, target_pct


@pytest.mark.parametrize(
    ("q10", "q50", "q90", "expected"),
    [
        (-0.01, 0.01, 0.03, 0.7),  # 1 - (0.10 + 0.40 * 0.01 / 0.02)
        (-0.03, -0.01, 0.01, 0.3),  # 1 - (0.50 + 0.40 * 0.01 / 0.02)
        (-0.02, -0.01, 0.0, 0.0),  # q90 <= 0
        (0.0, 0.01, 0.02, 1.0),  # q10 >= 0
        (-0.01, 0.0, 0.01, 0.5),  # q50 at zero
    ],
)
def test_prob_up_hand_worked(q10, q50, q90, expected):
    assert prob_up(q10, q50, q90) == pytest.approx(expected)


def test_probabilities_put_prob_up_in_the_long_slot():
    short, neutral, long = probabilities(-0.01, 0.01, 0.03)
    # spread 0.04 saturates the neutral weight at 0.3; prob_up 0.7
    assert (short, neutral, long) == pytest.approx((0.3 * 0.7, 0.3, 0.7 * 0.7))


def test_probabilities_partial_neutral_weight():
    short, neutral, long = probabilities(-0.005, 0.001, 0.005)
    up = 1 - (0.1 + 0.4 * 0.005 / 0.006)
    assert neutral == pytest.approx(0.15)
    assert long == pytest.approx(up * 0.85)
    assert short == pytest.approx((1 - up) * 0.85)
    assert short + neutral + long == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("q10", "q50", "q90", "tier", "expected"),
    [
        (-0.01, 0.01, 0.03, 5, 0.01 * 1.25 / 2.0),
        (-0.001, 0.004, 0.009, 10, 0.004 * 2.0 / 0.5),
        (-0.1, 0.1, 0.3, 10, 0.05),  # clipped at the cap
        (-0.0199, 0.0001, 0.0201, 0, 0.001),  # clipped at the floor
        (0.01, 0.01, 0.01, 5, 0.05),  # zero spread: no uncertainty, cap
    ],
)
def test_target_pct_hand_worked(q10, q50, q90, tier, expected):
    assert target_pct(q10, q50, q90, tier) == pytest.approx(expected)


quantile = st.floats(-0.2, 0.2, allow_nan=False)


@given(st.lists(quantile, min_size=4, max_size=4))
def test_prob_up_bounded_and_monotone_in_q50(values):
    q10, a, b, q90 = sorted(values)
    low, high = prob_up(q10, a, q90), prob_up(q10, b, q90)
    assert 0.0 <= low <= 1.0 and 0.0 <= high <= 1.0
    assert low <= high + 1e-12


@given(st.lists(quantile, min_size=3, max_size=3))
def test_probabilities_sum_to_one(values):
    q10, q50, q90 = sorted(values)
    vector = probabilities(q10, q50, q90)
    assert np.all(vector >= 0)
    assert vector.sum() == pytest.approx(1.0)
