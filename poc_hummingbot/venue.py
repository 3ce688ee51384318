"""The offline venue: Hummingbot's own ``MockPaperExchange`` and a clock iterator that sets its order
book from the replayed quotes on every tick.

The feeder ticks before the exchange, and the exchange before the strategy, so within one tick the
exchange fills due orders against the new quote and the strategy then decides on that same quote.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from decimal import Decimal

import pandas as pd
from hummingbot.connector.exchange.paper_trade.paper_trade_exchange import QuantizationParams
from hummingbot.connector.test_support.mock_paper_exchange import MockPaperExchange
from hummingbot.core.data_type.order_book_row import OrderBookRow
from hummingbot.core.data_type.trade_fee import TradeFeeSchema
from hummingbot.core.py_time_iterator import PyTimeIterator

from poc_hummingbot.config import VenueModel
from shared_signals.instruments import Instrument

FLOAT_SLACK = 1e-9
"""Forgiven when dividing a delay by the tick, so 0.3 s / 0.1 s counts 3 ticks, not 4."""


class PaperExchange(MockPaperExchange):
    """``MockPaperExchange`` whose market-order delay (``TRADE_EXECUTION_DELAY``) and fee are the
    run's venue model: ``fee_rate`` of the notional on every fill, or its own (none) when None."""

    def __init__(self, trade_execution_delay_s: float, fee_rate: float | None = None) -> None:
        schema = None if fee_rate is None else TradeFeeSchema(
            maker_percent_fee_decimal=Decimal(repr(fee_rate)), taker_percent_fee_decimal=Decimal(repr(fee_rate))
        )
        super().__init__(trade_fee_schema=schema)
        self.TRADE_EXECUTION_DELAY = trade_execution_delay_s

    def first_queued_s(self) -> float | None:
        """The clock time of the earliest market order queued for execution (None: none): the exchange's
        own queue, from which the replay's event clock knows a fill is pending."""
        queue = self.queued_orders
        return queue[0].timestamp if queue else None


def build_exchange(
    instrument: Instrument,
    venue: VenueModel,
    size_decimals: int,
    trade_execution_delay_s: float,
    starting_base: float,
    starting_quote: float,
    fee_rate: float | None = None,
) -> PaperExchange:
    """A ready paper exchange with an empty book for the pair, its quantization rules, balances and fee."""
    exchange = PaperExchange(trade_execution_delay_s, fee_rate)
    pair = instrument.hummingbot_pair
    exchange.new_empty_order_book(pair)
    exchange.set_quantization_param(
        QuantizationParams(pair, venue.price_precision, venue.price_decimals, venue.size_precision, size_decimals)
    )
    exchange.set_balance(instrument.base, Decimal(repr(starting_base)))
    exchange.set_balance(instrument.quote, Decimal(repr(starting_quote)))
    return exchange


def live_fill_delay_ns(trade_execution_delay_s: float, tick_s: float, tick_ns: int) -> int:
    """When a market order fills after submission on a clock that ticks every ``tick_s`` (live mode's
    REALTIME clock), in clock time: on the first tick at least ``TRADE_EXECUTION_DELAY`` later, and never
    on the submitting tick (the exchange has already ticked). Replay fills at exactly the delay instead
    (see ``poc_hummingbot.event_clock``)."""
    ticks = max(1, math.ceil(trade_execution_delay_s / tick_s - FLOAT_SLACK))
    return ticks * tick_ns


class QuoteCursor:
    """Streams validated quote batches; :meth:`advance` moves to the newest quote at or before a time."""

    def __init__(self, batches: Iterator[pd.DataFrame]) -> None:
        self._batches = batches
        self._ts: list[int] = []
        self._bid: list[float] = []
        self._ask: list[float] = []
        self._bid_size: list[float] = []
        self._ask_size: list[float] = []
        self._i = -1
        self._exhausted = False
        self.consumed = 0
        """Quotes passed so far (including those a coarse tick stepped over)."""
        self.bid = self.ask = self.bid_size = self.ask_size = 0.0
        self.quote_ns: int | None = None
        """Market time of the current quote (None before the first): how old the book is."""

    def _load_next(self) -> bool:
        for batch in self._batches:
            if len(batch):
                self._ts = batch.index.as_unit("ns").asi8.tolist()
                self._bid = batch["bid_price"].tolist()
                self._ask = batch["ask_price"].tolist()
                self._bid_size = batch["bid_size"].tolist()
                self._ask_size = batch["ask_size"].tolist()
                self._i = -1
                return True
        self._exhausted = True
        return False

    def next_ns(self) -> int | None:
        """The time of the next quote not yet consumed (None after the last): when the book changes next."""
        if self._i + 1 >= len(self._ts) and (self._exhausted or not self._load_next()):
            return None
        return self._ts[self._i + 1]

    def advance(self, t_ns: int) -> bool:
        """Consumes every quote with time <= ``t_ns``; True when that changed the current quote."""
        moved = False
        while True:
            ts = self._ts
            i = self._i
            n = len(ts)
            while i + 1 < n and ts[i + 1] <= t_ns:
                i += 1
            if i != self._i:
                self.consumed += i - self._i
                self._i = i
                self.quote_ns = ts[i]
                self.bid, self.ask = self._bid[i], self._ask[i]
                self.bid_size, self.ask_size = self._bid_size[i], self._ask_size[i]
                moved = True
            if i + 1 < n or self._exhausted or not self._load_next():
                return moved


class QuoteFeeder(PyTimeIterator):
    """Sets the exchange's order book to the quote in force at each tick (a one-level snapshot)."""

    def __init__(
        self,
        exchange: PaperExchange,
        pair: str,
        cursor: QuoteCursor,
        market_ns: Callable[[float], int],
        touch_size_floor: float,
    ) -> None:
        super().__init__()
        self._book = exchange.get_order_book(pair)
        self.cursor = cursor
        self._market_ns = market_ns
        self._floor = touch_size_floor
        self._update_id = 0

    def tick(self, timestamp: float) -> None:
        cursor = self.cursor
        if not cursor.advance(self._market_ns(timestamp)):
            return
        self._update_id += 1
        uid = self._update_id
        floor = self._floor
        self._book.apply_snapshot(
            [OrderBookRow(cursor.bid, max(cursor.bid_size, floor), uid)],
            [OrderBookRow(cursor.ask, max(cursor.ask_size, floor), uid)],
            uid,
        )
        self._book.clear_traded_order_book()
