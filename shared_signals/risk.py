"""Pre-trade risk gate: every order of either platform passes here before it may reach the venue.

Checks, in order: a sane order; a quote in force (younger than the limit, by default the quote file's
own spacing: a quote is in force until its successor is due, and a closed market fills nothing,
whichever way the order goes); the kill switch (daily loss, drawdown from peak); the position caps
(absolute and as a fraction of equity); the notional cap; the order rate. An order that only
reduces the position passes the kill switch and position caps, so a tripped gate can still flatten.
A refusal carries its reason, for the journal.
"""

from __future__ import annotations

import math
from collections import deque
from enum import StrEnum
from typing import NamedTuple

from shared_signals.bar import duration_words
from shared_signals.config import NANOS_PER_DAY, NANOS_PER_HOUR, NANOS_PER_MINUTE, NANOS_PER_SECOND, RiskLimits

ABSOLUTE_TOLERANCE = 1e-9


class RiskRule(StrEnum):
    """The limit that refused an order: the journal's refusal code, and what "the same refusal"
    means when a refusal is reported once (the reason's figures change with every quote)."""

    INVALID_ORDER = "invalid_order"
    STALE_QUOTE = "stale_quote"
    """The quote the order would trade at is as old as the limit or older: its successor was due and
    has not come, a closed market."""
    KILL_SWITCH = "kill_switch"
    MAX_POSITION_QTY = "max_position_qty"
    EQUITY = "equity"
    MAX_POSITION_FRACTION = "max_position_fraction"
    MAX_ORDER_NOTIONAL = "max_order_notional"
    MAX_ORDERS_PER_MINUTE = "max_orders_per_minute"


class RiskVerdict(NamedTuple):
    approved: bool
    reason: str
    rule: RiskRule | None = None
    """The limit that refused; None when approved."""


APPROVED = RiskVerdict(True, "approved")


class RiskGate:
    """Stateful: remembers recent order times, the day's opening equity, the equity peak, and a tripped switch."""

    __slots__ = ("limits", "_recent", "_day_start_ns", "_day_end_ns", "_day_open", "_peak", "_floor", "_kill_reason")

    def __init__(self, limits: RiskLimits = RiskLimits()) -> None:
        self.limits = limits
        self._recent: deque[int] = deque()
        self._day_start_ns = 0
        self._day_end_ns = 0
        self._day_open = 0.0
        self._peak = 0.0
        self._floor = math.inf
        """At or above this equity (and at most the peak, on the same day) nothing can change or
        trip: most quotes stop at that one comparison."""
        self._kill_reason: str | None = None

    @property
    def kill_reason(self) -> str | None:
        return self._kill_reason

    def observe_equity(self, ts_ns: int, equity: float) -> None:
        """Feeds mark-to-market equity; trips the kill switch on a daily-loss or drawdown breach."""
        if self._floor <= equity <= self._peak and self._day_start_ns <= ts_ns < self._day_end_ns:
            return
        if not -math.inf < equity < math.inf:
            return
        if not self._day_start_ns <= ts_ns < self._day_end_ns:
            self._day_start_ns = ts_ns - ts_ns % NANOS_PER_DAY
            self._day_end_ns = self._day_start_ns + NANOS_PER_DAY
            self._day_open = equity
        if equity > self._peak:
            self._peak = equity
        limits = self.limits
        self._floor = max(
            self._day_open * (1.0 - limits.max_daily_loss_fraction), self._peak * (1.0 - limits.max_drawdown_fraction)
        )
        if self._kill_reason is not None:
            return
        if self._day_open > 0 and equity < self._day_open * (1.0 - limits.max_daily_loss_fraction):
            self._kill_reason = (
                f"kill switch: daily loss {1 - equity / self._day_open:.2%} > {limits.max_daily_loss_fraction:.2%}"
            )
        elif self._peak > 0 and equity < self._peak * (1.0 - limits.max_drawdown_fraction):
            self._kill_reason = f"kill switch: drawdown {1 - equity / self._peak:.2%} > {limits.max_drawdown_fraction:.2%}"

    def check(
        self, ts_ns: int, side: int, qty: float, price: float, position: float, equity: float, quote_age_ns: int = 0
    ) -> RiskVerdict:
        """Approves or refuses one order; an approved order counts towards the rate limit.
        ``quote_age_ns``: how old the quote at ``price`` is at ``ts_ns``."""
        if (side != 1 and side != -1) or not 0.0 < qty < math.inf or not 0.0 < price < math.inf:
            return RiskVerdict(False, f"invalid order: side {side}, qty {qty}, price {price}", RiskRule.INVALID_ORDER)
        self.observe_equity(ts_ns, equity)
        limits = self.limits
        if quote_age_ns >= limits.max_quote_age_s * NANOS_PER_SECOND:
            return RiskVerdict(
                False,
                f"closed market: the last quote is {quote_age_ns / NANOS_PER_HOUR:.2f} h old "
                f"(in force for less than {duration_words(round(limits.max_quote_age_s * NANOS_PER_SECOND))})",
                RiskRule.STALE_QUOTE,
            )
        new_position = position + side * qty
        reducing = abs(new_position) <= abs(position) + ABSOLUTE_TOLERANCE and new_position * position >= 0
        if not reducing:
            if self._kill_reason is not None:
                return RiskVerdict(False, self._kill_reason, RiskRule.KILL_SWITCH)
            if abs(new_position) > limits.max_position_qty + ABSOLUTE_TOLERANCE:
                return RiskVerdict(
                    False, f"position {new_position:.8g} would exceed max {limits.max_position_qty:g}", RiskRule.MAX_POSITION_QTY
                )
            if not (equity > 0 and math.isfinite(equity)):
                return RiskVerdict(False, f"equity {equity} is not positive", RiskRule.EQUITY)
            exposure = abs(new_position) * price / equity
            if exposure > limits.max_position_fraction + ABSOLUTE_TOLERANCE:
                return RiskVerdict(
                    False,
                    f"position {exposure:.2%} of equity would exceed max {limits.max_position_fraction:.2%}",
                    RiskRule.MAX_POSITION_FRACTION,
                )
        notional = qty * price
        if notional > limits.max_order_notional + ABSOLUTE_TOLERANCE:
            return RiskVerdict(
                False, f"order notional {notional:.2f} exceeds max {limits.max_order_notional:.2f}", RiskRule.MAX_ORDER_NOTIONAL
            )
        recent = self._recent
        window_start = ts_ns - NANOS_PER_MINUTE
        while recent and recent[0] <= window_start:
            recent.popleft()
        if len(recent) >= limits.max_orders_per_minute:
            return RiskVerdict(
                False,
                f"order rate: {len(recent)} orders in the last minute (max {limits.max_orders_per_minute})",
                RiskRule.MAX_ORDERS_PER_MINUTE,
            )
        recent.append(ts_ns)
        return APPROVED
