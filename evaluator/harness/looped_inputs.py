"""Inputs for runs longer than the data: quotes and signals repeated end to end with continuing
timestamps (copy k is shifted by k periods), written in chunks so memory stays flat."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from shared_signals.config import SignalCoreConfig
from shared_signals.loader import load_signals
from shared_signals.quotes import iter_quote_batches, quote_span

LOOP_DIR = "looped_inputs"


@dataclass(frozen=True)
class LoopedInputs:
    quotes: Path
    signals: Path
    copies: int


def loop_inputs(quotes: Path, signals: Path, instrument: str, core: SignalCoreConfig, span_ns: int, out_dir: Path) -> LoopedInputs:
    """The original files when they already cover ``span_ns`` of market time, else looped copies."""
    period = quote_span(quotes).period_ns
    copies = max(1, math.ceil(span_ns / period))
    if copies == 1:
        return LoopedInputs(quotes, signals, 1)
    folder = out_dir / LOOP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    looped_quotes = folder / "quotes.parquet"
    writer = None
    try:
        for k in range(copies):
            for block in iter_quote_batches(quotes):
                frame = block.reset_index()
                frame["timestamp"] = frame["timestamp"] + pd.Timedelta(k * period, unit="ns")
                table = pa.Table.from_pandas(frame, preserve_index=False)
                writer = writer or pq.ParquetWriter(looped_quotes, table.schema)
                writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    table = load_signals(signals, instrument, core.loader, core.side, core.regime)
    base = table.frame.drop(columns=["vol_decile"])
    shifted = [base.set_index(base.index + pd.Timedelta(k * period, unit="ns")) for k in range(copies)]
    looped_signals = folder / "signals.parquet"
    pd.concat(shifted).rename_axis("datetime").to_parquet(looped_signals)
    return LoopedInputs(looped_quotes, looped_signals, copies)
