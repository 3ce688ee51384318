"""The connector adapter: what Hummingbot V2's ``PositionExecutor`` reads from its connector and the paper
exchange lacks (hummingbot issues 7434 and 8414), and nothing else.

``MockPaperExchange`` (through ``poc_hummingbot.venue.PaperExchange``: its fill delay and fee) gains

- ``trading_rules``: a ``TradingRule`` per pair, read in every executor's ``__init__`` (data only: the
  order step and price quantum the exchange already quantizes to);
- ``_order_tracker.fetch_order(client_order_id)``: the ``InFlightOrder`` an executor follows, built on the
  executor's first lookup from the exchange's own queue of market orders or book of limit orders, and
  kept current from the exchange's own fill, completion, cancellation and failure events. Not from the
  "order created" event: the exchange posts it as a task, and listeners are not called in registration
  order, so an executor may look an order up before or after any one of them has seen an event. Events
  for an order no executor has looked up yet are kept and applied when it is built.

It supplies order state only: it never decides a trade and never makes a fill. Checked on one
Hummingbot version; another is refused on import with one line.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from importlib import metadata

from hummingbot.connector.trading_rule import TradingRule
from hummingbot.core.data_type.common import OrderType, TradeType
from hummingbot.core.data_type.in_flight_order import InFlightOrder, OrderState, OrderUpdate, TradeUpdate
from hummingbot.core.event.event_forwarder import SourceInfoEventForwarder
from hummingbot.core.event.events import (
    BuyOrderCompletedEvent,
    MarketEvent,
    MarketOrderFailureEvent,
    OrderCancelledEvent,
    OrderFilledEvent,
    SellOrderCompletedEvent,
)

from poc_hummingbot.venue import PaperExchange
from shared_signals.errors import InputError

CHECKED_VERSION = "20260922"
"""The hummingbot release this adapter was checked against (its wheel says dev-2.18.0): the executors'
reads of ``trading_rules`` and ``_order_tracker`` and the paper exchange's events as this version has them."""
INSTALLED_VERSION = metadata.version("hummingbot")
if INSTALLED_VERSION != CHECKED_VERSION:
    raise InputError(f"hummingbot {INSTALLED_VERSION} is installed; the V2 connector adapter was checked on {CHECKED_VERSION} only")

FILL_QUANTUM = Decimal("1e-10")
"""The paper exchange moves balances by the order's exact amount but reports fills float-derived
(0.01781999999999999987…, which an executor's quantizing rounds down a whole step): 10 decimals restore it."""
DONE_EVENTS = (OrderCancelledEvent, MarketOrderFailureEvent, BuyOrderCompletedEvent, SellOrderCompletedEvent)
STATE_OF = {
    OrderCancelledEvent: OrderState.CANCELED,
    MarketOrderFailureEvent: OrderState.FAILED,
    BuyOrderCompletedEvent: OrderState.FILLED,
    SellOrderCompletedEvent: OrderState.FILLED,
}
TRACKED_EVENTS = (
    MarketEvent.OrderFilled, MarketEvent.BuyOrderCompleted, MarketEvent.SellOrderCompleted,
    MarketEvent.OrderCancelled, MarketEvent.OrderFailure,
)


class PaperOrderTracker:
    """``fetch_order`` as ``ClientOrderTracker`` offers it, for the paper exchange's orders."""

    def __init__(self, exchange: PaperExchange) -> None:
        self._exchange = exchange
        self._orders: dict[str, InFlightOrder] = {}
        self._early: dict[str, list] = defaultdict(list)
        """Events of orders not yet looked up, in the order the exchange sent them."""
        self._forwarder = SourceInfoEventForwarder(self._on_event)
        for tag in TRACKED_EVENTS:
            exchange.add_listener(tag, self._forwarder)

    def fetch_order(self, client_order_id: str | None = None, exchange_order_id: str | None = None) -> InFlightOrder | None:
        """The order, kept current; None when the exchange has never heard of it."""
        order = self._orders.get(client_order_id)
        if order is None and client_order_id is not None:
            order = self._build(client_order_id)
        return order

    def _on_event(self, _tag: int, _market: object, event: object) -> None:
        order = self._orders.get(event.order_id)
        if order is None:
            self._early[event.order_id].append(event)
        else:
            _apply(order, event)

    def _build(self, order_id: str) -> InFlightOrder | None:
        early = self._early.get(order_id, [])
        order = _from_queue(self._exchange, order_id) or _from_limit_book(self._exchange, order_id) or _from_events(order_id, early)
        if order is None:
            return None
        self._orders[order_id] = order
        for event in self._early.pop(order_id, []):
            _apply(order, event)
        return order


