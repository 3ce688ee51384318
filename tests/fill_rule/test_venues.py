"""The Venues table shows each column's order → fill delay measured from its journal beside the one
set, and metrics.json carries it per column."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from evaluator.analysis.metrics.fill_delay import measured_fill_delay, order_fills
from evaluator.cli import main
from evaluator.report.costs import venues_section
from shared_signals.contract.journal import read_journal
from shared_signals.contract.record import ColumnRecord
from tests.evaluator.journals import S, events


def orders_filled(*pairs):
    """``(order_s, fill_s)`` per signal, in journal order."""
    rows = []
    for k, (order_s, fill_s) in enumerate(pairs):
        rows += [dict(kind="order_submitted", signal_id=f"s{k}", sim_ts_ns=order_s * S),
                 dict(kind="order_filled", signal_id=f"s{k}", side="BUY", price=1.0, sim_ts_ns=fill_s * S)]
    return events(*rows)


def test_each_fill_is_measured_from_the_last_order_of_its_signal_before_it():
    journal = events(
        dict(kind="order_submitted", signal_id="a", sim_ts_ns=10 * S),
        dict(kind="order_rejected", signal_id="a", sim_ts_ns=10 * S),
        dict(kind="order_submitted", signal_id="a", sim_ts_ns=70 * S),  # sent again: the fill is this order's
        dict(kind="order_submitted", signal_id="b", sim_ts_ns=75 * S),
        dict(kind="order_filled", signal_id="a", side="BUY", price=1.0, sim_ts_ns=72 * S),
        dict(kind="order_filled", signal_id="b", side="SELL", price=1.0, sim_ts_ns=77 * S),
        dict(kind="order_filled", signal_id=None, side="SELL", price=1.0, sim_ts_ns=80 * S),  # a close at the stop: no signal
    )
    assert list(order_fills(journal)["delay_ns"]) == [2 * S, 2 * S]
    assert measured_fill_delay(journal, 2.0) == measured_fill_delay(orders_filled((0, 2), (5, 7)), 2.0)


def test_the_measured_delay_says_whether_every_fill_is_the_set_one():
    measured = measured_fill_delay(orders_filled((0, 2), (10, 12), (20, 920)), 2.0)
    assert (measured.fills, measured.median_s, measured.min_s, measured.max_s, measured.as_set) == (3, 2.0, 2.0, 900.0, False)
    assert measured_fill_delay(orders_filled((0, 2), (10, 12)), 2.0).as_set is True
    assert measured_fill_delay(events(dict(kind="heartbeat", sim_ts_ns=0)), 2.0).as_set is None


def record(name: str) -> ColumnRecord:
    return ColumnRecord(name=name, platform=name, label=name, colour="#000", acts_on="quotes")


def analysis_of(journals: dict[str, pd.DataFrame], set_s: float):
    """Just what the Venues section reads of an analysis."""
    columns = {n: SimpleNamespace(fill_delay_s=set_s, measured_fill_delay=measured_fill_delay(j, set_s)) for n, j in journals.items()}
    run = SimpleNamespace(spec=SimpleNamespace(venue=SimpleNamespace(fee_bps=10.0, fee_rate=0.001)),
                          columns={n: SimpleNamespace(venue={"model": "matched", "fees": "10 bps"}, set_fill_delay_s=set_s) for n in journals},
                          record=SimpleNamespace(columns=[record(n) for n in journals]))
    return SimpleNamespace(run=run, figures=SimpleNamespace(columns=columns))


def test_the_venues_section_names_a_column_whose_fills_are_not_the_set_delay():
    section = venues_section(analysis_of({"fast": orders_filled((0, 2), (10, 12)), "late": orders_filled((0, 900), (10, 12))}, 2.0))
    assert "On late the measured order → fill is not its venue's fill delay" in section
    assert "| fast | matched | 10 bps | 2.000 | 2.000 | 2.000 (2.000–2.000), 2 fills |" in section
    assert "| late | matched | 10 bps | 2.000 | 2.000 | 451.000 (2.000–900.000), 2 fills |" in section
    agreed = venues_section(analysis_of({"fast": orders_filled((0, 2))}, 2.0))
    assert "Every measured fill came its venue's fill delay after its order, within 1 ms" in agreed


@pytest.mark.slow
def test_a_run_on_sparse_quotes_reports_the_measured_delay_beside_the_set_one(sparse, tmp_path):
    assert main(["run-both", "--quotes", str(sparse.quotes), "--signals", str(sparse.signals), "--fill-delay", "90s",
                 "--out", str(tmp_path)]) == 0
    (run_dir,) = tmp_path.iterdir()
    metrics = json.loads((run_dir / "metrics.json").read_text())
    report = (run_dir / "report.md").read_text()
    for name in ("nautilus", "hummingbot"):
        journal = read_journal(run_dir / name).events
        orders = journal[(journal["kind"] == "order_submitted") & journal["signal_id"].notna()].set_index("signal_id")["sim_ts_ns"]
        fills = journal[(journal["kind"] == "order_filled") & journal["signal_id"].notna()].set_index("signal_id")["sim_ts_ns"]
        delays = (fills - orders.reindex(fills.index)).to_numpy() / S
        entry = metrics["platforms"][name]
        assert entry["fill_delay_s"] == 90.0
        assert entry["measured_fill_delay"] == {"fills": len(delays), "median_s": float(np.median(delays)),
                                                "min_s": delays.min(), "max_s": delays.max(), "as_set": True}
        assert f"| 90.000 | 90.000 (90.000–90.000), {len(delays)} fills |" in report
