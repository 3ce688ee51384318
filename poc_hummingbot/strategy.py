"""The Hummingbot strategy: a ``StrategyPyBase`` that trades the provider's signals.

Every tick it takes what its source brought (a new version of ``latest_signal.json``, or the MQTT
messages that arrived since the last tick: see ``poc_hummingbot.signal_source``), refuses what must
not be traded (garbage, half-written, empty, wrong schema, bad numbers, stale, duplicate: journaled
once, never traded, the same rules for either transport), hands the signal, the
connector's quote, position and equity to the shared :class:`SignalRunner`, and places what the
risk gate approves through ``buy_with_specific_market``/``sell_with_specific_market``. It owns no
trade logic: the decision, sizing and limits all come from ``shared_signals``. With the core's
``exits`` set, the runner also decides the barriers' closes (each fill is reported to it, so it knows
the entry), and every order that reduces or closes the position is journaled with its cause. At the
end of the run (``close_on_stop``) it closes what is open by a market order, as Nautilus does, and
then trades no more.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from hummingbot.core.data_type.common import OrderType, TradeType
from hummingbot.strategy.market_trading_pair_tuple import MarketTradingPairTuple
from hummingbot.strategy.strategy_py_base import StrategyPyBase

from poc_hummingbot.config import OrderTypeName
from poc_hummingbot.payload import PayloadError, parse_payload
from shared_signals.transport.messages import Delivery, Notice
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import ErrorKind, ExitCause, VenueRefusal
from shared_signals.contract.journal import JournalWriter
from shared_signals.contract.steps import StepJournal
from shared_signals.decision import OrderSide
from shared_signals.runner import SignalRunner, Step
from shared_signals.schema import Signal
from shared_signals.skip_rules import Skip, SkipRules

log = logging.getLogger(__name__)

FILL_QTY_DECIMALS = 10
"""Fill amounts come back as float-derived Decimals (0.1000000000000000055…); rounding to 10
decimals restores the quantity that was ordered."""
NO_PRICE = Decimal("NaN")
"""Hummingbot's ``price`` argument for market orders."""
STOP_CLOSE_REASON = "strategy stopping, close_on_stop"


@dataclass(frozen=True, slots=True)
class StrategySettings:
    symbol: str
    """Canonical symbol (``BTCUSDT``): the journal's instrument and the payload's expected symbol."""
    order_type: OrderTypeName
    limit_offset: float
    limit_timeout_ns: int
    starting_base: float
    heartbeat_s: float
    tolerance_ns: int
    max_payload_bytes: int
    livestream_pair: str | None = None
    """MQTT: messages must carry the AI-livestream ``id`` and this ``trading_pair``; None for the file."""
    close_on_stop: bool = True
    """The run's end closes the open position (:meth:`SignalFileStrategy.close_open_position`)."""


@dataclass(slots=True)
class PlacedOrder:
    signal_id: str | None
    side: OrderSide
    qty: float
    market_ns: int
    limit: bool
    cause: ExitCause | None = None
    """Why it reduces or closes the position (its fills' journal code); None when it opens or adds."""
    cancel_requested: bool = False


