"""The platform's own statistics beside the report's: each recomputed from the journal under the
platform's definition, on a real run over weeks of sparse hourly data with gaps (a Sharpe needs days)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from evaluator.analysis.metrics.own_figures import closed_positions, daily_position_sharpe
from evaluator.cli import main
from shared_signals.contract.codes import EventKind
from shared_signals.contract.journal import read_journal
from shared_signals.contract.layout import OWN_FIGURES_JSON
from shared_signals.contract.own_figures import read_own_figures
from shared_signals.demo import DemoParams, write_demo

pytestmark = pytest.mark.slow
SPARSE = DemoParams(hours=60 * 24.0, quote_interval_s=900, bar_minutes=60, gaps=True, seed=5)


@pytest.fixture(scope="module")
def sparse_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("own-figures")
    files = write_demo(tmp / "inputs", SPARSE)
    out = tmp / "runs"
    assert main(["run-both", "--quotes", str(files.quotes), "--signals", str(files.signals), "--out", str(out)]) == 0
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return folder


def columns_with_own_figures(folder: Path) -> list[str]:
    return sorted(p.parent.name for p in folder.glob(f"*/{OWN_FIGURES_JSON}"))


def test_the_platform_figures_are_reproduced_from_the_journal(sparse_run):
    metrics = json.loads((sparse_run / "metrics.json").read_text())
    named = columns_with_own_figures(sparse_run)
    assert named, "a platform that computes statistics wrote none"
    for column in named:
        checks = metrics["platforms"][column]["platform_figures"]["checks"]
        assert {c["kind"] for c in checks} == {"pnl", "return_pct", "sharpe", "win_rate"}
        for check in checks:
            assert check["reproduced"], check
            assert check["platform"] is not None, check
    for column in set(metrics["platforms"]) - set(named):
        assert metrics["platforms"][column]["platform_figures"] is None


def test_the_pnl_is_the_reports_when_the_run_ends_flat_and_the_sharpe_is_not(sparse_run):
    metrics = json.loads((sparse_run / "metrics.json").read_text())
    for column in columns_with_own_figures(sparse_run):
        checks = {c["kind"]: c for c in metrics["platforms"][column]["platform_figures"]["checks"]}
        assert checks["pnl"]["platform"] == pytest.approx(metrics["platforms"][column]["trading"]["pnl"], abs=0.01)
        assert checks["sharpe"]["platform"] != pytest.approx(checks["sharpe"]["ours"], rel=1e-3)
        report = (sparse_run / "report.md").read_text()
        assert "## The platform's own figures" in report and "compounded per UTC day of closing" in report


def test_the_platform_csv_positions_are_the_journals(sparse_run):
    """The journal's positions, rebuilt, are the platform's own position report, price for price."""
    for column in columns_with_own_figures(sparse_run):
        (csv,) = sorted((sparse_run / column).glob("*positions.csv"))  # a platform with own figures reports its positions
        theirs = pd.read_csv(csv)
        ours = closed_positions(read_journal(sparse_run / column).events)
        assert len(ours) == len(theirs) > 10
        assert ours["open_px"].to_numpy() == pytest.approx(theirs["avg_px_open"].to_numpy(), rel=1e-12)
        assert ours["close_px"].to_numpy() == pytest.approx(theirs["avg_px_close"].to_numpy(), rel=1e-12)


def test_a_platform_figure_the_journal_does_not_give_is_not_reproduced(sparse_run, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(sparse_run, copy)
    column = columns_with_own_figures(copy)[0]
    path = copy / column / OWN_FIGURES_JSON
    document = json.loads(path.read_text())
    for figure in document["figures"]:
        if figure["kind"] == "sharpe":
            figure["value"] *= 1.01
    path.write_text(json.dumps(document))
    assert main(["report", str(copy)]) == 0
    checks = {c["kind"]: c for c in json.loads((copy / "metrics.json").read_text())["platforms"][column]["platform_figures"]["checks"]}
    assert not checks["sharpe"]["reproduced"] and checks["pnl"]["reproduced"]
    assert "**not reproduced**" in (copy / "report.md").read_text()


def fills(*rows: tuple[int, str, float, float, float]) -> pd.DataFrame:
    return pd.DataFrame([{"kind": EventKind.ORDER_FILLED, "seq": i, "sim_ts_ns": t, "side": side, "qty": qty, "price": price,
                          "fee": fee} for i, (t, side, qty, price, fee) in enumerate(rows)])


def test_positions_by_hand_with_an_addition_a_partial_close_and_a_flip():
    day = 86_400 * 10**9
    events = fills(
        (0, "BUY", 1.0, 100.0, 0.1),       # long 1 @ 100
        (1, "BUY", 1.0, 110.0, 0.1),       # long 2, average 105
        (day, "SELL", 1.0, 120.0, 0.1),    # long 1: realized 15
        (day + 1, "SELL", 3.0, 90.0, 0.3), # closes 1 at 90 (realized −15), opens short 2 at 90
        (2 * day, "BUY", 2.0, 80.0, 0.2),  # closes the short: realized 20
    )
    positions = closed_positions(events)
    assert positions["side"].tolist() == [1.0, -1.0]
    assert positions["open_px"].tolist() == pytest.approx([105.0, 90.0])
    assert positions["close_px"].tolist() == pytest.approx([105.0, 80.0])
    assert positions["pnl"].tolist() == pytest.approx([15 - 15 - 0.1 - 0.1 - 0.1 - 0.1, 20 - 0.2 - 0.2])
    assert positions["closed_ns"].tolist() == [day + 1, 2 * day]
    returns = [0.0, (90.0 - 80.0) / 90.0]  # price returns, fees left out, one per UTC day
    expected = (sum(returns) / 2) / pd.Series(returns).std() * math.sqrt(252)
    assert daily_position_sharpe(positions, 252) == pytest.approx(expected)


def test_own_figures_that_do_not_decode_are_absent(tmp_path):
    (tmp_path / OWN_FIGURES_JSON).write_text('{"schema_version": 1, "source": "x", "figures": [{"kind": "pnl", "value": "1"}]}')
    assert read_own_figures(tmp_path) is None
    (tmp_path / OWN_FIGURES_JSON).write_text('{"schema_version": 1, "source": "x", "figures": [{"kind": "pnl", '
                                             '"value": "1", "definition": "realized_position_pnl"}]}')
    assert read_own_figures(tmp_path) is None  # a value as text is not coerced
