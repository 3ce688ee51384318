"""Nautilus' own exits for the shared core's barriers: resting orders at the venue, one-updates-other.

Entry is by market order, so the barriers' prices are known only once it fills (they are fractions of
the fill price, ``shared_signals.exits``): on the fill that opens a position the strategy submits, as
one ``OrderList``, a take profit (a reduce-only LIMIT at the take-profit price), a stop loss (a
reduce-only STOP_MARKET triggered at the stop price) and a trailing stop (a reduce-only
TRAILING_STOP_MARKET, active from the activation price, trailing by ``trailing_stop_delta`` of the
entry price: Hummingbot's trigger in price terms), each for the whole position and linked to the
others ``ContingencyType.OUO``: when one fills the venue cancels the rest. The backtest venue and the
live Sandbox (a ``SimulatedExchange`` too) match all three order types and manage the contingency.
The time limit is no resting order: the strategy's timer closes by market order. A trailing stop
whose activation price is already in the market when it arrives is rejected by the venue; the strategy
sends it again with no activation price, which the venue arms on arrival (the barrier's own rule).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from nautilus_trader.common.factories import OrderFactory
from nautilus_trader.core.uuid import UUID4
from nautilus_trader.model.enums import ContingencyType, OrderSide, TimeInForce, TrailingOffsetType, TriggerType
from nautilus_trader.model.identifiers import ClientOrderId, StrategyId, TraderId
from nautilus_trader.model.instruments import Instrument
from nautilus_trader.model.objects import Price, Quantity
from nautilus_trader.model.orders import LimitOrder, Order, OrderList, StopMarketOrder, TrailingStopMarketOrder

from shared_signals.contract.codes import ExitCause
from shared_signals.exits import OpenPosition, barrier_prices


def exit_orders(
    factory: OrderFactory, trader_id: TraderId, strategy_id: StrategyId, instrument: Instrument, position: OpenPosition,
    quantity: Quantity, ts_ns: int,
) -> list[tuple[Order, ExitCause]]:
    """The resting orders of ``position``'s price barriers (none when it has none), each with the cause
    its fill closes by; two or more are linked one-updates-other."""
    stop_price, take_price, trailing_price = barrier_prices(position)
    side = OrderSide.SELL if position.side > 0 else OrderSide.BUY
    ids = {cause: factory.generate_client_order_id() for cause, price in
           ((ExitCause.STOP_LOSS, stop_price), (ExitCause.TAKE_PROFIT, take_price), (ExitCause.TRAILING_STOP, trailing_price))
           if price is not None}
    linked = len(ids) > 1
    list_id = factory.generate_order_list_id() if linked else None

    def common(cause: ExitCause) -> dict:
        return dict(
            trader_id=trader_id, strategy_id=strategy_id, instrument_id=instrument.id, client_order_id=ids[cause],
            order_side=side, quantity=quantity, init_id=UUID4(), ts_init=ts_ns, time_in_force=TimeInForce.GTC,
            reduce_only=True, contingency_type=ContingencyType.OUO if linked else ContingencyType.NO_CONTINGENCY,
            order_list_id=list_id, linked_order_ids=[i for c, i in ids.items() if c != cause] if linked else None,
            tags=[str(cause).upper()],
        )

    orders: list[tuple[Order, ExitCause]] = []
    tick = Decimal(1).scaleb(-instrument.price_precision)
    long = position.side > 0
    if take_price is not None:
        price = on_tick(take_price, tick, up=long)
        orders.append((LimitOrder(price=instrument.make_price(price), **common(ExitCause.TAKE_PROFIT)), ExitCause.TAKE_PROFIT))
    if stop_price is not None:
        trigger = on_tick(stop_price, tick, up=not long)
        orders.append((
            StopMarketOrder(trigger_price=instrument.make_price(trigger), trigger_type=TriggerType.DEFAULT, **common(ExitCause.STOP_LOSS)),
            ExitCause.STOP_LOSS,
        ))
    if trailing_price is not None:
        activation = on_tick(trailing_price, tick, up=long, strictly=True)
        orders.append((trailing_stop(instrument, position, instrument.make_price(activation), common(ExitCause.TRAILING_STOP)),
                       ExitCause.TRAILING_STOP))
    return orders


def on_tick(price: float, tick: Decimal, up: bool, strictly: bool = False) -> Decimal:
    """The venue price a barrier's order rests at, so that it fires on exactly the quotes the barrier's
    rule does (``shared_signals.exits``: a profit at or past a fraction; the trailing stop's activation and
    trigger strictly past theirs). Quotes are on the tick grid, and a venue triggers at or through an
    order's price, so the price is the grid price on the far side of the exact one (``up``: above it),
    never the nearest one, which could fire a tick early; ``strictly``: the next grid price beyond even
    when the exact price is on the grid."""
    exact = Decimal(repr(price)) / tick
    steps = exact.to_integral_value(ROUND_CEILING if up else ROUND_FLOOR)
    if strictly and steps == exact:
        steps += 1 if up else -1
    return steps * tick


def trailing_stop(instrument: Instrument, position: OpenPosition, activation: Price | None, common: dict) -> TrailingStopMarketOrder:
    """The trailing stop, trailing by ``trailing_stop_delta`` of the entry price; with no ``activation``
    the venue arms it on arrival, from the touch then. The offset is the grid step strictly beyond the
    exact one: the rule closes once the touch is strictly past the trigger, a venue at or through it."""
    offset = on_tick(position.entry_price * position.barriers.trailing_delta, Decimal(1).scaleb(-instrument.price_precision),
                     up=True, strictly=True)
    return TrailingStopMarketOrder(
        activation_price=activation, trigger_price=None, trigger_type=TriggerType.DEFAULT, trailing_offset=offset,
        trailing_offset_type=TrailingOffsetType.PRICE, **common,
    )


def armed_trailing_stop(
    factory: OrderFactory, order: TrailingStopMarketOrder, instrument: Instrument, position: OpenPosition, ts_ns: int,
) -> TrailingStopMarketOrder:
    """The rejected ``order`` again, armed: the venue rejects a trailing stop whose activation price is
    already in the market (the price went past it before the order arrived), where the barrier's rule
    (``shared_signals.exits``) arms it. Unlinked: the strategy cancels it when another exit fills."""
    return trailing_stop(instrument, position, None, dict(
        trader_id=order.trader_id, strategy_id=order.strategy_id, instrument_id=order.instrument_id,
        client_order_id=factory.generate_client_order_id(), order_side=order.side, quantity=order.quantity, init_id=UUID4(),
        ts_init=ts_ns, time_in_force=TimeInForce.GTC, reduce_only=True, tags=order.tags,
    ))


def as_list(orders: list[tuple[Order, ExitCause]]) -> OrderList | None:
    """The linked orders as the one ``OrderList`` they are submitted in (None for a single order)."""
    if len(orders) < 2:
        return None
    first = orders[0][0]
    return OrderList(first.order_list_id, [order for order, _ in orders])


def client_ids(orders: list[tuple[Order, ExitCause]]) -> dict[ClientOrderId, ExitCause]:
    return {order.client_order_id: cause for order, cause in orders}