def _from_queue(exchange: PaperExchange, order_id: str) -> InFlightOrder | None:
    """A market order waiting out the exchange's execution delay."""
    queued = next((q for q in exchange.queued_orders if q.order_id == order_id), None)
    if queued is None:
        return None
    return InFlightOrder(
        order_id, queued.trading_pair, OrderType.MARKET, TradeType.BUY if queued.is_buy else TradeType.SELL,
        queued.amount, queued.timestamp, initial_state=OrderState.OPEN,
    )


def _from_limit_book(exchange: PaperExchange, order_id: str) -> InFlightOrder | None:
    """A limit order resting on the exchange (its creation time is kept in microseconds)."""
    resting = next((o for o in exchange.limit_orders if o.client_order_id == order_id), None)
    if resting is None:
        return None
    return InFlightOrder(
        order_id, resting.trading_pair, OrderType.LIMIT, TradeType.BUY if resting.is_buy else TradeType.SELL,
        resting.quantity, resting.creation_timestamp / 1e6, price=resting.price, initial_state=OrderState.OPEN,
    )


def _from_events(order_id: str, events: list) -> InFlightOrder | None:
    """An order that left the queue before anyone looked it up: what its own fill and completion said."""
    fills = [e for e in events if isinstance(e, OrderFilledEvent)]
    if not fills:
        return None
    completed = next((e for e in events if isinstance(e, (BuyOrderCompletedEvent, SellOrderCompletedEvent))), None)
    amount = completed.base_asset_amount if completed is not None else sum((f.amount for f in fills), Decimal(0))
    first = fills[0]
    return InFlightOrder(order_id, first.trading_pair, first.order_type, first.trade_type, amount, first.timestamp,
                         initial_state=OrderState.OPEN)


def _apply(order: InFlightOrder, event: object) -> None:
    """One of the exchange's events on the order it is about."""
    if isinstance(event, OrderFilledEvent):
        amount = Decimal(event.amount).quantize(FILL_QUANTUM)
        order.update_with_trade_update(TradeUpdate(
            trade_id=event.exchange_trade_id or f"{order.client_order_id}-{len(order.order_fills) + 1}",
            client_order_id=order.client_order_id, exchange_order_id=order.exchange_order_id,
            trading_pair=order.trading_pair, fill_timestamp=event.timestamp, fill_price=event.price,
            fill_base_amount=amount, fill_quote_amount=amount * event.price, fee=event.trade_fee,
        ))
        if not order.is_done:
            _set_state(order, OrderState.PARTIALLY_FILLED, event.timestamp)
    elif isinstance(event, DONE_EVENTS):
        _set_state(order, STATE_OF[type(event)], event.timestamp)


def _set_state(order: InFlightOrder, state: OrderState, timestamp: float) -> None:
    order.update_with_order_update(OrderUpdate(order.trading_pair, timestamp, state, client_order_id=order.client_order_id))


def trading_rule(pair: str, size_decimals: int, price_decimals: int) -> TradingRule:
    """The pair's rule as the exchange quantizes: the decision's order step, the price quantum, no minimum notional."""
    step = Decimal(1).scaleb(-size_decimals)
    return TradingRule(
        pair, min_order_size=step, min_base_amount_increment=step, min_price_increment=Decimal(1).scaleb(-price_decimals),
        min_notional_size=Decimal(0),
    )


class V2PaperExchange(PaperExchange):
    """The run's paper exchange with the trading rules and order tracker V2 executors need."""

    def __init__(self, trade_execution_delay_s: float, fee_rate: float | None, rules: dict[str, TradingRule]) -> None:
        super().__init__(trade_execution_delay_s, fee_rate)
        self.trading_rules = rules
        self._order_tracker = PaperOrderTracker(self)

    async def _update_orders_with_error_handler(self, orders: list, error_handler: object) -> None:
        """What an executor calls while it waits for a close order to fill: a real exchange is asked for
        the orders' state here; the paper exchange's own events already keep them current."""

    def _handle_update_error_for_lost_order(self, order_id: str, error: Exception) -> None:
        """The error handler an executor passes to :meth:`_update_orders_with_error_handler`: the paper
        exchange loses no order, so there is nothing to handle."""
