"""The one mapping from what a strategy meets to journal records, used by every platform's adapter.

A runner :class:`~shared_signals.runner.Step` becomes ``signal_received`` (the first quote at which a
signal is in force), ``decision`` (for a new signal, an order sent, or a refusal met for the first
time; with the touch it was decided at) and, when the risk gate refused, ``order_rejected``. The
adapter then reports what its platform did: orders submitted, accepted, refused and filled, skips, errors,
heartbeats. ``sim_ts_ns`` is market time, ``wall_ns`` the wall clock (taken now unless given).
The counts kept here are the run's summary counts.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from shared_signals.contract.codes import ErrorKind, EventKind, ExitCause, NoticeKind, SkipKind
from shared_signals.contract.journal import JournalWriter
from shared_signals.decision import OrderSide
from shared_signals.runner import Step

log = logging.getLogger(__name__)


class StepJournal:
    """Writes one strategy's events through ``writer`` and counts them."""

    __slots__ = ("writer", "orders", "fills", "rejections", "skipped", "errors", "_errors_seen")

    def __init__(self, writer: JournalWriter) -> None:
        self.writer = writer
        self.orders = self.fills = self.rejections = self.skipped = self.errors = 0
        self._errors_seen: set[tuple[ErrorKind, str]] = set()

    def step(self, t_ns: int, step: Step, received_wall_ns: int | None = None) -> bool:
        """Journals what ``step`` says; True when its order is to be submitted now.

        ``received_wall_ns``: when the platform got the quote that made the signal visible (live),
        so signal → order spans the platform's own data queue; None = now."""
        signal_id = step.signal.signal_id if step.signal is not None else None
        if step.new_signal:
            self.writer.write(EventKind.SIGNAL_RECEIVED, sim_ts_ns=t_ns, signal_id=signal_id, wall_ns=received_wall_ns)
        if step.journal_decision:
            decision = step.decision
            self.writer.write(
                EventKind.DECISION, sim_ts_ns=t_ns, signal_id=signal_id, side=decision.side or None,
                qty=decision.order_qty, price=step.price, position_after=decision.target_position,
                reason=decision.reason, code=decision.action,
            )
        verdict = step.verdict
        if verdict is not None and not verdict.approved and step.first_refusal:
            decision = step.decision
            self.rejected(t_ns, signal_id, decision.side, decision.order_qty, step.price, verdict.rule, verdict.reason)
        return step.submit

    def submitted(
        self, t_ns: int | None, signal_id: str | None, side: OrderSide, qty: float, price: float, wall_ns: int | None = None,
        code: ExitCause | None = None,
    ) -> None:
        """Written just before the order goes to the platform, so it precedes the order's own events;
        ``code``: why an order that reduces or closes the position was sent."""
        self.orders += 1
        self.writer.write(
            EventKind.ORDER_SUBMITTED, sim_ts_ns=t_ns, signal_id=signal_id, side=side, qty=qty, price=price, wall_ns=wall_ns, code=code
        )

    def accepted(self, t_ns: int | None, signal_id: str | None, side: OrderSide | None, qty: float | None) -> None:
        """The venue took the order, stamped on the wall clock as the platform reports it."""
        self.writer.write(EventKind.ORDER_ACCEPTED, sim_ts_ns=t_ns, signal_id=signal_id, side=side, qty=qty)

    def rejected(
        self, t_ns: int | None, signal_id: str | None, side: OrderSide | None, qty: float | None, price: float | None,
        code: StrEnum, reason: str,
    ) -> None:
        """A refusal by the shared risk gate (code: its rule), the platform or its venue."""
        self.rejections += 1
        self.writer.write(
            EventKind.ORDER_REJECTED, sim_ts_ns=t_ns, signal_id=signal_id, side=side, qty=qty, price=price, reason=reason, code=code
        )

    def filled(
        self, t_ns: int | None, signal_id: str | None, side: OrderSide, qty: float, price: float, position_after: float,
        fee: float | None, code: ExitCause | None = None,
    ) -> None:
        """One fill; ``position_after`` is the platform's own position once it is applied, ``fee`` in quote
        currency, ``code`` its order's close cause."""
        self.fills += 1
        self.writer.write(
            EventKind.ORDER_FILLED, sim_ts_ns=t_ns, signal_id=signal_id, side=side, qty=qty, price=price,
            position_after=position_after, fee=fee, code=code,
        )

    def skipped_signal(self, t_ns: int, signal_id: str | None, code: SkipKind, reason: str) -> None:
        self.skipped += 1
        self.writer.write(EventKind.SIGNAL_SKIPPED, sim_ts_ns=t_ns, signal_id=signal_id, reason=reason, code=code)

    def message_received(self, t_ns: int, signal_id: str | None, wall_ns: int, note: str | None) -> None:
        self.writer.write(EventKind.MESSAGE_RECEIVED, sim_ts_ns=t_ns, signal_id=signal_id, wall_ns=wall_ns, reason=note)

    def notice(self, t_ns: int | None, signal_id: str | None, wall_ns: int, code: NoticeKind, reason: str) -> None:
        self.writer.write(EventKind.TRANSPORT, sim_ts_ns=t_ns, signal_id=signal_id, wall_ns=wall_ns, reason=reason, code=code)

    def heartbeat(self, t_ns: int | None, position: float) -> None:
        self.writer.write(EventKind.HEARTBEAT, sim_ts_ns=t_ns, position_after=position)

    def error(self, t_ns: int | None, code: ErrorKind, reason: str, once: bool = False) -> bool:
        """Journals an error; with ``once``, a repeat of the same code and reason is only counted (a
        failing quote handler must not flood the journal). True if written."""
        self.errors += code is not ErrorKind.INTERRUPTED
        if once:
            key = (code, reason)
            if key in self._errors_seen:
                return False
            self._errors_seen.add(key)
        self.writer.write(EventKind.ERROR, sim_ts_ns=t_ns, reason=reason, code=code)
        return True
