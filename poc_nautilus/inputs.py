"""The run's inputs, checked before any engine starts, so a user mistake is one line and no trade.

Signals are loaded and validated whole (they are small). Quotes are validated as they stream; the
first batch is read here, so a missing, empty or malformed quote file is refused up front too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

import pandas as pd

from shared_signals.contract.spec import RunSpec
from shared_signals.errors import InputError
from shared_signals.loader import load_signals
from shared_signals.quotes import DEFAULT_BATCH_ROWS, iter_quote_batches
from shared_signals.table import SignalTable


@dataclass
class RunInputs:
    signals: SignalTable
    quote_batches: Iterator[pd.DataFrame]
    """Validated quote blocks in file order; the first one already read and checked."""


def prepare_inputs(options: RunSpec, batch_rows: int = DEFAULT_BATCH_ROWS) -> RunInputs:
    """Loads the signals and the first quote batch; raises :class:`InputError` on bad input."""
    core = options.core
    signals = load_signals(options.signals, options.instrument, core.loader, core.side, core.regime)
    batches = iter_quote_batches(options.quotes, batch_rows)
    first = next(batches, None)
    if first is None:
        raise InputError("file has no rows", options.quotes)
    return RunInputs(signals, chain([first], batches))
