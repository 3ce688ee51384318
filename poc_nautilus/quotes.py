"""Quote batches (validated by ``shared_signals.quotes``) turned into Nautilus ``QuoteTick`` objects.

Batches stream: a large file is never held whole, neither as a DataFrame nor as ticks.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator

import pandas as pd
from nautilus_trader.model.data import QuoteTick
from nautilus_trader.model.instruments import Instrument
from nautilus_trader.persistence.wranglers import QuoteTickDataWrangler
from pandas.errors import Pandas4Warning


def until(batches: Iterable[pd.DataFrame], duration_ns: int | None) -> Iterator[pd.DataFrame]:
    """The batches up to ``duration_ns`` of market time after the first quote (all when None)."""
    end_ns: int | None = None
    for batch in batches:
        if duration_ns is None or batch.empty:
            yield batch
            continue
        times = batch.index.asi8
        if end_ns is None:
            end_ns = int(times[0]) + duration_ns
        if times[-1] < end_ns:
            yield batch
            continue
        kept = batch[times < end_ns]
        if not kept.empty:
            yield kept
        return


class TickMaker:
    """Wraps Nautilus' ``QuoteTickDataWrangler`` (bid/ask price and size columns, UTC index)."""

    def __init__(self, instrument: Instrument) -> None:
        self._wrangler = QuoteTickDataWrangler(instrument)

    def ticks(self, batch: pd.DataFrame) -> list[QuoteTick]:
        """One batch as ticks; ``ts_event`` = ``ts_init`` = the quote's market time."""
        with warnings.catch_warnings():
            # nautilus_trader 1.231 calls pandas APIs that pandas 3 deprecates; harmless here.
            warnings.filterwarnings("ignore", category=Pandas4Warning)
            return self._wrangler.process(batch)
