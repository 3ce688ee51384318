"""The signal in force at time t: the newest signal with ``ts + delay <= t`` and ``t - ts <= tolerance``.

``delay`` is an injected signal delivery delay (0 unless a calibration sets one): a signal becomes
visible that much after its time and still expires at its time + tolerance.

:class:`SignalSchedule` answers non-decreasing t in amortised O(1) for replays and live feeds, with
the signal itself from a :class:`SignalTable`. It never returns a signal from the future.
"""

from __future__ import annotations

import math

from shared_signals.schema import Signal
from shared_signals.table import SignalTable

NO_SIGNAL = -1


class SignalSchedule:
    """The :class:`Signal` in force at each quote of a stream, from a table, or None.

    Time only moves forward, so the schedule only steps forward. The answer stays the same until
    the next signal's time or the current signal's expiry, so most lookups (one per quote) are a
    single comparison against that change time. While one row is in force every answer is the
    same object (the runner's repeated-HOLD shortcut compares signals by identity): a row is built
    when it comes into force and not kept after.
    """

    __slots__ = ("_table", "_ts", "_n", "_i", "_last_t", "_tolerance_ns", "_changes_at", "_signal")

    def __init__(self, table: SignalTable, tolerance_ns: int, delay_ns: int = 0) -> None:
        self._table = table
        self._ts = [int(t) + int(delay_ns) for t in table.ts_ns]
        """When each row becomes visible."""
        self._n = len(self._ts)
        self._i = -1
        self._last_t: float = -math.inf
        self._tolerance_ns = int(tolerance_ns) - int(delay_ns)
        """How long a row stays in force once visible: it still expires at its own time + tolerance."""
        self._changes_at: float = -math.inf
        self._signal: Signal | None = None

    def at(self, t_ns: int) -> Signal | None:
        """The signal in force at ``t_ns``, which must not go backwards."""
        if self._last_t <= t_ns < self._changes_at:
            self._last_t = t_ns
            return self._signal
        i = self._advance(t_ns)
        self._signal = self._table.signal(i) if i != NO_SIGNAL else None
        return self._signal

    def _advance(self, t_ns: int) -> int:
        """Steps to ``t_ns``; returns the row in force (or ``NO_SIGNAL``) and notes when that changes."""
        if t_ns < self._last_t:
            raise ValueError(f"schedule time went backwards: {t_ns} < {self._last_t}")
        self._last_t = t_ns
        ts = self._ts
        i = self._i
        n = self._n
        while i + 1 < n and ts[i + 1] <= t_ns:
            i += 1
        self._i = i
        next_signal_at = ts[i + 1] if i + 1 < n else math.inf
        stale_from = ts[i] + self._tolerance_ns + 1 if i >= 0 else -math.inf
        if t_ns < stale_from:
            self._changes_at = min(next_signal_at, stale_from)
            return i
        self._changes_at = next_signal_at
        return NO_SIGNAL
