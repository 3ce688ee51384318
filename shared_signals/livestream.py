"""Hummingbot's AI-livestream decision rule, an option beside the shared one (``DecisionParams.rule``).

The controller (hummingbot ``controllers/directional_trading/ai_livestream.py``) reads
``probabilities = [short, neutral, long]`` from each MQTT message and sets its signal to -1 when the
short probability is over ``short_threshold``, else +1 when the long one is over ``long_threshold``,
else 0. Here -1 / +1 target the shared sizing's short / long position and 0 targets flat, so an open
position is closed when neither side is confident. The signal's ``side`` and the shared ``threshold``
on ``prob_up`` are not used: that difference is the point of the option. Sizing, the order step and
the risk gate stay the shared ones, so the two rules differ only in when they trade and which way.
"""

from __future__ import annotations

from shared_signals.config import DecisionParams, LivestreamParams, ProbabilityParams
from shared_signals.decision import Decision, OrderSide, MarketState, close_position, go_long, go_short, nothing_to_decide
from shared_signals.probability import probabilities
from shared_signals.schema import Signal


def livestream_direction(short: float, long: float, params: LivestreamParams = LivestreamParams()) -> int:
    """The controller's signal: -1 short, +1 long, 0 flat. Short is checked first, as the controller does."""
    if short > params.short_threshold:
        return OrderSide.SELL
    if long > params.long_threshold:
        return OrderSide.BUY
    return OrderSide.NONE


def decide_livestream(
    signal: Signal | None,
    position: float,
    market: MarketState,
    params: DecisionParams = DecisionParams(),
    order_in_flight: bool = False,
    probability: ProbabilityParams = ProbabilityParams(),
) -> Decision:
    """What the AI-livestream rule does now, sized and rounded like the shared decision."""
    waiting = nothing_to_decide(signal, position, order_in_flight)
    if waiting is not None:
        return waiting
    short, _, long = probabilities(signal.q10, signal.q50, signal.q90, probability).tolist()
    thresholds = params.livestream
    direction = livestream_direction(short, long, thresholds)
    if direction == OrderSide.SELL:
        reason = f"livestream short: short {short:.3f} > {thresholds.short_threshold:g}"
        return go_short(signal, position, market, params, reason, probability)
    if direction == OrderSide.BUY:
        reason = f"livestream long: long {long:.3f} > {thresholds.long_threshold:g}"
        return go_long(signal, position, market, params.sizing, reason, probability)
    return close_position(
        position, params.sizing, "livestream flat: no probability over its threshold, closes position", "livestream flat"
    )
