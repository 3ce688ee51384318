"""Hand-made journal frames for metric tests, and the column folders that hold them."""

from pathlib import Path

import pandas as pd

from evaluator.analysis.run_folder import ColumnRun
from shared_signals.contract.journal import FIELDS
from shared_signals.contract.platforms import REGISTRY
from shared_signals.contract.record import ColumnRecord

MS = 1_000_000
S = 1_000_000_000


def events(*rows: dict) -> pd.DataFrame:
    records = []
    for seq, row in enumerate(rows, start=1):
        record = {field: None for field in FIELDS}
        record.update({"run_id": "r", "platform": "p", "seq": seq, "instrument": "BTCUSDT"})
        record.update(row)
        records.append(record)
    return pd.DataFrame.from_records(records, columns=list(FIELDS))


def fill(signal_id, side, qty, price, position_after, sim_ts_ns, wall_ns=0, fee=0.0):
    return dict(kind="order_filled", signal_id=signal_id, side=side, qty=qty, price=price,
                position_after=position_after, sim_ts_ns=sim_ts_ns, wall_ns=wall_ns, fee=fee)


def column_run(name: str, frame: pd.DataFrame, exit_record: dict | None = None, info: dict | None = None,
               platform: str | None = None) -> ColumnRun:
    """What a column's folder would hold: its journal and exit record, and ``run.json``'s ``info``;
    the column is the platform ``name`` or a variant of ``platform``."""
    entry = REGISTRY[platform or name]
    record = ColumnRecord(name=name, platform=entry.name, label=entry.label, colour=entry.colour, acts_on=entry.clock.acts_on,
                          provider_fed=entry.provider is not None)
    return ColumnRun(name, record, Path(name), frame, 0, pd.DataFrame(), exit_record, None, info)
