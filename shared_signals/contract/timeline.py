"""Wall time ↔ market time in a live run: the one conversion a platform's processes must agree on, and
the one the analysis reads back (``<column>/timeline.json``).

In live mode market time runs ``speed`` times faster than the wall clock from an anchor: a platform's
strategy and its provider are given the same one, and a platform whose feed replays the quotes sets
its own at its first quote. The analysis turns a signal's market time into the wall time at which it
was scheduled to become available, so every column's real-time latency starts at the same boundary.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import msgspec

from shared_signals.config import NANOS_PER_MICRO
from shared_signals.contract.layout import TIMELINE_JSON

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


class _TimelineFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    anchor_wall_ns: int
    anchor_market_ns: int
    speed: float


def write_timeline(folder: Path, timeline: LiveTimeline) -> Path:
    path = Path(folder) / TIMELINE_JSON
    path.write_bytes(msgspec.json.encode(_TimelineFile(**asdict(timeline))) + b"\n")
    return path


def read_timeline(folder: Path) -> LiveTimeline | None:
    """The column's live timeline; None for a replay, or a file that is absent or does not decode."""
    try:
        found = msgspec.json.decode((Path(folder) / TIMELINE_JSON).read_bytes(), type=_TimelineFile)
    except (OSError, msgspec.DecodeError):
        return None
    return LiveTimeline(found.anchor_wall_ns, found.anchor_market_ns, found.speed) if found.speed > 0 else None
