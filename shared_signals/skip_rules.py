"""The rules that refuse a delivered signal before it can be traded, the same on every platform that
takes signals as they arrive (a file, MQTT messages), and the candidate signal they leave in force.

A delivery is refused as ``invalid`` (unreadable, half-written, wrong schema or bad numbers: the
platform's parser says why), ``duplicate`` (its signal_id was received before), ``out_of_order`` (not
newer than the signal in force) or ``stale`` (older than the tolerance when it arrived), checked in
that order; otherwise it becomes the signal in force. The signal in force is ``expired`` once it
outlives the tolerance with no newer one. Each refusal is reported once per signal_id and kind (a
delivery with no readable signal_id, every time: the platform hands over each delivery once). Pure:
the platform journals what :class:`SkipRules` returns.
"""

from __future__ import annotations

from typing import NamedTuple

from shared_signals.config import NANOS_PER_SECOND
from shared_signals.contract.codes import SkipKind
from shared_signals.schema import Signal

EXPIRED_DETAIL = "no newer signal within the tolerance: is the provider silent?"


class Skip(NamedTuple):
    """One refusal to journal as ``signal_skipped``."""

    signal_id: str | None
    code: SkipKind
    reason: str


class SkipRules:
    """Holds the signal in force, the signal_ids received and the refusals already reported."""

    def __init__(self, tolerance_ns: int) -> None:
        self.tolerance_ns = tolerance_ns
        self.signal: Signal | None = None
        """The candidate in force: the last delivery accepted."""
        self._received: set[str] = set()
        self._reported: set[tuple[str, SkipKind]] = set()

    def invalid(self, signal_id: str | None, detail: str) -> Skip | None:
        """A delivery the platform could not read as a signal (``signal_id``: what it could read of one)."""
        return self._skip(signal_id, SkipKind.INVALID, detail)

    def offer(self, t_ns: int, signal: Signal) -> Skip | None:
        """A signal delivered at market time ``t_ns``: None when it is now the signal in force (or its
        refusal was reported already), else the refusal."""
        current = self.signal
        age_ns = t_ns - signal.ts_ns
        if signal.signal_id in self._received:
            return self._skip(signal.signal_id, SkipKind.DUPLICATE, "signal_id already received")
        if current is not None and signal.ts_ns <= current.ts_ns:
            return self._skip(signal.signal_id, SkipKind.OUT_OF_ORDER, f"not newer than {current.signal_id}")
        if age_ns > self.tolerance_ns:
            return self._skip(
                signal.signal_id, SkipKind.STALE,
                f"{age_ns / NANOS_PER_SECOND:.1f} s old, tolerance {self.tolerance_ns / NANOS_PER_SECOND:g} s",
            )
        self.signal = signal
        self._received.add(signal.signal_id)
        return None

    def is_expired(self, t_ns: int) -> bool:
        """The signal in force has outlived the tolerance at ``t_ns``."""
        signal = self.signal
        return signal is not None and t_ns - signal.ts_ns > self.tolerance_ns

    def expired(self, t_ns: int) -> Skip | None:
        """The refusal of the signal in force when it has outlived the tolerance (reported once)."""
        if not self.is_expired(t_ns):
            return None
        return self._skip(self.signal.signal_id, SkipKind.EXPIRED, EXPIRED_DETAIL)

    def _skip(self, signal_id: str | None, code: SkipKind, detail: str) -> Skip | None:
        if signal_id is not None:
            key = (signal_id, code)
            if key in self._reported:
                return None
            self._reported.add(key)
        return Skip(signal_id, code, f"{code.replace('_', ' ')}: {detail}")
