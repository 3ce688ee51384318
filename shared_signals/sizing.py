"""Position sizing: fraction of capital per signal, then a quantity on the order step.

Formulas: simplified Kelly (seed 000), ``crypto_kelly_sizing`` with fear/greed multipliers
(seed 002), ``target_pct`` (seed 002), and vol-decile and regime multipliers (seed 001).
"""

from __future__ import annotations

import math

from shared_signals.config import ProbabilityParams, SizingParams
from shared_signals.probability import target_pct
from shared_signals.schema import Signal


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
    return table[min(max(vol_decile, 0), len(table) - 1)]


def regime_multiplier(regime: str, params: SizingParams = SizingParams()) -> float:
    for name, multiplier in params.regime_multipliers:
        if name == regime:
            return multiplier
    return 1.0


def base_fraction(signal: Signal, params: SizingParams, probability: ProbabilityParams = ProbabilityParams()) -> float:
    if params.method == "simple_kelly":
        return simple_kelly_fraction(signal.q50, signal.vol_risk, params)
    if params.method == "crypto_kelly":
        return crypto_kelly_fraction(signal.vol_scaled, signal.signal_rel, signal.fg_index, params)
    return float(target_pct(signal.q10, signal.q50, signal.q90, signal.tier_confidence, probability))


def position_fraction(signal: Signal, params: SizingParams = SizingParams()) -> float:
    """Fraction of capital to hold for this signal, after multipliers and the overall cap."""
    fraction = base_fraction(signal, params)
    fraction *= vol_decile_multiplier(signal.vol_decile, params) * regime_multiplier(signal.regime_volatility, params)
    return max(0.0, min(fraction, params.max_fraction))


def round_qty(qty: float, params: SizingParams = SizingParams()) -> float:
    """Rounds down to the order step (a tiny epsilon absorbs float error), zero below ``min_qty``."""
    steps = math.floor(qty / params.qty_step + 1e-9)
    rounded = round(steps * params.qty_step, 10)
    return rounded if rounded >= params.min_qty else 0.0


def position_qty(signal: Signal, price: float, params: SizingParams = SizingParams()) -> float:
    """Base-currency quantity to hold for ``signal`` at ``price``."""
    if price <= 0 or not math.isfinite(price):
        return 0.0
    return round_qty(position_fraction(signal, params) * params.capital / price, params)
