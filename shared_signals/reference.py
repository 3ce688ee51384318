"""Reference replay: the shared :class:`SignalRunner` over quotes and signals on an idealised venue.

The fill rule of matched venues, the same on every platform: a market order decided at market time
``d`` fills at the touch (ask for buys, bid for sells) of the quote **in force** at ``d + fill_delay``
(the last quote with a time at or before it: the deciding quote itself when the delay is zero or
shorter than the wait for the next quote), stamped ``d + fill_delay``, paying the platform's venue fee
(a fraction of the notional, in quote currency). An order due after the last quote is not filled, as
on the platforms, whose clocks end with the data. The risk gate sees the equity the platforms' paper
accounts hold: the starting quote balance, and the starting base inventory plus the position at the
mid, so its kill switch trips where theirs would. This is what each platform *should* do with the
same inputs; the evaluator and the tests measure each platform against it.

With ``SignalCoreConfig.exits`` set, the runner closes each position at its barriers
(``shared_signals.exits``) as the platforms' runners do, on each quote, by a market order under the
same fill rule; each fill tells the runner the entry it measures from. A barrier's close carries no
signal_id, its ``cause`` says which barrier. The time limit is the one barrier that falls due between
quotes: every platform's clock stops at the deadline (Nautilus' timer, Hummingbot's wake-up), so the
reference decides it there too, on the quote in force, not on the next quote (which on sparse quotes
may be hours and a weekend later).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from shared_signals.asof import SignalSchedule
from shared_signals.config import DEFAULT_STARTING_BASE, DEFAULT_STARTING_QUOTE, SignalCoreConfig
from shared_signals.runner import SignalRunner
from shared_signals.table import SignalTable


@dataclass(frozen=True, slots=True)
class ReferenceTrade:
    decided_ns: int
    filled_ns: int
    signal_id: str | None
    """None for a barrier's close."""
    action: str
    side: int
    qty: float
    price: float
    position_after: float
    fee: float
    """Quote currency."""
    cause: str | None = None
    """Why the order reduces or closes the position (an ``ExitCause``: ``signal`` or a barrier); None
    for one that opens or adds."""


@dataclass(frozen=True, slots=True)
class ReferenceVenue:
    """The idealised venue a platform's reference replay fills on: that platform's fill delay (market
    time) and fee (a fraction of the notional), as its ``run.json`` states them."""

    fill_delay_ns: int = 0
    fee_rate: float = 0.0


@dataclass(frozen=True, slots=True)
class _Order:
    decided_ns: int
    due_ns: int
    signal_id: str | None
    action: str
    side: int
    qty: float
    cause: str | None


def reference_replay(
    quote_batches: Iterable[pd.DataFrame],
    signals: SignalTable,
    config: SignalCoreConfig = SignalCoreConfig(),
    venue: ReferenceVenue = ReferenceVenue(),
    starting_quote: float = DEFAULT_STARTING_QUOTE,
    starting_base: float = DEFAULT_STARTING_BASE,
    signal_delay_ns: int = 0,
) -> list[ReferenceTrade]:
    """Trades the shared decision makes on these inputs, in order; ``signal_delay_ns``: the run's
    injected delivery delay, as every platform sees it."""
    schedule = SignalSchedule(signals, config.loader.tolerance_ns, signal_delay_ns)
    runner = SignalRunner(config, (starting_quote, starting_base))
    cash = starting_quote
    position = 0.0
    pending: _Order | None = None
    trades: list[ReferenceTrade] = []

    def fill(order: _Order, t: int, bid: float, ask: float) -> None:
        nonlocal cash, position
        price = ask if order.side > 0 else bid
        fee = order.qty * price * venue.fee_rate
        position = round(position + order.side * order.qty, 10)
        cash -= order.side * order.qty * price + fee
        trades.append(
            ReferenceTrade(order.decided_ns, t, order.signal_id, order.action, order.side, order.qty, price, position, fee, order.cause)
        )
        runner.filled(t, order.side, order.qty, price, position)

    def decide(t: int, bid: float, ask: float, quoted_ns: int) -> None:
        nonlocal pending
        equity = cash + (starting_base + position) * (bid + ask) / 2.0
        step = runner.step(t, bid, ask, schedule.at(t), position, equity, pending is not None, quoted_ns)
        if not step.submit:
            return
        d = step.decision
        cause = None if step.cause is None else str(step.cause)
        pending = _Order(t, t + venue.fill_delay_ns, step.order_signal_id, d.action.value, d.side, d.order_qty, cause)
        if venue.fill_delay_ns <= 0:
            fill(pending, t, bid, ask)
            pending = None

    def settle(t: int, bid: float, ask: float) -> None:
        """Fills the order in flight if it is due by ``t`` (at this quote, or the one in force before it)."""
        nonlocal pending
        if pending is not None and t >= pending.due_ns:
            fill(pending, pending.due_ns, *((bid, ask) if t == pending.due_ns else previous))
            pending = None

    previous = (0.0, 0.0)  # the last quote's bid and ask: in force until this quote's time
    previous_ns: int | None = None
    for batch in quote_batches:
        for t, bid, ask in zip(batch.index.as_unit("ns").asi8.tolist(), batch["bid_price"].tolist(), batch["ask_price"].tolist()):
            settle(t, bid, ask)
            due = runner.barrier_due_ns()
            if pending is None and due is not None and previous_ns is not None and previous_ns < due < t:
                decide(due, *previous, previous_ns)
                settle(t, bid, ask)
            previous, previous_ns = (bid, ask), t
            decide(t, bid, ask, t)
    return trades
