"""The controller's MQTT messages turned into the candidate signal it hands the shared runner.

The AI-livestream message is the provider's payload (``poc_hummingbot.payload``: ``probabilities``
``[short, neutral, long]``, ``target_pct``, ``timestamp``, with the quantiles the shared decision reads),
parsed by the same reader as Hummingbot's other column and refused by the same rules: unreadable,
duplicate, out of order, stale on arrival, or expired with no newer one, each journaled once and never
traded. Every message is journaled as ``message_received`` at its arrival wall time first.
"""

from __future__ import annotations

from poc_hummingbot.payload import PayloadError, parse_payload
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import SkipKind
from shared_signals.contract.steps import StepJournal
from shared_signals.schema import Signal
from shared_signals.transport.messages import Delivery, Notice


class SignalIntake:
    """Holds the signal in force; :meth:`take` drains the subscription (never blocks)."""

    def __init__(self, source, journal: StepJournal, symbol: str, pair: str, tolerance_ns: int, max_payload_bytes: int) -> None:
        self._source = source
        self._journal = journal
        self._symbol = symbol
        self._pair = pair
        self._tolerance_ns = tolerance_ns
        self._max_bytes = max_payload_bytes
        self.signal: Signal | None = None
        self._received: set[str] = set()
        self._reported: set[tuple[str, str]] = set()

    def take(self, t_ns: int) -> Signal | None:
        """Everything that arrived, in arrival order; returns the signal in force at ``t_ns`` (None when it expired)."""
        for item in self._source.take():
            if type(item) is Notice:
                self._journal.notice(t_ns, item.signal_id, item.wall_ns, item.code, item.text)
            else:
                self._deliver(item, t_ns)
        signal = self.signal
        if signal is not None and t_ns - signal.ts_ns > self._tolerance_ns:
            self._skip(t_ns, signal.signal_id, SkipKind.EXPIRED, "no newer signal within the tolerance: is the provider silent?")
            return None
        return signal

    def _deliver(self, delivery: Delivery, t_ns: int) -> None:
        try:
            if len(delivery.data) > self._max_bytes:
                raise PayloadError(f"MQTT message larger than {self._max_bytes} bytes")
            signal, problem = parse_payload(delivery.data, self._symbol, self._pair), None
        except PayloadError as exc:
            signal, problem = None, exc
        self._journal.message_received(t_ns, signal.signal_id if signal else problem.signal_id, delivery.arrived_ns, delivery.note)
        if problem is not None:
            self._skip(t_ns, problem.signal_id, SkipKind.INVALID, problem.reason)
            return
        age_ns = t_ns - signal.ts_ns
        if signal.signal_id in self._received:
            self._skip(t_ns, signal.signal_id, SkipKind.DUPLICATE, "signal_id already received")
        elif self.signal is not None and signal.ts_ns <= self.signal.ts_ns:
            self._skip(t_ns, signal.signal_id, SkipKind.OUT_OF_ORDER, f"not newer than {self.signal.signal_id}")
        elif age_ns > self._tolerance_ns:
            self._skip(t_ns, signal.signal_id, SkipKind.STALE,
                       f"{age_ns / NANOS_PER_SECOND:.1f} s old, tolerance {self._tolerance_ns / NANOS_PER_SECOND:g} s")
        else:
            self.signal = signal
            self._received.add(signal.signal_id)

    def _skip(self, t_ns: int, signal_id: str | None, code: SkipKind, detail: str) -> None:
        """Once per signal and kind (a message with no readable id: once per message)."""
        if signal_id is not None:
            if (signal_id, code) in self._reported:
                return
            self._reported.add((signal_id, code))
        self._journal.skipped_signal(t_ns, signal_id, code, f"{code.replace('_', ' ')}: {detail}")
