"""Several instruments at once: both real platforms, one process per instrument."""

import json

import pytest

from evaluator.report.markdown import STOPPED_EARLY_NOTE
from evaluator.harness.run_both import Supervised
from shared_signals.contract.spec import RunSpec
from evaluator.harness.scale import RISK_REFERENCE_PRICE, SCALE_METRICS, SCALE_REPORT, ColumnScale, for_instrument, render_scale, run_scale
from evaluator.harness.supervisor import SupervisorConfig
from shared_signals.contract.record import HarnessFacts
from shared_signals.demo import DemoParams
from shared_signals.errors import InputError
from tests.evaluator.plans import columns_of


def template(tmp_path):
    return RunSpec(platform="nautilus", mode="replay", quotes=tmp_path, signals=tmp_path, run_dir=tmp_path / "scale", run_id="s1")


def test_each_instrument_gets_the_same_cap_and_inventory_in_quote_currency(tmp_path):
    eth = for_instrument(template(tmp_path), "ETHUSDT", 3_000.0)
    scale = RISK_REFERENCE_PRICE / 3_000.0
    assert eth.instrument == "ETHUSDT"
    assert eth.starting_base == pytest.approx(scale)
    assert eth.core.risk.max_position_qty == pytest.approx(scale)
    assert eth.core.risk.max_order_notional == template(tmp_path).core.risk.max_order_notional


def test_unknown_demo_instrument_is_refused(tmp_path):
    with pytest.raises(InputError, match="no demo data for DOGEUSDT"):
        run_scale(["BTCUSDT", "DOGEUSDT"], columns_of(template(tmp_path), ("nautilus",)), DemoParams(hours=1.0))


@pytest.mark.slow
def test_two_instruments_on_both_platforms(tmp_path):
    root, scales, exits = run_scale(["BTCUSDT", "ETH-USDT"], columns_of(template(tmp_path)), DemoParams(hours=1.0),
                                    config=SupervisorConfig(sample_interval_s=0.2, poll_interval_s=0.05))
    assert sorted(exits) == ["hummingbot:BTCUSDT", "hummingbot:ETHUSDT", "nautilus:BTCUSDT", "nautilus:ETHUSDT"]
    assert not any(e.crashed for e in exits.values())
    assert sorted(scales) == ["hummingbot", "nautilus"]
    for name, figures in scales.items():
        assert figures.column == name
        assert figures.instruments == 2 and figures.processes_completed == 2, name
        assert figures.quotes == 2 * 3600
        assert figures.min_accuracy_share == 1.0
        assert figures.peak_combined_rss_mb > 100
    for symbol in ("BTCUSDT", "ETHUSDT"):
        metrics = json.loads((root / symbol / "metrics.json").read_text())
        assert metrics["platforms"]["nautilus"]["trading"]["trades"] > 0
        assert metrics["inputs"]["spec"]["instrument"] == symbol
        assert metrics["inputs"]["harness"]["supervisor_cpu_pct"] > 0 and metrics["inputs"]["interrupted"] is False
    document = json.loads((root / SCALE_METRICS).read_text())
    assert document["instruments"] == ["BTCUSDT", "ETHUSDT"]
    assert document["harness"]["wall_s"] > 0 and document["harness"]["supervisor_cpu_pct"] > 0
    assert sorted(document["columns"]) == ["hummingbot", "nautilus"]
    text = (root / SCALE_REPORT).read_text()
    assert "one process per instrument" in text and "The harness supervised them for" in text
    assert STOPPED_EARLY_NOTE not in text


def test_a_scale_run_stopped_by_the_user_says_so(tmp_path):
    figures = ColumnScale("nautilus", 2, 1, 3_600, 1.5, 2_400.0, 250.0, 90.0, 4, 1.0)
    supervised = Supervised({}, interrupted=True, harness=HarnessFacts(
        wall_s=1.5, supervisor_cpu_pct=3.0, sampling_cpu_pct=0.2, supervisor_rss_start_mb=80.0, supervisor_rss_end_mb=81.0))
    text = render_scale(["BTCUSDT", "ETHUSDT"], template(tmp_path), {"nautilus": figures}, supervised)
    assert text.splitlines()[2] == STOPPED_EARLY_NOTE
    assert "supervised them for 1.50 s" in text
