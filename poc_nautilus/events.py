"""The journal semantics of the Nautilus strategy, in one place.

Maps the shared runner's :class:`Step` and Nautilus' order events onto the SPEC journal (evaluator
``JournalWriter``), so the strategy says *what happened* and this module says *how it is recorded*.

- ``sim_ts_ns`` is market time: the quote's ``ts_event`` (events outside the quote loop, such as
  fills, carry the last quote's); ``wall_ns`` is the wall clock.
- ``signal_received``: the first quote at which the signal is in force. Live, its ``wall_ns`` is when
  the feed handed that quote to Nautilus, so signal→order spans Nautilus' data queue too.
- ``decision``: on a new signal, and on an order decision that is submitted or refused for the
  first time (a refused decision repeats on every quote; it is journaled once).
- ``order_submitted``: written just before the order goes to Nautilus, with the wall clock read
  before it, so it precedes the order's own events in the journal.
"""

from __future__ import annotations

from evaluator.journal import EventKind, JournalWriter
from shared_signals.runner import Step


class TradeJournal:
    """Writes one strategy's events."""

    __slots__ = ("_writer", "_errors_seen")

    def __init__(self, writer: JournalWriter) -> None:
        self._writer = writer
        self._errors_seen: set[str] = set()

    def signal_received(self, t_ns: int, step: Step, wall_ns: int | None = None) -> None:
        """The first quote at which ``step.signal`` is in force (as-of, within the tolerance)."""
        self._writer.write(EventKind.SIGNAL_RECEIVED, sim_ts_ns=t_ns, signal_id=step.signal.signal_id, wall_ns=wall_ns)

    def decision(self, t_ns: int, step: Step) -> None:
        """What ``decide`` answered: side and size of the order, the position it aims for."""
        decision = step.decision
        self._writer.write(
            EventKind.DECISION,
            sim_ts_ns=t_ns,
            signal_id=step.signal.signal_id if step.signal is not None else None,
            side=decision.side or None,
            qty=decision.order_qty,
            price=step.price,
            position_after=decision.target_position,
            reason=f"{decision.action}: {decision.reason}",
        )

    def order_submitted(
        self, t_ns: int | None, signal_id: str | None, side: int, qty: float, price: float, wall_ns: int
    ) -> None:
        """``wall_ns`` is taken by the caller right before the order goes to Nautilus."""
        self._writer.write(
            EventKind.ORDER_SUBMITTED, sim_ts_ns=t_ns, signal_id=signal_id, side=side, qty=qty, price=price, wall_ns=wall_ns
        )

    def order_rejected(
        self, t_ns: int | None, signal_id: str | None, side: int | None, qty: float | None, price: float | None, reason: str
    ) -> None:
        """A refusal by the shared risk gate, Nautilus' RiskEngine (denied) or the venue (rejected)."""
        self._writer.write(
            EventKind.ORDER_REJECTED, sim_ts_ns=t_ns, signal_id=signal_id, side=side, qty=qty, price=price, reason=reason
        )

    def order_filled(
        self,
        t_ns: int | None,
        signal_id: str | None,
        side: int,
        qty: float,
        price: float,
        position_after: float,
        fee: float | None,
    ) -> None:
        """One fill; ``position_after`` is Nautilus' own net position once the fill is applied,
        ``fee`` the venue's commission in quote currency."""
        self._writer.write(
            EventKind.ORDER_FILLED,
            sim_ts_ns=t_ns,
            signal_id=signal_id,
            side=side,
            qty=qty,
            price=price,
            position_after=position_after,
            fee=fee,
        )

    def heartbeat(self, t_ns: int | None, position: float) -> None:
        self._writer.write(EventKind.HEARTBEAT, sim_ts_ns=t_ns, position_after=position)

    def error(self, t_ns: int | None, reason: str) -> bool:
        """Journals ``reason`` once (a failing quote handler must not flood the journal); True if written."""
        if reason in self._errors_seen:
            return False
        self._errors_seen.add(reason)
        self._writer.write(EventKind.ERROR, sim_ts_ns=t_ns, reason=reason)
        return True
