"""The connector adapter on its own, no network: the order tracker follows the paper exchange's own
events on each path (fill looked up first, fill before any lookup, a listener that looks the order up
before the tracker has seen the event, cancellation, failure), and the trading rule is the exchange's
quantization. Driven by Hummingbot's own BACKTEST clock inside an asyncio loop."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from hummingbot.connector.exchange.paper_trade.paper_trade_exchange import QuantizationParams
from hummingbot.core.clock import Clock
from hummingbot.core.clock_mode import ClockMode
from hummingbot.core.data_type.common import OrderType, TradeType
from hummingbot.core.data_type.in_flight_order import OrderState
from hummingbot.core.data_type.order_book_row import OrderBookRow
from hummingbot.core.event.event_forwarder import SourceInfoEventForwarder
from hummingbot.core.event.events import MarketEvent

from poc_hummingbot_v2.connector import V2PaperExchange, trading_rule

PAIR = "BTC-USDT"
BID, ASK = 100.0, 101.0
START = 1_000.0


class Venue:
    """A V2 paper exchange with a one-level book, 1 BTC and 100k USDT, on a 1 s BACKTEST clock."""

    def __init__(self) -> None:
        self.exchange = V2PaperExchange(0.0, 0.001, {PAIR: trading_rule(PAIR, 5, 2)})
        ex = self.exchange
        ex.new_empty_order_book(PAIR)
        ex.set_quantization_param(QuantizationParams(PAIR, 8, 2, 8, 5))
        ex.set_balance("BTC", Decimal(1))
        ex.set_balance("USDT", Decimal(100_000))
        ex.get_order_book(PAIR).apply_snapshot([OrderBookRow(BID, 1000, 1)], [OrderBookRow(ASK, 1000, 1)], 1)
        self.clock = Clock(ClockMode.BACKTEST, 1.0, START, START + 100)
        self.clock.add_iterator(ex)
        self.clock.backtest_til(START + 1)
        self.now = START + 1

    async def step(self, seconds: int = 2) -> None:
        self.now += seconds
        self.clock.backtest_til(self.now)
        await asyncio.sleep(0.05)  # the exchange posts its created events as tasks

    @property
    def tracker(self):
        return self.exchange._order_tracker


def run(coro):
    return asyncio.run(coro)


def test_trading_rule_is_the_exchange_quantization():
    rule = trading_rule(PAIR, 5, 2)
    assert (rule.min_order_size, rule.min_base_amount_increment, rule.min_price_increment) == (Decimal("0.00001"), Decimal("0.00001"), Decimal("0.01"))
    assert rule.min_notional_size == 0


def test_market_order_looked_up_in_the_queue_then_filled():
    async def scenario():
        venue = Venue()
        order_id = venue.exchange.buy(PAIR, Decimal("0.01782"), OrderType.MARKET)
        order = venue.tracker.fetch_order(client_order_id=order_id)
        assert (order.order_type, order.trade_type, order.amount, order.current_state) == (OrderType.MARKET, TradeType.BUY, Decimal("0.01782"), OrderState.OPEN)
        assert not order.is_filled
        await venue.step()
        assert venue.tracker.fetch_order(client_order_id=order_id) is order
        assert order.is_done and order.is_filled and order.current_state is OrderState.FILLED
        # exactly the ordered amount, not the exchange's float-derived report (an executor quantizes it down)
        assert order.executed_amount_base == Decimal("0.01782")
        assert order.average_executed_price == Decimal(repr(ASK))
        assert order.cumulative_fee_paid("USDT") == pytest.approx(Decimal("0.01782") * Decimal(repr(ASK)) * Decimal("0.001"))

    run(scenario())


def test_fill_before_any_lookup_is_kept_and_applied():
    async def scenario():
        venue = Venue()
        order_id = venue.exchange.sell(PAIR, Decimal("0.5"), OrderType.MARKET)
        await venue.step()
        assert not venue.exchange.queued_orders  # gone from the queue: only its own events remain
        order = venue.tracker.fetch_order(client_order_id=order_id)
        assert order is not None and order.trade_type is TradeType.SELL
        assert order.is_filled and order.executed_amount_base == Decimal("0.5") and order.amount == Decimal("0.5")
        assert order.average_executed_price == Decimal(repr(BID))

    run(scenario())


def test_a_listener_called_before_the_tracker_gets_the_order_by_the_next_event():
    """An executor looks its order up on the fill and on the completion. Called on the fill before the
    tracker has seen it, for an order it never looked up (already gone from the queue), it gets nothing;
    on the completion, which the exchange sends after the fill, it gets the order, filled."""

    async def scenario():
        venue = Venue()
        seen = []

        def executor_like(_tag, _market, event):
            seen.append(venue.tracker.fetch_order(client_order_id=event.order_id))

        forwarder = SourceInfoEventForwarder(executor_like)
        for tag in (MarketEvent.OrderFilled, MarketEvent.BuyOrderCompleted):
            venue.exchange.add_listener(tag, forwarder)
        order_id = venue.exchange.buy(PAIR, Decimal("0.2"), OrderType.MARKET)
        await venue.step()
        on_fill, on_complete = seen
        order = venue.tracker.fetch_order(client_order_id=order_id)
        assert on_fill is None or on_fill is order
        assert on_complete is order and order.is_filled and order.executed_amount_base == Decimal("0.2")

    run(scenario())


def test_cancelled_limit_order():
    async def scenario():
        venue = Venue()
        order_id = venue.exchange.buy(PAIR, Decimal("0.1"), OrderType.LIMIT, Decimal("90"))
        order = venue.tracker.fetch_order(client_order_id=order_id)
        assert (order.order_type, order.price, order.current_state) == (OrderType.LIMIT, Decimal("90"), OrderState.OPEN)
        await venue.step()
        assert order.is_open and not order.is_done  # resting below the bid
        venue.exchange.cancel(PAIR, order_id)
        await venue.step()
        assert order.is_cancelled and order.is_done and not order.is_filled
        assert order.executed_amount_base == 0

    run(scenario())


def test_failed_market_order():
    async def scenario():
        venue = Venue()
        order_id = venue.exchange.sell(PAIR, Decimal("2"), OrderType.MARKET)  # 1 BTC held
        order = venue.tracker.fetch_order(client_order_id=order_id)
        await venue.step()
        assert order.is_failure and order.is_done and not order.is_filled

    run(scenario())


def test_unknown_order_is_none():
    async def scenario():
        venue = Venue()
        assert venue.tracker.fetch_order(client_order_id="never-placed") is None

    run(scenario())