class SignalFileStrategy(StrategyPyBase):
    """Consumes the provider's signals (the file, or MQTT) and trades them on one ``MarketTradingPairTuple``."""

    @classmethod
    def logger(cls) -> logging.Logger:
        return log

    def __init__(
        self,
        market_info: MarketTradingPairTuple,
        source,
        runner: SignalRunner,
        journal: JournalWriter,
        settings: StrategySettings,
        market_ns: Callable[[float], int],
        quote_ns: Callable[[], int | None],
    ) -> None:
        """``quote_ns``: the market time of the quote now in the book; the clock ticks between quotes,
        through a closed market too, and the shared risk gate must know how old the book is."""
        super().__init__()
        self._market_info = market_info
        self._exchange = market_info.market
        self._pair = market_info.trading_pair
        self._base = market_info.base_asset
        self._quote = market_info.quote_asset
        self._book = self._exchange.get_order_book(self._pair)
        self._source = source
        """``take()`` → deliveries (and, for MQTT, connection notices) since the last tick; never blocks."""
        self._runner = runner
        self._journal = StepJournal(journal)
        self._settings = settings
        self._market_ns = market_ns
        self._quote_ns = quote_ns
        self._starting_base = Decimal(repr(settings.starting_base))
        self._order_type = OrderType.LIMIT if settings.order_type == "limit" else OrderType.MARKET
        self._rules = SkipRules(settings.tolerance_ns)
        """The signal in force and the skip rules, shared with the other platforms that take deliveries."""
        self._orders: dict[str, PlacedOrder] = {}
        self._unacknowledged: dict[str, PlacedOrder] = {}
        """Orders the exchange has not yet reported created: the paper exchange reports it 10 ms
        later, asynchronously, often after the fill (which takes the order out of ``_orders``)."""
        self._next_heartbeat = 0.0
        self._balances_stale = True
        self._position = self._base_balance = self._quote_balance = 0.0
        self._stopping = False
        """The run is ending: the strategy decides nothing more (its close's fill is still journaled)."""
        self.add_markets([self._exchange])

    # ---- the tick ------------------------------------------------------------------------------

    def tick(self, timestamp: float) -> None:
        t_ns = self._market_ns(timestamp)
        if self._stopping:
            self._heartbeat(t_ns)
            return
        try:
            self._take_arrivals(t_ns)
            self._skip(t_ns, self._rules.expired(t_ns))
            if self._order_type is OrderType.LIMIT and self._orders:
                self._cancel_expired_limit_orders(t_ns)
            book = self._book
            try:
                bid = book.get_price(False)
                ask = book.get_price(True)
            except EnvironmentError:
                self._heartbeat(t_ns)
                return
            if self._balances_stale:
                self._refresh_balances()
            step = self._runner.step(
                t_ns, bid, ask, self._rules.signal, self._position,
                self._quote_balance + self._base_balance * (bid + ask) * 0.5,  # mark-to-market equity at the mid
                self._order_in_flight(), self._quote_ns(),
            )
            if step.new_signal or step.verdict is not None:
                self._act(step, t_ns)
            self._heartbeat(t_ns)
        except Exception as exc:  # noqa: BLE001 - one bad tick is journaled, the clock goes on
            self.report_error(ErrorKind.HANDLER_FAILED, f"tick failed: {type(exc).__name__}: {exc}", t_ns)

    def _act(self, step: Step, t_ns: int) -> None:
        if self._journal.step(t_ns, step):
            self._place(step, t_ns)

    # ---- signals in --------------------------------------------------------------------------

    def _take_arrivals(self, t_ns: int) -> None:
        """Everything the source brought since the last tick, in arrival order."""
        for item in self._source.take():
            if type(item) is Notice:
                self._journal.notice(t_ns, item.signal_id, item.wall_ns, item.code, item.text)
            else:
                self._take_delivery(item, t_ns)

    def _parse(self, raw: bytes) -> Signal:
        settings = self._settings
        if len(raw) > settings.max_payload_bytes:
            raise PayloadError(f"{self._source.unit} larger than {settings.max_payload_bytes} bytes")
        return parse_payload(raw, settings.symbol, settings.livestream_pair)

    def _take_delivery(self, delivery: Delivery, t_ns: int) -> None:
        """Makes the delivered signal the candidate in force, or journals why it is skipped. An MQTT
        message is journaled as ``message_received`` at its arrival time first, valid or not."""
        try:
            signal, problem = self._parse(delivery.data), None
        except PayloadError as exc:
            signal, problem = None, exc
        if delivery.arrived_ns is not None:
            self._journal.message_received(
                t_ns, signal.signal_id if signal else problem.signal_id, delivery.arrived_ns, delivery.note
            )
        if problem is not None:
            self._skip(t_ns, self._rules.invalid(problem.signal_id, problem.reason))
        else:
            self._skip(t_ns, self._rules.offer(t_ns, signal))

    def _skip(self, t_ns: int, skip: Skip | None) -> None:
        """Journals a refusal of the skip rules (they report each once per signal_id and kind; a payload
        with no readable signal_id once per delivery: the file reader only hands over changed files)."""
        if skip is None:
            return
        log.info("signal skipped (%s): %s", skip.signal_id, skip.reason)
        self._journal.skipped_signal(t_ns, skip.signal_id, skip.code, skip.reason)

    # ---- orders --------------------------------------------------------------------------------

    def _place(self, step: Step, t_ns: int, order_type: OrderType | None = None) -> None:
        """Places the step's order, of the run's order type unless ``order_type`` says otherwise."""
        order_type = self._order_type if order_type is None else order_type
        decision = step.decision
        signal_id = step.order_signal_id
        exchange = self._exchange
        amount = exchange.quantize_order_amount(self._pair, Decimal(repr(decision.order_qty)))
        if amount <= 0:
            self._journal.rejected(
                t_ns, signal_id, decision.side, decision.order_qty, step.price, VenueRefusal.ROUNDS_TO_ZERO,
                "venue quantization rounds the order to zero",
            )
            return
        price = NO_PRICE
        if order_type is OrderType.LIMIT:
            limit = step.price * (1.0 + decision.side * self._settings.limit_offset)
            price = exchange.quantize_order_price(self._pair, Decimal(repr(limit)))
        self._journal.submitted(t_ns, signal_id, decision.side, float(amount), step.price, cause=step.cause)
        self._balances_stale = True
        place = self.buy_with_specific_market if decision.side > 0 else self.sell_with_specific_market
        order_id = place(self._market_info, amount, order_type, price)
        placed = PlacedOrder(signal_id, decision.side, float(amount), t_ns, order_type is OrderType.LIMIT, step.cause)
        self._orders[order_id] = self._unacknowledged[order_id] = placed

    def close_open_position(self) -> bool:
        """The end of the run: from now on the strategy decides nothing, and with ``close_on_stop`` it
        closes the open position at the book's touch by a market order, through the shared risk gate,
        journaled ``end_of_run``; it only reduces (the size is the position). Not while an order is in
        flight (its fate is the run's last event), nor with no quote. The run steps the clock on until
        the close fills. True if an order was sent."""
        self._stopping = True
        if not self._settings.close_on_stop or self._order_in_flight():
            return False
        t_ns = self._market_ns(self.current_timestamp)
        try:
            bid, ask = self._book.get_price(False), self._book.get_price(True)
        except EnvironmentError:
            return False
        position = self.position()
        step = self._runner.close(
            t_ns, bid, ask, position, self._quote_balance + self._base_balance * (bid + ask) * 0.5, STOP_CLOSE_REASON,
            ExitCause.END_OF_RUN, self._quote_ns(),
        )
        if not self._journal.step(t_ns, step):
            return False
        self._place(step, t_ns, OrderType.MARKET)
        return self._order_in_flight()

    def is_settled(self) -> bool:
        """No order of the strategy is in flight (the run waits for its close to fill)."""
        return not self._order_in_flight()

    def _cancel_expired_limit_orders(self, t_ns: int) -> None:
        for order_id, order in list(self._orders.items()):
            if not order.cancel_requested and t_ns - order.market_ns >= self._settings.limit_timeout_ns:
                order.cancel_requested = True
                self.cancel_order(self._market_info, order_id)

    # ---- when the replay's clock must step next (see ``poc_hummingbot.event_clock``) ---------------

    def wakeup_ns(self, now_ns: int) -> int | None:
        """The next market time at which this strategy can change by time alone: the signal in force
        expires, a limit order may fill on the tick after it is placed, is due for cancelling, or
        waits for its cancel to be processed, the open position's time limit falls due; nothing once
        the run is ending."""
        if self._stopping:
            return None
        moments = []
        due = self._runner.barrier_due_ns()
        if due is not None and due >= now_ns:
            moments.append(due)
        signal = self._rules.signal
        if signal is not None and signal.ts_ns + self._settings.tolerance_ns >= now_ns:
            moments.append(signal.ts_ns + self._settings.tolerance_ns + 1)
        for order in self._orders.values():
            if not order.limit:
                continue
            if order.cancel_requested or order.market_ns >= now_ns:
                moments.append(now_ns + 1)
            else:
                moments.append(order.market_ns + self._settings.limit_timeout_ns)
        return min(moments) if moments else None

    def _order_in_flight(self) -> bool:
        """Hummingbot's order tracker: any market order not yet completed, or limit order still resting."""
        tracker = self.order_tracker
        return bool(tracker.get_market_orders()) or bool(tracker.get_limit_orders())

    # ---- connector events ----------------------------------------------------------------------

    def did_create_buy_order(self, event) -> None:
        self._accepted(event)

    def did_create_sell_order(self, event) -> None:
        self._accepted(event)

    def _accepted(self, event) -> None:
        order = self._unacknowledged.pop(event.order_id, None)
        if order is None:
            return
        self._journal.accepted(order.market_ns, order.signal_id, order.side, order.qty)  # created on the submitting tick

    def did_fill_order(self, event) -> None:
        self._balances_stale = True
        try:
            order = self._orders.get(event.order_id)
            t_ns = self._market_ns(event.timestamp)
            side = OrderSide.BUY if event.trade_type is TradeType.BUY else OrderSide.SELL
            qty, price, position = round(float(event.amount), FILL_QTY_DECIMALS), float(event.price), self.position()
            self._journal.filled(
                t_ns, order.signal_id if order else None, side, qty, price, position, self._fee(event),
                order.cause if order else None,
            )
            self._runner.filled(t_ns, side, qty, price, position)
        except Exception as exc:  # noqa: BLE001
            self.report_error(ErrorKind.HANDLER_FAILED, f"fill handling failed: {type(exc).__name__}: {exc}")

    def did_complete_buy_order(self, event) -> None:
        self._balances_stale = True
        self._orders.pop(event.order_id, None)

    def did_complete_sell_order(self, event) -> None:
        self._balances_stale = True
        self._orders.pop(event.order_id, None)

    def did_fail_order(self, event) -> None:
        self._balances_stale = True
        self._venue_refused(event, VenueRefusal.VENUE_FAILED, "venue failed the order (MarketOrderFailureEvent, e.g. insufficient balance)")

    def did_cancel_order(self, event) -> None:
        self._balances_stale = True
        order = self._orders.get(event.order_id)
        if order is not None and order.cancel_requested:
            timeout_s = self._settings.limit_timeout_ns / NANOS_PER_SECOND
            self._venue_refused(event, VenueRefusal.LIMIT_TIMEOUT, f"limit order unfilled after {timeout_s:.0f} s, cancelled", retry=True)
        else:
            self._venue_refused(event, VenueRefusal.VENUE_CANCELLED, "venue cancelled the order (e.g. insufficient balance)")

    def _venue_refused(self, event, code: VenueRefusal, reason: str, retry: bool = False) -> None:
        """Journals the refusal. Unless ``retry`` (a limit order that timed out may fill at a new
        price), the signal is no longer in force: the same order would be refused again."""
        order = self._orders.pop(event.order_id, None)
        self._unacknowledged.pop(event.order_id, None)  # refused or cancelled: no acknowledgement is due any more
        if order is not None and not retry and order.signal_id is not None:
            self._runner.refused_by_platform(order.signal_id)
        elif order is not None and not retry and order.cause is ExitCause.KILL_SWITCH:
            self._runner.kill_close_refused()
        self._journal.rejected(
            self._market_ns(event.timestamp), order.signal_id if order else None, order.side if order else None,
            order.qty if order else None, None, code, reason,
        )

    def _fee(self, event) -> float | None:
        """The fill's fee in quote currency (zero on the default paper fee schema)."""
        try:
            return float(event.trade_fee.fee_amount_in_token(self._pair, event.price, event.amount, self._quote))
        except Exception:  # noqa: BLE001 - a fee in a third token needs a rate oracle (network): unknown
            return None

    # ---- balances, heartbeat, errors -----------------------------------------------------------

    def _refresh_balances(self) -> None:
        """Reads the connector's balances; only after an order event, since nothing else changes them
        (the same values, without the Decimal arithmetic on every tick)."""
        exchange = self._exchange
        base = exchange.get_balance(self._base)
        self._position = float(base - self._starting_base)
        self._base_balance = float(base)
        self._quote_balance = float(exchange.get_balance(self._quote))
        self._balances_stale = False

    def position(self) -> float:
        """Signed base position: the connector's base balance minus the starting inventory."""
        if self._balances_stale:
            self._refresh_balances()
        return self._position

    def _heartbeat(self, t_ns: int) -> None:
        now = time.monotonic()
        if now >= self._next_heartbeat:
            self._next_heartbeat = now + self._settings.heartbeat_s
            self._journal.heartbeat(t_ns, self.position())

    def final_heartbeat(self, t_ns: int) -> None:
        """The last record: first journals what arrived after the last tick (it is not traded)."""
        self._take_arrivals(t_ns)
        self._next_heartbeat = 0.0
        self._balances_stale = True
        self._position = self._base_balance = self._quote_balance = 0.0
        self._heartbeat(t_ns)

    def report_error(self, code: ErrorKind, reason: str, t_ns: int | None = None) -> None:
        """Journals an ``error`` (and logs it with the traceback when one is being handled)."""
        log.error(reason, exc_info=sys.exc_info()[0] is not None)
        self._journal.error(t_ns, code, reason)

    @property
    def journal(self) -> StepJournal:
        """The strategy's journal and its counts (orders, fills, rejections, skips, errors)."""
        return self._journal
