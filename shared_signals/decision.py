"""The one decision rule both platforms execute: signal + position + market → action.

Pure: the position and the order-in-flight flag come from the platform, so any difference between
Nautilus and Hummingbot comes from how each platform fills, not from what was decided.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from shared_signals.config import DecisionParams
from shared_signals.schema import SIDE_BUY, SIDE_HOLD, SIDE_SELL, Signal
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


BUY_SIDE, SELL_SIDE, NO_SIDE = 1, -1, 0
SIZE_ROUNDS_TO_ZERO = "size rounds to zero"
"""The one HOLD that depends on the price (the size is capital / price)."""


class Decision(NamedTuple):
    """Immutable result; a NamedTuple because it is built on every quote."""

    action: Action
    side: int
    """+1 buy, -1 sell, 0 no order."""
    order_qty: float
    """Unsigned base quantity to trade; zero for HOLD."""
    target_position: float
    """Signed base quantity the position should be after the order."""
    reason: str

    @property
    def is_order(self) -> bool:
        return self.side != NO_SIDE and self.order_qty > 0

    @property
    def price_independent(self) -> bool:
        """A HOLD that any price would give again for the same signal and position."""
        return self.action is Action.HOLD and self.reason != SIZE_ROUNDS_TO_ZERO


def _hold(position: float, reason: str) -> Decision:
    return Decision(Action.HOLD, NO_SIDE, 0.0, position, reason)


def decide(
    signal: Signal | None,
    position: float,
    market: MarketState,
    params: DecisionParams = DecisionParams(),
    order_in_flight: bool = False,
) -> Decision:
    """What to do now. ``position`` is the platform's signed base position; never counted here."""
    if order_in_flight:
        return _hold(position, "order in flight")
    if signal is None:
        return _hold(position, "no signal in force")
    sizing = params.sizing
    flat_below = sizing.min_qty / 2.0
    side = signal.side
    if side == SIDE_HOLD:
        if params.close_on_hold and abs(position) >= flat_below:
            order_side = SELL_SIDE if position > 0 else BUY_SIDE
            return Decision(Action.CLOSE, order_side, round_qty(abs(position), sizing), 0.0, "hold signal closes position")
        return _hold(position, "hold signal")
    if side == SIDE_BUY and signal.prob_up > params.threshold:
        if position >= flat_below:
            return _hold(position, "already long")
        size = position_qty(signal, market.ask, sizing)
        if size <= 0:
            return _hold(position, SIZE_ROUNDS_TO_ZERO)
        return Decision(Action.BUY, BUY_SIDE, round_qty(size - position, sizing), size, "buy: prob_up above threshold")
    if side == SIDE_SELL and 1.0 - signal.prob_up > params.threshold:
        if not params.allow_short:
            if position >= flat_below:
                return Decision(Action.CLOSE, SELL_SIDE, round_qty(position, sizing), 0.0, "sell signal closes long (no shorts)")
            return _hold(position, "sell signal, shorts disabled")
        if position <= -flat_below:
            return _hold(position, "already short")
        size = position_qty(signal, market.bid, sizing)
        if size <= 0:
            return _hold(position, SIZE_ROUNDS_TO_ZERO)
        return Decision(Action.SELL, SELL_SIDE, round_qty(size + position, sizing), -size, "sell: prob_down above threshold")
    return _hold(position, "below threshold")
