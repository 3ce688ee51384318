"""Position sizing: fraction of capital per signal, then a quantity on the order step.

Formulas: simplified Kelly (seed 000), ``crypto_kelly_sizing`` with fear/greed multipliers
(seed 002), ``target_pct`` (seed 002), and vol-decile and regime multipliers (seed 001).
"""

from __future__ import annotations

import math

from shared_signals.config import ProbabilityParams, SizingParams
from shared_signals.probability import target_pct
from shared_signals.schema import Signal

FLOAT_SLACK = 1e-6
"""Fraction of a step forgiven before rounding down, so 0.3 / 1e-5 = 29999.999... stays 30000 steps.
Dividing the integer step count by 10**decimals gives the float nearest the decimal (0.19991, not
0.19991000000000002)."""


def simple_kelly_fraction(q50: float, vol_risk: float, params: SizingParams = SizingParams()) -> float:
    """Seed 000: base * min(|q50| * 100, 2) / (1 + vol_risk * 10), capped at 50%."""
    signal_multiplier = min(abs(q50) * params.q50_multiplier_scale, params.max_signal_multiplier)
    vol_adjustment = 1.0 / (1.0 + vol_risk * params.vol_risk_scale)
    return min(params.base_fraction * signal_multiplier * vol_adjustment, params.max_fraction)


def crypto_kelly_fraction(
    vol_scaled: float, signal_rel: float, fg_index: float, params: SizingParams = SizingParams()
) -> float:
    """Seed 002: (vol_scaled / |signal_rel|) * base, x1.2 in extreme fear, x0.8 in extreme greed, cap 25%."""
    risk = abs(signal_rel)
    kelly = (vol_scaled / risk) * params.base_fraction if risk > 0 else 0.0
    if fg_index < params.extreme_fear:
        kelly *= params.fear_multiplier
    elif fg_index > params.extreme_greed:
        kelly *= params.greed_multiplier
    return min(kelly, params.crypto_kelly_cap)


def vol_decile_multiplier(vol_decile: int, params: SizingParams = SizingParams()) -> float:
    table = params.vol_decile_multipliers
    if 0 <= vol_decile < len(table):
        return table[vol_decile]
    return table[0] if vol_decile < 0 else table[-1]


def regime_multiplier(regime: str, params: SizingParams = SizingParams()) -> float:
    return params.regime_multipliers.get(regime, 1.0)


def base_fraction(signal: Signal, params: SizingParams, probability: ProbabilityParams = ProbabilityParams()) -> float:
    if params.method == "simple_kelly":
        return simple_kelly_fraction(signal.q50, signal.vol_risk, params)
    if params.method == "crypto_kelly":
        return crypto_kelly_fraction(signal.vol_scaled, signal.signal_rel, signal.fg_index, params)
    return float(target_pct(signal.q10, signal.q50, signal.q90, signal.tier_confidence, probability))


def position_fraction(
    signal: Signal, params: SizingParams = SizingParams(), probability: ProbabilityParams = ProbabilityParams()
) -> float:
    """Fraction of capital to hold for this signal, after multipliers and the overall cap;
    ``probability`` is the run's own, used by ``target_pct`` sizing."""
    fraction = (
        base_fraction(signal, params, probability)
        * vol_decile_multiplier(signal.vol_decile, params)
        * regime_multiplier(signal.regime_volatility, params)
    )
    if fraction <= 0.0:
        return 0.0
    return fraction if fraction < params.max_fraction else params.max_fraction


def round_qty(qty: float, params: SizingParams = SizingParams()) -> float:
    """Rounds down to the order step, zero below ``min_qty``."""
    if qty <= 0:
        return 0.0
    units = 10**params.qty_decimals
    rounded = int(qty * units + FLOAT_SLACK) / units
    return rounded if rounded >= params.min_qty else 0.0


def position_qty(
    signal: Signal, price: float, params: SizingParams = SizingParams(), probability: ProbabilityParams = ProbabilityParams()
) -> float:
    """Base-currency quantity to hold for ``signal`` at ``price``."""
    if not 0.0 < price < math.inf:
        return 0.0
    return round_qty(position_fraction(signal, params, probability) * params.capital / price, params)
