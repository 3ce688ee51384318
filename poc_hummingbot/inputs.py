"""The run's inputs, checked in full before any clock starts: a bad file is an :class:`InputError` now,
never a surprise half-way through a run."""

from __future__ import annotations

from dataclasses import dataclass

from shared_signals.contract.spec import RunSpec
from shared_signals.instruments import Instrument, parse_instrument
from shared_signals.loader import load_signals
from shared_signals.quotes import QuoteSpan, quote_span
from shared_signals.table import SignalTable


@dataclass(frozen=True)
class RunInputs:
    instrument: Instrument
    signals: SignalTable
    quotes: QuoteSpan


def load_inputs(options: RunSpec) -> RunInputs:
    """Instrument, signals and quotes of ``options``, all validated."""
    instrument = parse_instrument(options.instrument)
    core = options.core
    signals = load_signals(options.signals, instrument.symbol, core.loader, core.side, core.regime)
    quotes = quote_span(options.quotes)
    return RunInputs(instrument, signals, quotes)
