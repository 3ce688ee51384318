"""The signal in force at time t: the newest signal with ``ts <= t`` and ``t - ts <= tolerance``.

:class:`AsOfIndex` answers any t in O(log n); :class:`SignalCursor` answers non-decreasing t in
amortised O(1) for replays and live feeds. Neither ever returns a signal from the future.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

NO_SIGNAL = -1


class AsOfIndex:
    """Random-access as-of lookup by binary search."""

    __slots__ = ("_ts", "_tolerance_ns")

    def __init__(self, ts_ns: Sequence[int], tolerance_ns: int) -> None:
        self._ts = [int(t) for t in ts_ns]
        self._tolerance_ns = int(tolerance_ns)

    def lookup(self, t_ns: int) -> int:
        """Index of the signal in force at ``t_ns``, or ``NO_SIGNAL``."""
        i = bisect_right(self._ts, t_ns) - 1
        if i < 0 or t_ns - self._ts[i] > self._tolerance_ns:
            return NO_SIGNAL
        return i


class SignalCursor:
    """Streaming as-of lookup: time only moves forward, so the cursor only steps forward."""

    __slots__ = ("_ts", "_n", "_i", "_last_t", "_tolerance_ns")

    def __init__(self, ts_ns: Sequence[int], tolerance_ns: int) -> None:
        self._ts = [int(t) for t in ts_ns]
        self._n = len(self._ts)
        self._i = -1
        self._last_t: int | None = None
        self._tolerance_ns = int(tolerance_ns)

    def lookup(self, t_ns: int) -> int:
        """Index of the signal in force at ``t_ns`` (which must not go backwards), or ``NO_SIGNAL``."""
        if self._last_t is not None and t_ns < self._last_t:
            raise ValueError(f"cursor time went backwards: {t_ns} < {self._last_t}")
        self._last_t = t_ns
        ts = self._ts
        i = self._i
        n = self._n
        while i + 1 < n and ts[i + 1] <= t_ns:
            i += 1
        self._i = i
        if i < 0 or t_ns - ts[i] > self._tolerance_ns:
            return NO_SIGNAL
        return i
