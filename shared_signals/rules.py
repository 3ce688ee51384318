"""Picks the decision rule a run is configured with (``DecisionParams.rule``): the one call site both
platforms, the reference replay and the provider's ``action`` label go through."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from shared_signals.config import DecisionParams, SignalCoreConfig
from shared_signals.decision import Decision, MarketState, decide
from shared_signals.livestream import decide_livestream
from shared_signals.schema import Signal

AI_LIVESTREAM = "ai_livestream"


Rule = Callable[[Signal | None, float, MarketState, DecisionParams, bool], Decision]
"""(signal, position, market, params, order_in_flight) → decision: ``decide``'s own signature."""


def rule_for(config: SignalCoreConfig) -> Rule:
    """The configured rule, chosen once, bound to the run's probability settings (``target_pct``
    sizing and the livestream probabilities use them)."""
    rule = decide_livestream if config.decision.rule == AI_LIVESTREAM else decide
    return partial(rule, probability=config.probability)


def decide_by_rule(
    signal: Signal | None, position: float, market: MarketState, config: SignalCoreConfig, order_in_flight: bool = False
) -> Decision:
    """``decide`` (the shared rule) or ``decide_livestream``, as ``config.decision.rule`` says."""
    return rule_for(config)(signal, position, market, config.decision, order_in_flight)
