"""The signal in force at time t: the newest signal with ``ts <= t`` and ``t - ts <= tolerance``.

:class:`SignalCursor` answers non-decreasing t in amortised O(1) for replays and live feeds;
:class:`SignalSchedule` is that cursor over a :class:`SignalTable`, answering with the signal
itself. Neither ever returns a signal from the future.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from shared_signals.schema import Signal
from shared_signals.table import SignalTable

NO_SIGNAL = -1


class SignalCursor:
    """Streaming as-of lookup: time only moves forward, so the cursor only steps forward.

    The answer stays the same until the next signal's time or the current signal's expiry, so
    most lookups (one per quote) are a single comparison against that change time.
    """

    __slots__ = ("_ts", "_n", "_i", "_last_t", "_tolerance_ns", "_answer", "_changes_at")

    def __init__(self, ts_ns: Sequence[int], tolerance_ns: int) -> None:
        self._ts = [int(t) for t in ts_ns]
        self._n = len(self._ts)
        self._i = -1
        self._last_t: float = -math.inf
        self._tolerance_ns = int(tolerance_ns)
        self._answer = NO_SIGNAL
        self._changes_at: float = -math.inf

    def lookup(self, t_ns: int) -> int:
        """Index of the signal in force at ``t_ns`` (which must not go backwards), or ``NO_SIGNAL``."""
        if self._last_t <= t_ns < self._changes_at:
            self._last_t = t_ns
            return self._answer
        return self._advance(t_ns)

    def _advance(self, t_ns: int) -> int:
        """Steps to ``t_ns`` and works out the answer and when it next changes."""
        if t_ns < self._last_t:
            raise ValueError(f"cursor time went backwards: {t_ns} < {self._last_t}")
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
            self._answer = i
            self._changes_at = min(next_signal_at, stale_from)
        else:
            self._answer = NO_SIGNAL
            self._changes_at = next_signal_at
        return self._answer


class SignalSchedule(SignalCursor):
    """The :class:`Signal` in force at each quote of a stream, from a table, or None.

    While one row is in force every answer is the same object (the runner's repeated-HOLD shortcut
    compares signals by identity): a row is built when it comes into force (``_advance`` only runs
    when the answer changes) and not kept after.
    """

    __slots__ = ("_table", "_signal")

    def __init__(self, table: SignalTable, tolerance_ns: int) -> None:
        super().__init__(table.ts_ns, tolerance_ns)
        self._table = table
        self._signal: Signal | None = None

    def at(self, t_ns: int) -> Signal | None:
        """The signal in force at ``t_ns`` (which must not go backwards). The cursor's one-comparison
        path is repeated here rather than called: this runs on every quote of a replay."""
        if self._last_t <= t_ns < self._changes_at:
            self._last_t = t_ns
            return self._signal
        i = self._advance(t_ns)
        self._signal = self._table.signal(i) if i != NO_SIGNAL else None
        return self._signal
