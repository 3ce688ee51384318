"""run-both end to end on small demo data: both real platforms, each in its own process."""

import json
import os
import signal
import threading

import pytest

from evaluator.harness.run_both import run_both
from shared_signals.contract.spec import RunSpec
from evaluator.harness.supervisor import SupervisorConfig
from shared_signals.errors import InputError
from tests.evaluator.plans import columns_of

pytestmark = pytest.mark.slow
FAST_SAMPLING = SupervisorConfig(sample_interval_s=0.2, poll_interval_s=0.05)


def options(small_demo, tmp_path, **changes):
    base = dict(platform="nautilus", mode="replay", quotes=small_demo.quotes, signals=small_demo.signals,
                run_dir=tmp_path / "run", run_id="t1")
    base.update(changes)
    return RunSpec(**base)


def test_replay_of_both_platforms_gives_a_complete_report(small_demo, tmp_path):
    report, exits = run_both(columns_of(options(small_demo, tmp_path)), FAST_SAMPLING)
    assert {name: e.returncode for name, e in exits.items()} == {"nautilus": 0, "hummingbot": 0}
    assert {name: e.column for name, e in exits.items()} == {"nautilus": "nautilus", "hummingbot": "hummingbot"}
    metrics = json.loads(report.metrics.read_text())
    for name in ("nautilus", "hummingbot"):
        platform = metrics["platforms"][name]
        assert platform["trading"]["trades"] > 0
        assert platform["accuracy"]["share"] == 1.0
        assert platform["resources"]["samples"] >= 1 and platform["resources"]["peak_rss_mb"] > 50
        assert (tmp_path / "run" / name / "resources.parquet").exists()
    (agreement,) = metrics["agreement"]  # one pair: hummingbot against the baseline
    assert (agreement["first"], agreement["second"], agreement["share"]) == ("nautilus", "hummingbot", 1.0)
    assert "Incomplete run" not in report.markdown.read_text()


def test_a_platform_killed_mid_run_still_yields_a_report(small_demo, tmp_path):
    def kill_nautilus_soon(supervisor):
        pid = supervisor.children_pids()["nautilus"]
        threading.Timer(6.0, os.kill, (pid, signal.SIGKILL)).start()

    live = options(small_demo, tmp_path, mode="live", speed=400.0)
    report, exits = run_both(columns_of(live), FAST_SAMPLING, on_started=kill_nautilus_soon)
    assert exits["nautilus"].returncode == -signal.SIGKILL and exits["hummingbot"].returncode == 0
    text = report.markdown.read_text()
    assert "Incomplete run" in text and "nautilus crashed" in text
    metrics = json.loads(report.metrics.read_text())
    assert metrics["platforms"]["nautilus"]["stability"]["crashed"] is True
    assert metrics["platforms"]["hummingbot"]["trading"]["trades"] > 0


def test_a_run_folder_that_holds_a_run_is_refused_before_anything_starts(small_demo, tmp_path):
    used = tmp_path / "run"
    (used / "nautilus").mkdir(parents=True)
    (used / "nautilus" / "events.jsonl").write_text('{"seq": 1}\n')
    with pytest.raises(InputError, match="already holds a run"):
        run_both(columns_of(options(small_demo, tmp_path)), FAST_SAMPLING)
    assert sorted(p.name for p in used.iterdir()) == ["nautilus"]  # no inputs.json, no platform started


def test_a_live_run_shows_each_platform_s_wall_clock_stages(small_demo, tmp_path):
    """Live at 240x over the two hours (half a minute): Hummingbot's venue acknowledges an order 10 ms after it, well before
    the next 1 s tick fills it; Nautilus' Sandbox venue sends no acknowledgement of a market order."""
    live = options(small_demo, tmp_path, mode="live", speed=240.0, duration_ns=None)
    report, exits = run_both(columns_of(live), FAST_SAMPLING)
    assert {e.returncode for e in exits.values()} == {0}
    stages = {name: {s.name: s.latency for s in m.stages.stages} for name, m in report.analysis.figures.columns.items()}
    hummingbot, nautilus = stages["hummingbot"], stages["nautilus"]
    assert {"published → received", "submitted → accepted", "accepted → filled"} <= set(hummingbot)
    assert hummingbot["accepted → filled"].count >= 1
    assert "submitted → filled" in nautilus and "submitted → accepted" not in nautilus and "published → received" not in nautilus
    assert "### Stages on the wall clock\n" in report.markdown.read_text()
