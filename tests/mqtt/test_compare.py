"""``compare-transports``: Hummingbot over the file and over MQTT in one invocation: one run with two
variant columns (``hummingbot-file``, ``hummingbot-mqtt``), one report whose transport section puts
them side by side, and one chart with both latency CDFs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluator.cli import main
from evaluator.commands import compare_transports
from evaluator.commands.exit_codes import EXIT_INTERRUPTED
from evaluator.harness.supervisor import PlatformExit
from poc_hummingbot.config import HummingbotConfig
from shared_signals.contract.record import Setting
from shared_signals.contract.spec import platform_config
from shared_signals.transport.kinds import FILE, MQTT

COLUMNS = {"hummingbot-file": FILE, "hummingbot-mqtt": MQTT}
"""The columns compare-transports runs, and the transport of each."""


def compare(tmp_path, quotes, signals, *extra) -> tuple[int, Path]:
    """``poc-eval compare-transports`` on the hand-made inputs, 8x faster than real time, ticking every 0.25 s."""
    code = main(["compare-transports", "--quotes", str(quotes), "--signals", str(signals), "--out", str(tmp_path / "cmp"),
                 "--speed", "8", "--tick-size", "250ms", "--tolerance", "5m", *extra])
    return code, tmp_path / "cmp"


@pytest.mark.slow
def test_both_transports_side_by_side(tmp_path, handmade, broker):
    quotes, signals = handmade
    code, out = compare(tmp_path, quotes, signals)
    assert code == 0
    (run_dir,) = out.iterdir()  # one run: both columns in it
    assert {p.name for p in run_dir.iterdir() if p.is_dir()} >= set(COLUMNS)
    for column, transport in COLUMNS.items():
        spec = json.loads((run_dir / column / "spec.json").read_text())
        assert (spec["platform"], spec["mode"], spec["settings"]["transport"]) == ("hummingbot", "live", transport)
        assert json.loads((run_dir / column / "run.json").read_text())["transport"]["name"] == transport
        assert json.loads((run_dir / column / "exit.json").read_text())["returncode"] == 0

    text = (run_dir / "report.md").read_text()
    section = text[text.index("## Signal transport"):].split("\n## ", 1)[0]  # up to the next section
    assert "| figure | hummingbot-file | hummingbot-mqtt |" in section and "published → received p99 (ms)" in section
    assert "QoS 1, retain off" in section and "the signal file, written atomically" in section
    assert "The MQTT broker, outside every column's process tree, used" in section
    assert "charts/transport_latency_cdf.png" in section
    chart = run_dir / "charts" / "transport_latency_cdf.png"
    assert chart.exists() and chart.stat().st_size > 10_000

    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["charts"]["transport"] == "charts/transport_latency_cdf.png"
    for column, transport in COLUMNS.items():
        figures = metrics["platforms"][column]["transport"]
        assert figures["name"] == transport
        assert (figures["published"], figures["received"], figures["lost"], figures["duplicates"]) == (3, 3, 0, 0)
    assert metrics["platforms"]["hummingbot-mqtt"]["transport"]["settings"]["qos"] == 1
    assert [c["name"] for c in metrics["inputs"]["columns"]] == list(COLUMNS)
    assert metrics["baseline"] == "hummingbot-file"
    assert metrics["inputs"]["harness"]["broker_cpu_pct"] >= 0.0


def test_a_user_stop_ends_the_comparison_with_both_columns_in_one_run(tmp_path, handmade, broker, monkeypatch):
    """Ctrl-C stops the one supervised run both transports are columns of: the command exits as
    interrupted, with no second run started after it."""
    quotes, signals = handmade
    runs = []

    def stopped_by_the_user(columns, inputs=None):
        runs.append(columns)
        return object(), {name: PlatformExit(name, -2, 0, 1, stopped_by_user=True) for name in columns.names}

    monkeypatch.setattr(compare_transports, "run_both", stopped_by_the_user)
    monkeypatch.setattr(compare_transports, "print_summary", lambda report: None)
    code, out = compare(tmp_path, quotes, signals)
    assert code == EXIT_INTERRUPTED and len(runs) == 1
    (columns,) = runs
    assert columns.names == tuple(COLUMNS) and columns.baseline == "hummingbot-file"
    for spec, record, (column, transport) in zip(columns.specs, columns.records, COLUMNS.items(), strict=True):
        config = platform_config(spec, HummingbotConfig)
        assert (spec.column, spec.platform, spec.mode, config.transport, config.tick_size_s) == (column, "hummingbot", "live", transport, 0.25)
        assert spec.run_dir == columns.specs[0].run_dir  # one run folder
        assert record.name == column and Setting("transport", transport, "variant") in record.changed


def test_compare_transports_takes_no_other_variants(tmp_path, handmade, capsys):
    quotes, signals = handmade
    code, out = compare(tmp_path, quotes, signals, "--variant", "hb-fast=hummingbot,tick=100ms")
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "compare-transports defines its own columns" in lines[0]
    assert not out.exists()
