"""The one decision rule both platforms execute: signal + position + market → action.

Pure: the position and the order-in-flight flag come from the platform, so any difference between
Nautilus and Hummingbot comes from how each platform fills, not from what was decided.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import NamedTuple

from shared_signals.config import DecisionParams, ProbabilityParams, SizingParams
from shared_signals.schema import Signal, SignalSide
from shared_signals.sizing import position_qty, round_qty


class Action(StrEnum):
    BUY = "BUY"
    SELL = "SELL"
    CLOSE = "CLOSE"
    HOLD = "HOLD"


class MarketState(NamedTuple):
    ts_ns: int
    bid: float
    ask: float

    @property
    def mid(self) -> float:
        return (self.bid + self.ask) / 2.0


class OrderSide(IntEnum):
    """The side of an order, signed as it moves the position (not a signal's side: see ``SignalSide``)."""

    BUY = 1
    SELL = -1
    NONE = 0
    """No order."""

SIZE_ROUNDS_TO_ZERO = "size rounds to zero"


class Decision(NamedTuple):
    """Immutable result; a NamedTuple because it is built on every quote."""

    action: Action
    side: OrderSide
    """BUY or SELL; NONE for no order."""
    order_qty: float
    """Unsigned base quantity to trade; zero for HOLD."""
    target_position: float
    """Signed base quantity the position should be after the order."""
    reason: str
    price_dependent: bool = False
    """Set by the rule that made it when another price could give another answer (a size of
    capital / price that rounds to zero): such a HOLD cannot be reused on the next quote."""

    @property
    def is_order(self) -> bool:
        return self.side != OrderSide.NONE and self.order_qty > 0

    @property
    def price_independent(self) -> bool:
        """A HOLD that any price would give again for the same signal and position."""
        return self.action is Action.HOLD and not self.price_dependent


def hold(position: float, reason: str, price_dependent: bool = False) -> Decision:
    """No order: the position stays as it is."""
    return Decision(Action.HOLD, OrderSide.NONE, 0.0, position, reason, price_dependent)


def close_position(position: float, sizing: SizingParams, reason: str, flat_reason: str) -> Decision:
    """An order back to flat, or HOLD (``flat_reason``) when already flat, within half an order step."""
    if abs(position) < sizing.min_qty / 2.0:
        return hold(position, flat_reason)
    order_side = OrderSide.SELL if position > 0 else OrderSide.BUY
    return Decision(Action.CLOSE, order_side, round_qty(abs(position), sizing), 0.0, reason)


def go_long(
    signal: Signal, position: float, market: MarketState, sizing: SizingParams, reason: str, probability: ProbabilityParams
) -> Decision:
    """BUY up to the signal's long size at the ask, or HOLD when already long."""
    if position >= sizing.min_qty / 2.0:
        return hold(position, "already long")
    size = position_qty(signal, market.ask, sizing, probability)
    if size <= 0:
        return hold(position, SIZE_ROUNDS_TO_ZERO, price_dependent=True)
    return Decision(Action.BUY, OrderSide.BUY, round_qty(size - position, sizing), size, reason)


def go_short(
    signal: Signal, position: float, market: MarketState, params: DecisionParams, reason: str, probability: ProbabilityParams
) -> Decision:
    """SELL down to the signal's short size at the bid (or only out of a long when shorts are disabled)."""
    sizing = params.sizing
    flat_below = sizing.min_qty / 2.0
    if not params.allow_short:
        if position >= flat_below:
            return Decision(Action.CLOSE, OrderSide.SELL, round_qty(position, sizing), 0.0, "sell signal closes long (no shorts)")
        return hold(position, "sell signal, shorts disabled")
    if position <= -flat_below:
        return hold(position, "already short")
    size = position_qty(signal, market.bid, sizing, probability)
    if size <= 0:
        return hold(position, SIZE_ROUNDS_TO_ZERO, price_dependent=True)
    return Decision(Action.SELL, OrderSide.SELL, round_qty(size + position, sizing), -size, reason)


def nothing_to_decide(signal: Signal | None, position: float, order_in_flight: bool) -> Decision | None:
    """The HOLD every rule gives before it looks at a signal: an order still in flight, or no signal."""
    if order_in_flight:
        return hold(position, "order in flight")
    if signal is None:
        return hold(position, "no signal in force")
    return None


def decide(
    signal: Signal | None,
    position: float,
    market: MarketState,
    params: DecisionParams = DecisionParams(),
    order_in_flight: bool = False,
    probability: ProbabilityParams = ProbabilityParams(),
) -> Decision:
    """What to do now. ``position`` is the platform's signed base position; never counted here.
    ``probability`` is the run's, for ``target_pct`` sizing."""
    waiting = nothing_to_decide(signal, position, order_in_flight)
    if waiting is not None:
        return waiting
    side = signal.side
    if side == SignalSide.HOLD:
        if params.close_on_hold:
            return close_position(position, params.sizing, "hold signal closes position", "hold signal")
        return hold(position, "hold signal")
    if side == SignalSide.BUY and signal.prob_up > params.threshold:
        return go_long(signal, position, market, params.sizing, "buy: prob_up above threshold", probability)
    if side == SignalSide.SELL and 1.0 - signal.prob_up > params.threshold:
        return go_short(signal, position, market, params, "sell: prob_down above threshold", probability)
    return hold(position, "below threshold")
