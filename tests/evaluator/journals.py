"""Hand-made journal frames for metric tests."""

import pandas as pd

from shared_signals.contract.journal import FIELDS

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
