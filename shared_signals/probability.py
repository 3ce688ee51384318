"""Quantiles → probabilities: ``prob_up`` (seed 002 piecewise rule), the AI-livestream
``[short, neutral, long]`` vector and ``target_pct``.

The functions take NumPy arrays or scalars, so the loader derives whole columns and the provider
converts one signal with the same formula.
"""

from __future__ import annotations

import numpy as np

from shared_signals.config import ProbabilityParams

TENTH_QUANTILE_INNER_MASS = 0.10
CENTRAL_MASS = 0.40
MEDIAN_MASS = 0.50


def prob_up(q10, q50, q90):
    """Piecewise-linear P(return > 0) read off the three quantiles (seed 002 ``prob_up_piecewise``).

    Between q10 and q50 the CDF rises linearly from 0.10 to 0.50, between q50 and q90 from 0.50
    to 0.90; P(up) is one minus the CDF at zero. Bounded in [0, 1], non-decreasing in q50.
    """
    q10, q50, q90 = (np.asarray(x, dtype=float) for x in (q10, q50, q90))
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = 1.0 - (TENTH_QUANTILE_INNER_MASS + CENTRAL_MASS * (-q10) / (q50 - q10))
        upper = 1.0 - (MEDIAN_MASS + CENTRAL_MASS * (-q50) / (q90 - q50))
    result = np.select(
        [q90 <= 0, q10 >= 0, (q10 < 0) & (q50 >= 0)],
        [0.0, 1.0, lower],
        default=upper,
    )
    return result if result.ndim else float(result)


def probabilities(q10, q50, q90, params: ProbabilityParams = ProbabilityParams()):
    """``[short, neutral, long]`` for Hummingbot's AI-livestream controller.

    The seed's sketch put ``prob_up`` in the *short* slot; here long carries P(up), as the
    controller expects. A wide spread moves mass to neutral, up to ``max_neutral_weight``.
    """
    up = np.asarray(prob_up(q10, q50, q90), dtype=float)
    spread = np.asarray(q90, dtype=float) - np.asarray(q10, dtype=float)
    neutral = np.minimum(spread / params.neutral_spread, 1.0) * params.max_neutral_weight
    short = (1.0 - up) * (1.0 - neutral)
    long = up * (1.0 - neutral)
    return np.stack([short, neutral, long], axis=-1)


def target_pct(q10, q50, q90, tier_confidence, params: ProbabilityParams = ProbabilityParams()):
    """Position target as a fraction of capital (seed 002 ``calculate_target_pct``).

    |q50| scaled by confidence (0.5x at tier 0 to 2x at tier 10) and divided by the spread's risk
    adjustment, clipped to [target_pct_min, target_pct_max]. A zero spread means no uncertainty:
    the target goes to the cap (or the floor when q50 is zero too).
    """
    q10, q50, q90, tier = (np.asarray(x, dtype=float) for x in (q10, q50, q90, tier_confidence))
    confidence = 0.5 + (tier / 10.0) * 1.5
    risk_adjustment = np.minimum((q90 - q10) / params.risk_spread, params.max_risk_adjustment)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.abs(q50) * confidence / risk_adjustment
    raw = np.where(np.isnan(raw), params.target_pct_min, raw)
    result = np.clip(raw, params.target_pct_min, params.target_pct_max)
    return result if result.ndim else float(result)
