"""The controller's MQTT messages turned into the candidate signal it hands the shared runner.

The AI-livestream message is the provider's payload (``poc_hummingbot.payload``: ``probabilities``
``[short, neutral, long]``, ``target_pct``, ``timestamp``, with the quantiles the shared decision reads),
parsed by the same reader as Hummingbot's other column and refused by the same rules
(``shared_signals.skip_rules``): unreadable, duplicate, out of order, stale on arrival, or expired with no
newer one, each journaled once and never traded. Every message is journaled as ``message_received`` at
its arrival wall time first.
"""

from __future__ import annotations

from poc_hummingbot.payload import PayloadError, parse_payload
from shared_signals.contract.steps import StepJournal
from shared_signals.schema import Signal
from shared_signals.skip_rules import Skip, SkipRules
from shared_signals.transport.messages import Delivery, Notice


class SignalIntake:
    """Holds the signal in force (:class:`SkipRules`); :meth:`take` drains the subscription (never blocks)."""

    def __init__(self, source, journal: StepJournal, symbol: str, pair: str, tolerance_ns: int, max_payload_bytes: int) -> None:
        self._source = source
        self._journal = journal
        self._symbol = symbol
        self._pair = pair
        self._max_bytes = max_payload_bytes
        self._rules = SkipRules(tolerance_ns)

    def take(self, t_ns: int) -> Signal | None:
        """Everything that arrived, in arrival order; returns the signal in force at ``t_ns`` (None when it expired)."""
        for item in self._source.take():
            if type(item) is Notice:
                self._journal.notice(t_ns, item.signal_id, item.wall_ns, item.code, item.text)
            else:
                self._deliver(item, t_ns)
        if self._rules.is_expired(t_ns):
            self._skip(t_ns, self._rules.expired(t_ns))
            return None
        return self._rules.signal

    def _deliver(self, delivery: Delivery, t_ns: int) -> None:
        try:
            if len(delivery.data) > self._max_bytes:
                raise PayloadError(f"MQTT message larger than {self._max_bytes} bytes")
            signal, problem = parse_payload(delivery.data, self._symbol, self._pair), None
        except PayloadError as exc:
            signal, problem = None, exc
        self._journal.message_received(t_ns, signal.signal_id if signal else problem.signal_id, delivery.arrived_ns, delivery.note)
        if problem is not None:
            self._skip(t_ns, self._rules.invalid(problem.signal_id, problem.reason))
        else:
            self._skip(t_ns, self._rules.offer(t_ns, signal))

    def _skip(self, t_ns: int, skip: Skip | None) -> None:
        """Journals a refusal of the shared skip rules (each once per signal and kind)."""
        if skip is not None:
            self._journal.skipped_signal(t_ns, skip.signal_id, skip.code, skip.reason)
