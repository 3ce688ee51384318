"""The bar of a signal file, read off its own timestamps: how long each row stays in force when the
user does not say (hourly rows stay in force for an hour).

The bar is the most common spacing between consecutive rows. Gaps of whole bars (a closed market, a
missing hour) keep the file regular; a file where fewer than ``LoaderParams.bar_fit_share`` of the
spacings are whole bars has no single bar, and the run needs ``--tolerance``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shared_signals.config import NANOS_PER_HOUR, NANOS_PER_MINUTE, NANOS_PER_SECOND
from shared_signals.errors import InputError

SECONDS_PER_HOUR = NANOS_PER_HOUR // NANOS_PER_SECOND
SECONDS_PER_MINUTE = NANOS_PER_MINUTE // NANOS_PER_SECOND
TOLERANCE_HINT = "give --tolerance (how long a signal stays in force, e.g. --tolerance 1h)"


@dataclass(frozen=True, slots=True)
class SignalBar:
    bar_ns: int
    fit_share: float
    """Share of the spacings that are whole bars."""


def detect_bar(ts_ns: np.ndarray, fit_share: float, source: object = None) -> SignalBar:
    """The bar of sorted timestamps ``ts_ns``; :class:`InputError` (naming ``--tolerance``) when the file
    has fewer than two rows or no bar fits ``fit_share`` of its spacings."""
    spacings = np.diff(np.asarray(ts_ns, dtype=np.int64))
    if spacings.size == 0:
        raise InputError(f"one signal row: no bar can be read off the file; {TOLERANCE_HINT}", source)
    values, counts = np.unique(spacings, return_counts=True)
    bar = int(values[np.argmax(counts)])
    share = float(np.mean(spacings % bar == 0))
    if share < fit_share:
        common = ", ".join(f"{duration_words(int(v))} {c / spacings.size:.0%}" for v, c in sorted(zip(values, counts), key=lambda p: -p[1])[:3])
        raise InputError(
            f"the signal times are too irregular for one bar (spacings: {common}; whole {duration_words(bar)} bars: "
            f"{share:.0%}, {fit_share:.0%} needed); {TOLERANCE_HINT}",
            source,
        )
    return SignalBar(bar, share)


def duration_words(ns: int) -> str:
    """A duration as a person reads it: ``1 h``, ``5 min``, ``90 s``, ``0.25 s``."""
    seconds = ns / NANOS_PER_SECOND
    for unit, size in (("h", SECONDS_PER_HOUR), ("min", SECONDS_PER_MINUTE)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"
