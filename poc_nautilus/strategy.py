"""``Q50Strategy``: a real Nautilus ``Strategy`` that adapts the shared signal core, and nothing more.

On each quote it asks the shared :class:`SignalRunner` (via the as-of :class:`SignalSchedule`) what to
do, with the position, equity and in-flight state read from Nautilus itself, and sends approved
orders through ``order_factory`` + ``submit_order``. All trade logic (tolerance, ``decide``, sizing,
risk gate) stays in ``shared_signals``.

Platform state is re-read from Nautilus' cache and portfolio only after an order, position or
account event (a dirty flag), not on every quote: the same values, without paying for the
lookups 86,400 times a day.

With the core's ``exits`` set, the barriers are Nautilus' own (``poc_nautilus.exits``): on the fill that
opens a position, resting one-updates-other orders for the price barriers and a time alert for the time
limit; the runner only learns the entry from the fills and, when a barrier's order fills, that the
signal in force is spent. A signal's close or flip cancels the resting exits first (sent at the same
moment: the venue takes the cancels before the order), and so does the runner's close when the risk
gate's kill switch trips. A resting exit the venue rejects (its price already in the market when it
arrives) is replaced by a market close with its cause (``_on_exit_rejected``). Live, the strategy
hears of an exit's fill only after handling the quote that filled it: a quote that crosses a resting
exit's price holds its signal and the time limit for that fill (``_exit_due``). Every order that reduces or closes the position is journaled with its cause.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path

from nautilus_trader.common.component import LiveClock, TimeEvent
from nautilus_trader.model.data import QuoteTick
from nautilus_trader.model import enums
from nautilus_trader.model.events import OrderAccepted, OrderDenied, OrderEvent, OrderFilled, OrderRejected, PositionEvent
from nautilus_trader.model.identifiers import ClientOrderId
from nautilus_trader.model.orders import Order
from nautilus_trader.trading.strategy import Strategy

from poc_nautilus.config import PLATFORM, Q50StrategyConfig
from poc_nautilus.exits import armed_trailing_stop, as_list, client_ids, exit_orders
from shared_signals.asof import SignalSchedule
from shared_signals.contract.codes import ErrorKind, ExitCause, VenueRefusal
from shared_signals.contract.journal import JournalWriter
from shared_signals.contract.spec import RunResult
from shared_signals.contract.steps import StepJournal
from shared_signals.decision import OrderSide
from shared_signals.exits import crosses_resting, time_limit_ns
from shared_signals.runner import SignalRunner, Step
from shared_signals.table import SignalTable

log = logging.getLogger(__name__)

HEARTBEAT_TIMER = "q50-heartbeat"
ACCOUNT_EVENTS_TOPIC = "events.account.*"
STOP_CLOSE_REASON = "strategy stopping, close_on_stop"
FILL_ALERT = "q50-fill"
TIME_LIMIT_ALERT = "q50-time-limit"
TIME_LIMIT_REASON = "time_limit barrier (the strategy's timer)"
CROSSED_REASON = "{} barrier crossed before its resting order reached the venue (venue rejected it)"
SIDE_OF = {enums.OrderSide.BUY: OrderSide.BUY, enums.OrderSide.SELL: OrderSide.SELL}
NAUTILUS_SIDE = {OrderSide.BUY: enums.OrderSide.BUY, OrderSide.SELL: enums.OrderSide.SELL}


class Q50Strategy(Strategy):
    """Trades the shared decision on one instrument and journals every step of it.

    ``journal`` is the run's :class:`JournalWriter`; ``signals`` the already validated table (the
    app loads it before the engine starts, so a bad file is refused up front).
    """

    def __init__(self, config: Q50StrategyConfig, journal: JournalWriter, signals: SignalTable) -> None:
        super().__init__(config)
        self._journal = StepJournal(journal)
        self._runner = SignalRunner(config.core, config.starting_balances, own_barriers=False)
        self._exits_on = config.core.exits.enabled
        self._schedule = SignalSchedule(signals, config.core.loader.tolerance_ns, config.signal_delay_ns)
        self._instrument = None
        self._base_currency = None
        self._quote_currency = None
        self._live = False
        self._dirty = True
        self._position = 0.0
        self._base_balance = 0.0
        self._quote_balance = 0.0
        self._in_flight = False
        self._order_signals: dict[ClientOrderId, str | None] = {}
        self._order_causes: dict[ClientOrderId, ExitCause] = {}
        """Why each order that reduces or closes the position was sent (its fills' journal code)."""
        self._exit_orders: dict[ClientOrderId, ExitCause] = {}
        """The resting barrier orders of the open position (not in flight: they may rest for hours)."""
        self._time_limit_ns: int | None = None
        """Market time the open position's time limit falls due (None: none, or already closing)."""
        self._time_limits = 0
        self._crossed: ExitCause | None = None
        """A resting exit the venue rejected as already crossed, whose market close is still to be sent."""
        self._held_quote = False
        """The last quote was held for a resting exit's fill (``_exit_due``): the next one is not."""
        self._pending: set[ClientOrderId] = set()
        """Orders sent and not yet reported closed by Nautilus."""
        self._tick: QuoteTick | None = None
        """The last quote handled: market time and touch for events outside the quote loop."""
        self._signal_in_force = self._schedule.at
        self._step = self._runner.step
        self._next_heartbeat_wall = 0
        self.quotes = 0
        """Quotes handled (the run summary's count; the journal counts the rest)."""

    # -- lifecycle ---------------------------------------------------------------------------------

    def on_start(self) -> None:
        instrument_id = self.config.instrument_id
        self._instrument = self.cache.instrument(instrument_id)
        if self._instrument is None:
            raise RuntimeError(f"instrument {instrument_id} is not in the cache: add it before starting")
        self._base_currency = self._instrument.base_currency
        self._quote_currency = self._instrument.quote_currency
        self._live = isinstance(self.clock, LiveClock)
        self.msgbus.subscribe(topic=ACCOUNT_EVENTS_TOPIC, handler=self._on_account_event)
        if self._live:
            self.clock.set_timer(
                HEARTBEAT_TIMER, timedelta(seconds=self.config.heartbeat_s), callback=self._on_heartbeat_timer
            )
        else:
            self._next_heartbeat_wall = time.monotonic_ns() + self.config.heartbeat_ns
        self.subscribe_quote_ticks(instrument_id)

    def on_stop(self) -> None:
        if self._live and HEARTBEAT_TIMER in self.clock.timer_names:
            self.clock.cancel_timer(HEARTBEAT_TIMER)
        if self._instrument is None:
            return
        self._refresh()
        self._journal.heartbeat(self._last_t, self._position)

    # -- the per-quote loop ------------------------------------------------------------------------

    def on_quote_tick(self, tick: QuoteTick) -> None:
        """One quote through the shared runner. Kept lean: it runs for every quote of the replay.

        ``ts_event`` is market time (the live feed keeps it; ``ts_init`` is when Nautilus got it).
        """
        try:
            t = tick.ts_event
            bid = tick.bid_price.as_double()
            ask = tick.ask_price.as_double()
            self._tick = tick
            self.quotes += 1
            if self._dirty:
                self._refresh()
            exit_due = self._live and self._exit_due(bid, ask)
            if self._crossed is not None and not self._in_flight:
                self._close_by(t, self._crossed)
            elif self._time_limit_ns is not None and t >= self._time_limit_ns and not self._in_flight and not exit_due:
                self._close_by(t, ExitCause.TIME_LIMIT)  # before the quote's signal, as every barrier (shared_signals.exits)
            step = self._step(
                t,
                bid,
                ask,
                self._signal_in_force(t),
                self._position,
                self._quote_balance + self._base_balance * (bid + ask) * 0.5,  # _equity, inlined: every quote
                self._in_flight or exit_due,
            )
            if step.new_signal or step.verdict is not None:
                self._act(t, tick, step)
        except Exception as exc:  # noqa: BLE001 - one bad quote must not kill a live node's data queue
            self._report_error(exc)

    def _exit_due(self, bid: float, ask: float) -> bool:
        """Live, whether this quote fills one of the position's resting exits at the venue, at their
        prices in Nautilus' cache (the LIMIT's price, the STOP's trigger, the armed trailing stop's
        current trigger). The Sandbox fills it on this quote, but the strategy hears of the fill only
        after handling the quote: until then the quote counts as one with an order in flight, so its
        signal (and the time limit) waits for the fill, whose ``exited`` spends the signal as in replay
        (where the venue fills before the strategy sees the quote, and this never holds). A wrong guess
        (no fill came) delays a decision by one quote at most: a quote after a held one is never held."""
        held, self._held_quote = self._held_quote, False
        if held or not self._exit_orders:
            return False
        cache = self.cache
        side, limits, stops = 0, [], []
        for client_order_id in self._exit_orders:
            order = cache.order(client_order_id)
            if order is None or order.is_closed:
                continue
            side = 1 if order.side == enums.OrderSide.SELL else -1  # the exits close: a SELL closes a long
            if order.order_type == enums.OrderType.LIMIT:
                limits.append(order.price.as_double())
            elif order.trigger_price is not None:  # a trailing stop has none until it is armed
                stops.append(order.trigger_price.as_double())
        self._held_quote = side != 0 and crosses_resting(side, bid, ask, limits, stops)
        return self._held_quote

    def _act(self, t: int, tick: QuoteTick, step: Step) -> None:
        """Journals the step, then submits what the gate approved. Live, the signal was received
        when the feed handed the quote to Nautilus, so signal → order spans its data queue too."""
        if self._journal.step(t, step, tick.ts_init if self._live else None):
            self._submit(t, step)

    def replay_heartbeat(self) -> None:
        """Replay has no wall-clock timers (its clock is simulated): the replay loop calls this between
        quote batches, and a heartbeat is journaled when one is due."""
        now = time.monotonic_ns()
        if now >= self._next_heartbeat_wall:
            self._next_heartbeat_wall = now + self.config.heartbeat_ns
            self._journal.heartbeat(self._last_t, self._position)

    def _submit(self, t: int, step: Step) -> None:
        decision = step.decision
        if step.cause is not None:
            self._cancel_exits()
        kill = step.cause is ExitCause.KILL_SWITCH
        self._send(t, step.order_signal_id, decision.side, decision.order_qty, step.price, reduce_only=kill, cause=step.cause)

    def _send(
        self, t: int | None, signal_id: str | None, side: OrderSide, qty: float, price: float, reduce_only: bool,
        cause: ExitCause | None = None,
    ) -> None:
        """Journals ``order_submitted`` (wall clock taken right before) and hands the order to Nautilus."""
        order = self.order_factory.market(
            self.config.instrument_id, NAUTILUS_SIDE[side], self._instrument.make_qty(qty), reduce_only=reduce_only
        )
        self._order_signals[order.client_order_id] = signal_id
        if cause is not None:
            self._order_causes[order.client_order_id] = cause
        self._pending.add(order.client_order_id)
        self._in_flight = True
        self._dirty = True
        self._journal.submitted(t, signal_id, side, qty, price, time.time_ns(), cause)
        self.submit_order(order)
        if self.config.fill_delay_ns > 0 and not self._live:
            self._alert_at_fill_time(order.client_order_id, self._exits_on and not reduce_only)

    def _alert_at_fill_time(self, client_order_id: ClientOrderId, exits_follow: bool) -> None:
        """The LatencyModel holds the order for the fill delay, but the backtest clock advances only with
        data and timers: without a timer the order would reach the venue at the next quote (900 s later on
        15-minute quotes). The engine settles its venues at each timer's time before the next quote, so an
        alert at the fill time fills the order then, at the quote in force. One alert per order, and for an
        opening order one more a delay after its fill, when the resting exits it sends reach the venue. When the
        fill time is a quote's own time, Nautilus hands the strategy that quote first (the order still in
        flight) and fills against it right after: the same price. ``exits_follow``: the order may open a
        position (not reduce-only), whose exits then need the second alert."""
        fill_ns = self.clock.timestamp_ns() + self.config.fill_delay_ns
        self.clock.set_time_alert_ns(f"{FILL_ALERT}-{client_order_id}", fill_ns, _fill_time_reached)
        if exits_follow:
            # an alert set while the engine settles a fill is not seen before the next quote: the exits
            # a fill that opens (or flips) a position sends at ``fill_ns`` reach the venue a delay later
            self.clock.set_time_alert_ns(f"{FILL_ALERT}-{client_order_id}-exits", fill_ns + self.config.fill_delay_ns, _fill_time_reached)

    # -- native exits ------------------------------------------------------------------------------

    def _place_exits(self, t: int) -> None:
        """On the fill that opened a position: its price barriers' resting orders (one-updates-other)
        and its time limit's alert (replay: at that market time; live, where the clock is the wall's,
        the quote handler checks the market time instead)."""
        position = self._runner.open_position
        if position is None:
            return
        quantity = self._instrument.make_qty(abs(self.net_position()))
        orders = exit_orders(self.order_factory, self.trader_id, self.id, self._instrument, position, quantity, self.clock.timestamp_ns())
        self._exit_orders = client_ids(orders)
        self._order_causes.update(self._exit_orders)  # live, a fill may cross its cancel: it keeps its cause
        for order, cause in orders:  # each rests at the venue from now: its ``order_submitted``, at its price
            price = order.price if order.has_price else order.activation_price if cause is ExitCause.TRAILING_STOP else order.trigger_price
            self._journal.submitted(t, None, SIDE_OF[order.side], quantity.as_double(), price.as_double(), time.time_ns(), cause)
        listed = as_list(orders)
        if listed is not None:
            self.submit_order_list(listed)
        elif orders:
            self.submit_order(orders[0][0])
        due = time_limit_ns(position)
        self._time_limit_ns = due
        if due is not None and not self._live:
            self._time_limits += 1
            self.clock.set_time_alert_ns(f"{TIME_LIMIT_ALERT}-{self._time_limits}", max(due, self.clock.timestamp_ns()), self._on_time_limit)

    def _cancel_exits(self) -> None:
        """A signal's close or flip, the kill switch's close, the time limit or the stop: the resting exits go first."""
        cache = self.cache
        for client_order_id in self._exit_orders:
            order = cache.order(client_order_id)
            if order is not None and order.is_open:
                self.cancel_order(order)
        self._exit_orders = {}
        self._time_limit_ns = None

    def _on_time_limit(self, event: TimeEvent) -> None:
        if self._time_limit_ns is None or event.ts_event < self._time_limit_ns:
            return  # the position it was set for is closed already
        if self._dirty:
            self._refresh()
        if not self._in_flight:
            self._close_by(event.ts_event, ExitCause.TIME_LIMIT)

    def _on_exit_rejected(self, t: int, cause: ExitCause) -> None:
        """The venue rejected a resting exit because its price was already in the market when it arrived
        (a gap, or a fill delay that let the price move): the barrier it stood for is crossed. Rather than
        leave the position without it, the strategy closes by market order with that exit's cause now
        (or on the next quote, if an order is in flight or the gate refuses), cancelling the others."""
        if self._crossed is None:  # the first crossed barrier names the close; the others are linked to it
            self._crossed = cause
        if self._dirty:
            self._refresh()
        if not self._in_flight:
            self._close_by(t, self._crossed)

    def _close_by(self, t: int, cause: ExitCause) -> None:
        """A barrier's market close (the time limit's timer, a crossed exit the venue rejected) at the
        quote in force, reduce-only, through the shared risk gate. Refused (a closed market's stale
        quote), it is tried again on the next quote."""
        tick = self._tick
        bid, ask = tick.bid_price.as_double(), tick.ask_price.as_double()
        reason = TIME_LIMIT_REASON if cause is ExitCause.TIME_LIMIT else CROSSED_REASON.format(cause)
        step = self._runner.close(t, bid, ask, self._position, self._equity(bid, ask), reason, cause, tick.ts_event)
        if step.decision.is_order and not step.submit:
            self._journal.step(t, step)
            return  # refused: the crossed exit's close is tried again on the next quote
        self._crossed = None
        if not self._journal.step(t, step):
            return
        self._cancel_exits()
        self._runner.exited(self._signal_in_force(t))
        decision = step.decision
        self._send(t, None, decision.side, decision.order_qty, step.price, reduce_only=True, cause=cause)

    # -- platform state ----------------------------------------------------------------------------

    def _refresh(self) -> None:
        """Re-reads position, balances and the state of the orders sent from Nautilus.

        An order counts as in flight until Nautilus reports it closed (filled, rejected, denied,
        canceled): on a live node it sits in the RiskEngine's queue as INITIALIZED for a while,
        which the cache's in-flight and open counts do not include.
        """
        self._position = self.net_position()
        account = self.portfolio.account(self.config.instrument_id.venue)
        if account is not None:
            base = account.balance_total(self._base_currency)
            quote = account.balance_total(self._quote_currency)
            self._base_balance = base.as_double() if base is not None else 0.0
            self._quote_balance = quote.as_double() if quote is not None else 0.0
        cache = self.cache
        self._pending = {coid for coid in self._pending if not cache.order(coid).is_closed}
        self._in_flight = bool(self._pending)
        self._dirty = False

    def _equity(self, bid: float, ask: float) -> float:
        """Mark-to-market equity in quote currency from Nautilus' balances, at the mid."""
        return self._quote_balance + self._base_balance * (bid + ask) * 0.5

    @property
    def _last_t(self) -> int | None:
        """Market time of the last quote handled (None before the first)."""
        return self._tick.ts_event if self._tick is not None else None

    def _event_t(self, event: OrderEvent) -> int | None:
        """Market time of an order event: its own in replay (the backtest clock is market time, and a
        delayed order's events come at its fill time, between quotes); live, where Nautilus' clock is the
        wall clock, the last quote's."""
        return self._last_t if self._live else event.ts_event

    def net_position(self) -> float:
        """Signed base quantity of this strategy's open positions, from Nautilus' cache.

        Rounded to the instrument's size precision: Nautilus' float view of its fixed-point
        quantities carries binary noise (0.02453 → 0.024530000000000003).
        """
        positions = self.cache.positions_open(instrument_id=self.config.instrument_id, strategy_id=self.id)
        return round(sum(p.signed_qty for p in positions), self._instrument.size_precision)

    def is_settled(self) -> bool:
        """No order of this strategy is open or in flight (used to wait for a final close to fill)."""
        self._refresh()
        return not self._in_flight

    def close_open_position(self) -> bool:
        """Closes the open position with a reduce-only market order, through the shared risk gate.

        Called by the run before it stops the engine or node, while the strategy still runs (a
        stopped Nautilus strategy no longer receives its fills). True if an order was sent.
        """
        tick = self._tick
        if not self.config.close_on_stop or tick is None:
            return False
        self._refresh()
        if self._in_flight:
            return False
        t = tick.ts_event
        bid = tick.bid_price.as_double()
        ask = tick.ask_price.as_double()
        step = self._runner.close(t, bid, ask, self._position, self._equity(bid, ask), STOP_CLOSE_REASON)
        if not self._journal.step(t, step):
            return False
        self._cancel_exits()
        decision = step.decision
        self._send(t, None, decision.side, decision.order_qty, step.price, reduce_only=True, cause=ExitCause.END_OF_RUN)
        return True

    # -- Nautilus events ---------------------------------------------------------------------------

    def on_order_event(self, event: OrderEvent) -> None:
        self._dirty = True

    def on_position_event(self, event: PositionEvent) -> None:
        self._dirty = True

    def _on_account_event(self, event: object) -> None:
        self._dirty = True

    def on_order_accepted(self, event: OrderAccepted) -> None:
        self._journal.accepted(self._event_t(event), self._order_signals.get(event.client_order_id), *self._side_and_qty(event))

    def _side_and_qty(self, event: OrderEvent) -> tuple[OrderSide | None, float | None]:
        """The side and quantity of the order ``event`` is about, from Nautilus' cache (None, None if it is gone)."""
        order = self.cache.order(event.client_order_id)
        if order is None:
            return None, None
        return SIDE_OF.get(order.side), order.quantity.as_double()

    def on_order_filled(self, event: OrderFilled) -> None:
        instrument = self._instrument
        client_order_id = event.client_order_id
        price = round(event.last_px.as_double(), instrument.price_precision)
        t, side = self._event_t(event), SIDE_OF[event.order_side]
        qty, position = round(event.last_qty.as_double(), instrument.size_precision), self.net_position()
        barrier = self._exit_orders.get(client_order_id)
        self._journal.filled(
            t, self._order_signals.get(client_order_id), side, qty, price, position, self._fee_in_quote(event, price),
            barrier or self._order_causes.get(client_order_id),
        )
        if not self._exits_on:
            return
        opened = self._runner.filled(t, side, qty, price, position)
        if barrier is not None:
            self._runner.exited(self._signal_in_force(t))
            self._cancel_exits()  # the venue cancels the linked ones; this ends the time limit too
        elif opened:
            self._place_exits(t)

    def _fee_in_quote(self, event: OrderFilled, price: float) -> float:
        """The fill's commission in quote currency (a base-currency commission is valued at the fill price)."""
        commission = event.commission
        if commission.currency == self._base_currency:
            return commission.as_double() * price
        return commission.as_double()

    def on_order_rejected(self, event: OrderRejected) -> None:
        self._journal_refusal(event, VenueRefusal.VENUE_REJECTED, f"venue rejected: {event.reason}")
        cause = self._exit_orders.get(event.client_order_id)
        if cause is None or not self._exits_on:
            return
        order = self.cache.order(event.client_order_id)
        if cause is ExitCause.TRAILING_STOP and order is not None and order.activation_price is not None:
            self._arm_trailing_stop(self._event_t(event), order)
        else:
            self._on_exit_rejected(self._event_t(event), cause)

    def _arm_trailing_stop(self, t: int, rejected: Order) -> None:
        """The price went past the trailing stop's activation before the order arrived: the barrier arms
        there (``shared_signals.exits``), so the order goes again, armed on arrival from the touch."""
        position = self._runner.open_position
        del self._exit_orders[rejected.client_order_id]
        if position is None:
            return
        order = armed_trailing_stop(self.order_factory, rejected, self._instrument, position, self.clock.timestamp_ns())
        self._exit_orders[order.client_order_id] = self._order_causes[order.client_order_id] = ExitCause.TRAILING_STOP
        touch = self._tick.bid_price if order.side == enums.OrderSide.SELL else self._tick.ask_price
        self._journal.submitted(t, None, SIDE_OF[order.side], order.quantity.as_double(), touch.as_double(), time.time_ns(),
                                ExitCause.TRAILING_STOP)
        self.submit_order(order)
        if self.config.fill_delay_ns > 0 and not self._live:
            self._alert_at_fill_time(order.client_order_id, exits_follow=False)  # it reaches the venue then

    def on_order_denied(self, event: OrderDenied) -> None:
        self._journal_refusal(event, VenueRefusal.PLATFORM_DENIED, f"Nautilus RiskEngine denied: {event.reason}")

    def _journal_refusal(self, event: OrderRejected | OrderDenied, code: VenueRefusal, reason: str) -> None:
        signal_id = self._order_signals.get(event.client_order_id)
        if signal_id is not None:
            self._runner.refused_by_platform(signal_id)
        elif self._order_causes.get(event.client_order_id) is ExitCause.KILL_SWITCH:
            self._runner.kill_close_refused()
        side, qty = self._side_and_qty(event)
        self._journal.rejected(self._event_t(event), signal_id, side, qty, None, code, reason)

    def _on_heartbeat_timer(self, event: TimeEvent) -> None:
        if self._dirty:
            self._refresh()
        self._journal.heartbeat(self._last_t, self._position)

    # -- errors and summary ------------------------------------------------------------------------

    def _report_error(self, exc: Exception) -> None:
        reason = f"{type(exc).__name__}: {exc}"
        if self._journal.error(self._last_t, ErrorKind.HANDLER_FAILED, reason, once=True):
            log.exception("quote handler failed: %s", reason)

    def report_error(self, code: ErrorKind, reason: str) -> None:
        """Journals an error the run met outside the strategy (e.g. a bad quote row mid-file)."""
        self._journal.error(self._last_t, code, reason)

    def result(self, platform_dir: Path, wall_s: float, *notes: str) -> RunResult:
        """The run's summary from this strategy's counters, with ``notes`` before its own."""
        return RunResult(
            platform=PLATFORM,
            platform_dir=platform_dir,
            quotes=self.quotes,
            orders=self._journal.orders,
            fills=self._journal.fills,
            rejections=self._journal.rejections,
            wall_s=wall_s,
            notes=(*notes, *self.notes()),
        )

    def notes(self) -> tuple[str, ...]:
        """Lines for the run summary: errors met, a tripped kill switch."""
        notes = []
        if self._journal.errors:
            notes.append(f"errors: {self._journal.errors} (see the journal)")
        if self._runner.gate.kill_reason is not None:
            notes.append(self._runner.gate.kill_reason)
        return tuple(notes)


def _fill_time_reached(event: TimeEvent) -> None:
    """Nothing to do: the alert is there so the backtest clock stops at the fill time."""
