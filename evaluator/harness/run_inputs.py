"""A run's two files, read and checked once before any platform starts.

The command line's validation layer reads them while it checks what the user gave, and hands what it
read to the harness, so a multi-year quote file is streamed through its checks once per run, not
once per caller. A caller that starts from a spec alone (a soak's looped copies, the tests) has the
harness read them itself, with the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared_signals.contract.spec import RunSpec
from shared_signals.loader import load_signals
from shared_signals.overlap import Overlap, signal_overlap
from shared_signals.quotes import QuoteSpan, quote_span
from shared_signals.table import SignalTable


@dataclass(frozen=True)
class RunInputs:
    signals: SignalTable
    quotes: QuoteSpan
    overlap: Overlap
    """None in common has already been refused; a partial overlap is what the run states."""


def read_run_inputs(spec: RunSpec, signals: SignalTable | None = None, quotes: QuoteSpan | None = None) -> RunInputs:
    """``spec``'s files checked as one run would read them; ``signals`` and ``quotes`` when the caller
    has read them already with ``spec``'s settings."""
    core = spec.core
    table = signals if signals is not None else load_signals(spec.signals, spec.instrument, core.loader, core.side, core.regime)
    span = quotes if quotes is not None else quote_span(spec.quotes)
    overlap = signal_overlap(table.ts_ns, core.loader.tolerance_ns, span.first_ns, span.last_ns, spec.signals)
    return RunInputs(table, span, overlap)
