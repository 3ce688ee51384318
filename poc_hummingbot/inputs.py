"""The run's inputs, checked in full before any clock starts: a bad file is an :class:`InputError` now,
never a surprise half-way through a run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evaluator.run_options import RunOptions
from shared_signals.errors import InputError
from shared_signals.instruments import Instrument, parse_instrument
from shared_signals.loader import load_signals
from shared_signals.quotes import iter_quote_batches
from shared_signals.table import SignalTable


@dataclass(frozen=True, slots=True)
class QuoteSummary:
    path: Path
    rows: int
    first_ns: int
    last_ns: int
    spacing_ns: int
    """Median gap between quotes of the first batch (0 for a single quote)."""


@dataclass(frozen=True)
class RunInputs:
    instrument: Instrument
    signals: SignalTable
    quotes: QuoteSummary


def scan_quotes(path: Path) -> QuoteSummary:
    """Validates every quote batch once (streamed) and returns the file's extent."""
    rows = 0
    first_ns = last_ns = None
    spacing_ns = 0
    for batch in iter_quote_batches(path):
        if not len(batch):
            continue
        ns = batch.index.as_unit("ns").asi8
        if first_ns is None:
            first_ns = int(ns[0])
            spacing_ns = int(np.median(np.diff(ns))) if len(ns) > 1 else 0
        last_ns = int(ns[-1])
        rows += len(batch)
    if first_ns is None or last_ns is None:
        raise InputError("file has no rows", path)
    return QuoteSummary(Path(path), rows, first_ns, last_ns, spacing_ns)


def load_inputs(options: RunOptions) -> RunInputs:
    """Instrument, signals and quotes of ``options``, all validated."""
    if options.tick_size_ns <= 0:
        raise InputError(f"tick size must be positive, got {options.tick_size_ns} ns")
    if options.speed is not None and options.speed <= 0:
        raise InputError(f"speed must be positive, got {options.speed}")
    instrument = parse_instrument(options.instrument)
    core = options.core
    signals = load_signals(options.signals, instrument.symbol, core.loader, core.side, core.regime)
    quotes = scan_quotes(Path(options.quotes))
    return RunInputs(instrument, signals, quotes)
