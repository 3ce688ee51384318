"""Whether the signals and the quotes cover the same market time: none in common is an error (the run
could never trade), a partial overlap is stated with the run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from shared_signals.errors import InputError


@dataclass(frozen=True, slots=True)
class Overlap:
    signals: int
    in_quote_span: int
    """Signals in force at some moment while there are quotes: time <= the last quote, and
    time + tolerance >= the first quote."""

    @property
    def partial(self) -> bool:
        return self.in_quote_span < self.signals


def _day(ns: int) -> str:
    return str(pd.Timestamp(ns, tz="UTC").floor("s"))


def signal_overlap(ts_ns: np.ndarray, tolerance_ns: int, first_quote_ns: int, last_quote_ns: int, signals: Path) -> Overlap:
    """The overlap, or one :class:`InputError` naming both spans when no signal is ever in force
    while there are quotes."""
    ts = np.asarray(ts_ns, dtype=np.int64)
    usable = int(np.count_nonzero((ts <= last_quote_ns) & (ts + tolerance_ns >= first_quote_ns)))
    if usable == 0:
        raise InputError(
            f"no signal is in force while there are quotes (signals {_day(int(ts[0]))} → {_day(int(ts[-1]))}, "
            f"quotes {_day(first_quote_ns)} → {_day(last_quote_ns)}): nothing could trade; are these the right files?",
            signals,
        )
    return Overlap(len(ts), usable)
