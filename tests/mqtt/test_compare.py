"""``compare-transports``: Hummingbot over the file and over MQTT in one invocation, one comparison
page and one chart with both latency CDFs."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from evaluator.harness import transport_compare
from evaluator.harness.supervisor import PlatformExit
from evaluator.harness.transport_compare import HUMMINGBOT, compare_transports
from shared_signals.config import NANOS_PER_SECOND
from tests.hummingbot.conftest import replay_options

TICK_NS = NANOS_PER_SECOND // 4


@pytest.mark.slow
def test_both_transports_side_by_side(tmp_path, handmade, broker):
    quotes, signals = handmade
    base = replay_options(tmp_path / "cmp", quotes, signals, mode="live", speed=8.0, tick_size_ns=TICK_NS, heartbeat_s=0.5)
    comparison = compare_transports(base)
    assert not any(e.crashed for e in comparison.exits.values())
    text = comparison.markdown.read_text()
    assert "| figure | file | mqtt |" in text and "published → received p99 (ms)" in text
    assert "QoS 1, retain off" in text and "broker mean CPU" in text and "charts/transport_latency_cdf.png" in text
    assert comparison.chart.exists() and comparison.chart.stat().st_size > 10_000
    document = json.loads((tmp_path / "cmp" / "transport.json").read_text())
    for name in ("file", "mqtt"):
        figures = document["figures"][name]
        assert (figures["published"], figures["received"], figures["lost"], figures["duplicates"]) == (3, 3, 0, 0)
        assert (tmp_path / "cmp" / name / "report.md").exists()
    mqtt_report = (tmp_path / "cmp" / "mqtt" / "report.md").read_text()
    assert "## Signal transport" in mqtt_report and "## Signal transport" not in (tmp_path / "cmp" / "file" / "report.md").read_text()
    assert document["extra"]["mqtt"]["broker_cpu_pct"] >= 0.0


def test_a_user_stop_ends_the_comparison_before_the_next_transport(tmp_path, monkeypatch):
    """Ctrl-C in the first transport's run must not start the second one."""
    started = []

    def stopped_by_the_user(options, platforms, inputs=None):
        started.append(options.transport)
        report = SimpleNamespace(evaluation=SimpleNamespace(run=SimpleNamespace(inputs={"wall_s": 1.0})))
        return report, {HUMMINGBOT: PlatformExit(HUMMINGBOT, -2, 0, 1, stopped_by_user=True)}

    monkeypatch.setattr(transport_compare, "run_both", stopped_by_the_user)
    monkeypatch.setattr(transport_compare, "write_comparison", lambda root, runs, extra, exits: exits)
    exits = compare_transports(replay_options(tmp_path / "cmp", tmp_path / "q.parquet", tmp_path / "s.parquet", mode="live"))
    assert started == ["file"] and exits["file"].stopped_by_user
