"""The triple barrier of ``SignalCoreConfig.exits`` as pure functions: where each barrier of an open
position lies, and which one (if any) a quote hits.

The rules are Hummingbot V2's ``PositionExecutor`` (``control_barriers``), so every platform closes
where the executor would:

- A barrier is a fraction of the entry price, measured on the price the position would close at: the
  bid for a long, the ask for a short. The profit fraction is ``side * (close_price - entry) / entry``,
  gross of fees (a bracket's trigger prices are, too; the executor nets the fees it has paid, which is
  the same on a venue without fees).
- Checked on every quote in the executor's order: stop loss (profit <= -stop_loss), trailing stop,
  take profit (profit >= take_profit), time limit (at or after ``entry + time_limit``). The first hit
  closes, by a market order, before the signal of that quote is looked at: a venue's resting exits
  fill on a quote before a strategy sees it, so every platform closes the same way.
- The trailing stop arms once the profit exceeds ``trailing_stop_activation``; its trigger is then the
  best profit since minus ``trailing_stop_delta`` (fractions of the entry price, as the executor's
  ``_trailing_stop_trigger_pct``), and it closes when the profit falls below the trigger. A quote
  first tests the trigger, then raises it: the quote that arms it never closes.
- With ``scale_by_target_pct`` each price barrier is that multiple of the opening signal's
  ``target_pct`` (``TripleBarrierConfig.new_instance_with_adjusted_volatility``); the time limit is not
  scaled.

After a barrier closes a position it stays flat until a signal that is not the one in force at the
close opens a new one (see ``SignalRunner``): the same signal, still in force for the rest of its bar,
would otherwise reopen the position on the next quote, and the barrier would have cut nothing. A
signal that comes on the very quote of the close was in force when it closed: it is spent too (a
venue fills a resting exit on a quote before the strategy sees that quote's signal).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from shared_signals.config import NANOS_PER_SECOND, ExitParams
from shared_signals.contract.codes import ExitCause


class Barriers(NamedTuple):
    """One position's barriers, scaled: fractions of the entry price (None: that barrier is off)."""

    stop_loss: float | None
    take_profit: float | None
    time_limit_ns: int | None
    trailing_activation: float | None
    trailing_delta: float | None


class OpenPosition(NamedTuple):
    """What the barriers of a position are measured from. Immutable: a quote that moves the trailing
    stop's trigger gives a new one (see :func:`check_barriers`)."""

    side: int
    """+1 long, -1 short."""
    entry_price: float
    entry_ns: int
    """Market time of the entry fill: the time limit counts from here."""
    barriers: Barriers
    trailing_trigger: float | None = None
    """The profit fraction below which the armed trailing stop closes; None until it arms."""


def barriers_for(params: ExitParams, target_pct: float | None = None) -> Barriers:
    """The barriers of a position opened by a signal whose ``target_pct`` is given (used only when
    ``params.scale_by_target_pct``)."""
    scale = 1.0
    if params.scale_by_target_pct:
        if target_pct is None or not target_pct > 0:
            raise ValueError(f"scale_by_target_pct needs the opening signal's target_pct, got {target_pct!r}")
        scale = target_pct

    def scaled(value: float | None) -> float | None:
        return None if value is None else value * scale

    time_limit = params.time_limit_s
    return Barriers(
        scaled(params.stop_loss),
        scaled(params.take_profit),
        None if time_limit is None else round(time_limit * NANOS_PER_SECOND),
        scaled(params.trailing_stop_activation),
        scaled(params.trailing_stop_delta),
    )


def profit_fraction(position: OpenPosition, bid: float, ask: float) -> float:
    """The position's gross profit as a fraction of its entry price, closed at the touch now."""
    close_price = bid if position.side > 0 else ask
    return position.side * (close_price - position.entry_price) / position.entry_price


def check_barriers(position: OpenPosition, t_ns: int, bid: float, ask: float) -> tuple[ExitCause | None, OpenPosition]:
    """The barrier this quote hits (None: none), in the executor's order, and the position with its
    trailing trigger moved by the quote."""
    barriers = position.barriers
    profit = profit_fraction(position, bid, ask)
    if barriers.stop_loss is not None and profit <= -barriers.stop_loss:
        return ExitCause.STOP_LOSS, position
    delta = barriers.trailing_delta
    if delta is not None:
        trigger = position.trailing_trigger
        if trigger is None:
            if profit > barriers.trailing_activation:
                position = position._replace(trailing_trigger=profit - delta)
        else:
            if profit < trigger:
                return ExitCause.TRAILING_STOP, position
            if profit - delta > trigger:
                position = position._replace(trailing_trigger=profit - delta)
    if barriers.take_profit is not None and profit >= barriers.take_profit:
        return ExitCause.TAKE_PROFIT, position
    if barriers.time_limit_ns is not None and t_ns >= position.entry_ns + barriers.time_limit_ns:
        return ExitCause.TIME_LIMIT, position
    return None, position


def barrier_prices(position: OpenPosition) -> tuple[float | None, float | None, float | None]:
    """The close-side prices at which the stop loss, take profit and trailing stop's activation lie:
    what a platform's resting orders for this position are placed at (None: that barrier is off)."""
    barriers = position.barriers
    entry, side = position.entry_price, position.side

    def at(fraction: float | None, sign: int) -> float | None:
        if fraction is None:
            return None
        price = entry * (1.0 + sign * side * fraction)
        return price if price > 0 else None  # a short's take profit a whole entry price away: never reached

    return at(barriers.stop_loss, -1), at(barriers.take_profit, 1), at(barriers.trailing_activation, 1)


def crosses_resting(side: int, bid: float, ask: float, limits: Iterable[float], stops: Iterable[float]) -> bool:
    """Whether this quote fills a resting close of a ``side`` (+1 long, -1 short) position, by a
    matching venue's rule (Nautilus' ``MatchingCore``), on the touch it closes at (the bid for a long,
    the ask for a short): a LIMIT at a price at or beyond the touch (a long's take profit: bid >= price),
    or a stop triggered at or through its trigger (a long's stop: bid <= trigger).

    For a strategy that hears of its venue's fills after it handles the quote (a live node): on such a
    quote the fill is coming, and the quote's signal must wait for it (see ``SignalRunner.exited``)."""
    touch = bid if side > 0 else ask
    return any(side * (touch - price) >= 0 for price in limits) or any(side * (touch - price) <= 0 for price in stops)


def time_limit_ns(position: OpenPosition) -> int | None:
    """Market time at which the time limit closes the position (None: no time limit)."""
    limit = position.barriers.time_limit_ns
    return None if limit is None else position.entry_ns + limit


def order_cause(side: int, position: float, flat_below: float) -> ExitCause | None:
    """The cause a signal's order carries: ``signal`` when it reduces, closes or flips ``position``,
    None when it opens one from flat or adds to it."""
    if abs(position) < flat_below or side * position > 0:
        return None
    return ExitCause.SIGNAL
