"""Clock time → market time, the one conversion both processes must agree on.

Hummingbot's ``Clock`` counts float seconds. In live mode they are wall time, and market time runs
``speed`` times faster from an anchor both the strategy and the provider process are given (in
replay, :mod:`poc_hummingbot.event_clock` shows each clock step its market time). Market time is what signals, quotes
and the journal's ``sim_ts_ns`` are measured in.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared_signals.config import NANOS_PER_MICRO

MICROS_PER_SECOND = 1_000_000


def seconds_to_ns(seconds: float) -> int:
    """Float epoch seconds to ns at microsecond resolution (a double holds epoch µs exactly, not ns)."""
    return round(seconds * MICROS_PER_SECOND) * NANOS_PER_MICRO


@dataclass(frozen=True, slots=True)
class LiveTimeline:
    """Market time ``anchor_market_ns`` is shown at wall time ``anchor_wall_ns``, then runs at ``speed``."""

    anchor_wall_ns: int
    anchor_market_ns: int
    speed: float

    def market_ns(self, clock_s: float) -> int:
        return self.market_at_wall(seconds_to_ns(clock_s))

    def market_at_wall(self, wall_ns: int) -> int:
        return self.anchor_market_ns + round((wall_ns - self.anchor_wall_ns) * self.speed)

    def wall_at_market(self, market_ns: int) -> int:
        return self.anchor_wall_ns + round((market_ns - self.anchor_market_ns) / self.speed)
