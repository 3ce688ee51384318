"""The journal: one JSON line per event, flushed, readable after a crash, saved as parquet."""

import pandas as pd
import pyarrow.parquet as pq

from shared_signals.contract import journal as journal_module
from shared_signals.contract.codes import EventKind
from shared_signals.contract.journal import EVENTS_SCHEMA, JournalWriter, read_journal, write_parquet
from shared_signals.contract.layout import EVENTS_JSONL


def test_events_are_flushed_as_written(tmp_path):
    journal = JournalWriter(tmp_path, "run-1", "nautilus", "BTCUSDT")
    journal.write(EventKind.SIGNAL_RECEIVED, sim_ts_ns=5, signal_id="BTCUSDT:5")
    journal.write(EventKind.ORDER_SUBMITTED, sim_ts_ns=6, signal_id="BTCUSDT:5", side=1, qty=0.1, price=100.0)
    # not closed: another process reading now sees both events
    events = read_journal(tmp_path).events
    assert list(events["kind"]) == ["signal_received", "order_submitted"]
    assert list(events["seq"]) == [1, 2] and events["side"].iloc[1] == "BUY"
    journal.close()


def test_a_torn_last_line_is_skipped_and_counted(tmp_path):
    with JournalWriter(tmp_path, "run-1", "hummingbot", "BTCUSDT") as journal:
        journal.write(EventKind.HEARTBEAT, sim_ts_ns=1)
    with (tmp_path / EVENTS_JSONL).open("a") as handle:
        handle.write('{"run_id": "run-1", "kind": "order_fi')
    read = read_journal(tmp_path)
    assert read.torn_lines == 1 and len(read.events) == 1


def test_parquet_copy_matches_the_lines(tmp_path):
    journal = JournalWriter(tmp_path, "run-2", "nautilus", "BTCUSDT")
    journal.write(EventKind.ORDER_FILLED, sim_ts_ns=7, side=-1, qty=0.5, price=99.5, position_after=-0.5)
    path = journal.close()
    parquet = pd.read_parquet(path)
    assert parquet["position_after"].iloc[0] == -0.5 and parquet["side"].iloc[0] == "SELL"
    assert len(parquet) == len(read_journal(tmp_path).events)


def test_a_restarted_writer_continues_the_sequence(tmp_path):
    with JournalWriter(tmp_path, "run-3", "nautilus", "BTCUSDT") as journal:
        journal.write(EventKind.HEARTBEAT, sim_ts_ns=1)
        journal.write(EventKind.HEARTBEAT, sim_ts_ns=2)
    with (tmp_path / EVENTS_JSONL).open("a") as handle:
        handle.write('{"seq": 3, "kind": "hea')  # torn by a crash
    with JournalWriter(tmp_path, "run-3", "nautilus", "BTCUSDT") as journal:
        journal.write(EventKind.HEARTBEAT, sim_ts_ns=3)
    assert list(read_journal(tmp_path).events["seq"]) == [1, 2, 3]


def test_parquet_is_written_in_blocks_with_fixed_types_and_without_torn_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(journal_module, "PARQUET_BLOCK_EVENTS", 2)
    with JournalWriter(tmp_path, "run-4", "hummingbot", "BTCUSDT") as journal:
        journal.write(EventKind.HEARTBEAT, sim_ts_ns=1)
        journal.write(EventKind.ORDER_FILLED, sim_ts_ns=2, signal_id="BTCUSDT:2", side=1, qty=1, price=100, fee=0)
        journal.write(EventKind.HEARTBEAT)
    with (tmp_path / EVENTS_JSONL).open("a") as handle:
        handle.write('{"seq": 4, "kind": "hea')
    parquet = pq.ParquetFile(write_parquet(tmp_path))
    assert parquet.schema_arrow == EVENTS_SCHEMA
    assert parquet.num_row_groups == 2  # two blocks of at most two events
    table = parquet.read()
    assert table.column("seq").to_pylist() == [1, 2, 3]
    assert table.column("qty").to_pylist() == [None, 1.0, None]  # an integer quantity is stored as a float
    assert table.column("sim_ts_ns").to_pylist() == [1, 2, None]
