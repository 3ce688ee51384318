"""Each fault scenario runs on the real platforms and its journaled outcome is checked."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pandas as pd
import psutil
import pytest

from evaluator.commands.exit_codes import EXIT_INTERRUPTED
from evaluator.harness.faults import RUNTIME_FAULTS, Fault, RuntimeFaults, apply_input_faults, parse_fault, resolve_faults
from shared_signals.contract.codes import INTERRUPTED_REASON
from shared_signals.contract.journal import read_journal
from shared_signals.contract.layout import EVENTS_PARQUET
from evaluator.harness.run_both import run_both
from evaluator.analysis.run_folder import RunFolder
from shared_signals.contract.spec import RunSpec
from evaluator.harness.soak import soak
from evaluator.harness.supervisor import SupervisorConfig
from poc_hummingbot.config import PROVIDER_DIR
from shared_signals.demo import DemoParams, write_demo
from shared_signals.errors import InputError
from tests.evaluator.plans import columns_of

FAST = SupervisorConfig(sample_interval_s=0.25, poll_interval_s=0.05)
S = 1_000_000_000


def options(small_demo, tmp_path, **changes):
    base = dict(platform="hummingbot", mode="live", quotes=small_demo.quotes, signals=small_demo.signals,
                run_dir=tmp_path / "run", run_id="f1", speed=200.0, duration_ns=20 * S)
    base.update(changes)
    return RunSpec(**base)


def test_fault_names_are_parsed_and_checked(small_demo, tmp_path):
    both = columns_of(options(small_demo, tmp_path))
    assert parse_fault("kill:nautilus@0.25").target == "nautilus"
    assert parse_fault("garbage-signal").target == ""  # unnamed: the run's columns decide
    (garbage,) = resolve_faults([parse_fault("garbage-signal")], both)
    assert garbage.target == "hummingbot"  # the one column with a signal file
    for bad in ("explode", "kill:nautilus@2"):
        with pytest.raises(InputError):
            parse_fault(bad)
    for unstrikable in ("kill", "garbage-signal:nautilus"):  # kill names no column; nautilus has no signal file
        with pytest.raises(InputError, match="needs a column to strike"):
            resolve_faults([parse_fault(unstrikable)], both)


def test_a_broker_restart_needs_mqtt_and_hummingbot(small_demo, tmp_path):
    fault = parse_fault("broker-restart@0.4")
    assert fault.at_fraction == 0.4
    mqtt = {"hummingbot": {"transport": "mqtt"}}
    (resolved,) = resolve_faults([fault], columns_of(options(small_demo, tmp_path), settings=mqtt))
    assert (resolved.target, resolved.at_fraction) == ("hummingbot", 0.4)
    with pytest.raises(InputError, match="needs the MQTT transport"):
        resolve_faults([fault], columns_of(options(small_demo, tmp_path)))
    with pytest.raises(InputError, match="needs the MQTT transport .*: none of nautilus does"):
        resolve_faults([fault], columns_of(options(small_demo, tmp_path), ("nautilus",), settings=mqtt))


@pytest.mark.slow
def test_provider_stops_and_the_strategy_stops_trading(small_demo, tmp_path):
    report, exits = soak(columns_of(options(small_demo, tmp_path), ("hummingbot",)), [parse_fault("provider-stop@0.75")], FAST)
    run = RunFolder.load(tmp_path / "run")
    fault = run.record.faults[0]
    assert fault.action.startswith("SIGKILL to the signal provider") and fault.target == "hummingbot"
    events = run.columns["hummingbot"].events
    after = events[events["wall_ns"] > fault.at_wall_ns + 3 * S]  # 5 min of market time is 1.5 s at 200x
    orders = after[after["kind"] == "order_submitted"]
    assert list(orders["code"]) in ([], ["end_of_run"])  # at most the close of what is open when the run stops
    errors = events[(events["kind"] == "error") & (events["wall_ns"] > fault.at_wall_ns)]
    assert (errors["code"] == "provider_exited").any()
    assert exits["hummingbot"].returncode == 0
    text = report.markdown.read_text()
    assert "provider-stop" in text
    memory_row = next(line for line in text.splitlines() if line.startswith("| Memory usage remains stable"))
    assert "at or below 10 MB per market hour" in memory_row and "after the soak's warm-up" in memory_row  # the soak's verdict


@pytest.mark.slow
def test_a_killed_hummingbot_takes_its_provider_with_it(small_demo, tmp_path):
    run = options(small_demo, tmp_path, duration_ns=30 * S)  # killed at 18 s: its provider has long been running
    _, exits = soak(columns_of(run, ("hummingbot",)), [parse_fault("kill:hummingbot@0.6")], FAST)
    assert exits["hummingbot"].returncode == -signal.SIGKILL
    provider = read_journal(tmp_path / "run" / "hummingbot" / PROVIDER_DIR).events
    stopped = provider[provider["kind"] == "error"]
    assert list(stopped["code"]) == ["platform_gone"] and stopped["reason"].str.fullmatch(r"platform process \d+ is gone: provider stopped").all()
    assert (tmp_path / "run" / "hummingbot" / PROVIDER_DIR / EVENTS_PARQUET).exists()  # closed, not cut off
    leftovers = [p for p in psutil.process_iter(["cmdline"]) if str(tmp_path) in " ".join(p.info["cmdline"] or ())]
    assert leftovers == []


@pytest.mark.slow
def test_a_silent_provider_is_detected_by_staleness(small_demo, tmp_path):
    soak(columns_of(options(small_demo, tmp_path), ("hummingbot",)), [parse_fault("provider-hang@0.75")], FAST)
    run = RunFolder.load(tmp_path / "run")
    fault = run.record.faults[0]
    assert fault.action.startswith("SIGSTOP to the signal provider")
    events = run.columns["hummingbot"].events
    after = events[events["wall_ns"] > fault.at_wall_ns]
    expired = after[(after["kind"] == "signal_skipped") & (after["code"] == "expired")]
    assert len(expired) == 1
    later = after[(after["wall_ns"] > int(expired["wall_ns"].iloc[0])) & (after["kind"] == "order_submitted")]
    assert list(later["code"]) in ([], ["end_of_run"])  # at most the close of what is open when the run stops


@pytest.mark.slow
def test_corrupt_signal_files_never_trade(small_demo, tmp_path):
    faults = [parse_fault(f) for f in ("garbage-signal@0.3", "half-written-signal@0.5", "invalid-signal@0.7")]
    report, _ = soak(columns_of(options(small_demo, tmp_path), ("hummingbot",)), faults, FAST)
    run = RunFolder.load(tmp_path / "run")
    assert sorted(f.name for f in run.record.faults) == ["garbage-signal", "half-written-signal", "invalid-signal"]
    assert all(f.target == "hummingbot" for f in run.record.faults)
    assert all("read by the strategy (write" in f.action for f in run.record.faults), run.record.faults
    events = run.columns["hummingbot"].events
    first_fault = min(f.at_wall_ns for f in run.record.faults)
    invalid = events[(events["kind"] == "signal_skipped") & (events["wall_ns"] >= first_fault) & (events["code"] == "invalid")]
    assert len(invalid) >= 3
    traded_ids = set(events.loc[events["kind"].isin(["order_submitted", "order_filled"]), "signal_id"].dropna())
    assert not traded_ids & {"fault-half-written", "fault-invalid"}
    assert (events["kind"] == "error").sum() == 0


@pytest.mark.slow
def test_signal_burst_and_market_data_gap(small_demo, tmp_path):
    faults = [parse_fault("signal-burst@0.3"), parse_fault("data-gap@0.6")]
    quotes, signals, injected = apply_input_faults(faults, small_demo.quotes, small_demo.signals, tmp_path)
    assert [f.name for f in injected] == ["signal-burst", "data-gap"]
    replay = options(small_demo, tmp_path, mode="replay", quotes=quotes, signals=signals, speed=None, duration_ns=None)
    report, exits = run_both(columns_of(replay), FAST)
    assert all(e.returncode == 0 for e in exits.values())
    q = pd.read_parquet(quotes)
    times = pd.to_datetime(q["timestamp"], utc=True)
    gap = times.diff().max()
    assert gap >= pd.Timedelta("10min")
    gap_end = times[times.diff() == gap].iloc[0].value
    gap_start = gap_end - gap.value
    run = RunFolder.load(tmp_path / "run")
    assert sorted(run.columns) == ["hummingbot", "nautilus"]
    for name, record in run.columns.items():
        events = record.events
        orders = events[events["kind"] == "order_submitted"]
        assert not ((orders["sim_ts_ns"] > gap_start) & (orders["sim_ts_ns"] < gap_end)).any(), name
        assert (events["kind"] == "error").sum() == 0, name
        burst_start = int(pd.Timestamp(small_demo_start(small_demo)).value + injected[0].at_s * S)
        in_burst = orders[(orders["sim_ts_ns"] >= burst_start) & (orders["sim_ts_ns"] < burst_start + 60 * S)]
        assert len(in_burst) <= 30, name  # the risk gate's order rate holds however fast signals arrive
    metrics = json.loads(report.metrics.read_text())
    assert metrics["platforms"]["nautilus"]["trading"]["trades"] > 0


def small_demo_start(small_demo):
    return pd.read_parquet(small_demo.quotes, columns=["timestamp"])["timestamp"].iloc[0]


def test_unwritable_run_folder_is_one_clear_line(small_demo, tmp_path):
    blocker = tmp_path / "reports"
    blocker.write_text("a file where the report folder should be")
    result = subprocess.run(
        [sys.executable, "-m", "evaluator.cli", "run-both", "--quotes", str(small_demo.quotes), "--signals", str(small_demo.signals),
         "--out", str(blocker)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot write the run folder" in lines[0] and "Traceback" not in result.stderr


def live_run_both(small_demo, out, speed: str, **popen) -> subprocess.Popen:
    """``poc-eval run-both --mode live`` as a child process, the way a user starts it."""
    return subprocess.Popen(
        [sys.executable, "-m", "evaluator.cli", "run-both", "--mode", "live", "--speed", speed, "--quotes", str(small_demo.quotes),
         "--signals", str(small_demo.signals), "--out", str(out)],
        **popen,
    )


def wait_for_fills(out, platforms: int, timeout_s: float = 90.0) -> None:
    """Until ``platforms`` journals under ``out`` hold a fill: both are trading."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and sum('"order_filled"' in path.read_text() for path in out.glob("*/*/events.jsonl")) < platforms:
        time.sleep(0.25)


@pytest.mark.slow
def test_a_killed_harness_leaves_a_reportable_run(small_demo, tmp_path):
    out = tmp_path / "reports"
    harness = live_run_both(small_demo, out, "200", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for_fills(out, 1)
    os.killpg(harness.pid, signal.SIGKILL)  # the harness and both platforms, as a power cut would
    harness.wait()
    run_dir = next(out.iterdir())
    result = subprocess.run([sys.executable, "-m", "evaluator.cli", "report", str(run_dir)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    text = (run_dir / "report.md").read_text()
    assert "Incomplete run" in text and "no exit record" in text
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert any(p["trading"]["trades"] > 0 for p in metrics["platforms"].values())


def run_processes(folder) -> list[psutil.Process]:
    """Every process (platform, provider) whose command line names ``folder``."""
    return [p for p in psutil.process_iter(["cmdline"]) if str(folder) in " ".join(p.info["cmdline"] or ())]


@pytest.mark.slow
def test_platforms_stop_cleanly_when_the_harness_alone_is_killed(small_demo, tmp_path):
    out = tmp_path / "reports"
    harness = live_run_both(small_demo, out, "100", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_fills(out, 2)
    harness.kill()  # the harness only: its platforms are left without a supervisor
    harness.wait()
    deadline = time.monotonic() + 60
    while run_processes(out) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert run_processes(out) == []
    run_dir = next(out.iterdir())
    for platform in ("nautilus", "hummingbot"):
        events = read_journal(run_dir / platform).events
        assert (events["code"] == "interrupted").any(), platform
        assert (run_dir / platform / EVENTS_PARQUET).exists(), platform  # the journal was closed, not cut off


@pytest.mark.slow
def test_ctrl_c_stops_both_platforms_and_still_writes_the_report(small_demo, tmp_path):
    out = tmp_path / "reports"
    harness = live_run_both(small_demo, out, "100", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_fills(out, 2)
    harness.send_signal(signal.SIGINT)  # to the harness alone: it forwards the stop to its platforms
    _, stderr = harness.communicate(timeout=60)
    run_dir = next(out.iterdir())
    assert "stopped by the user" in stderr
    assert harness.returncode == EXIT_INTERRUPTED  # the report is written, but the run did not finish
    for platform in ("nautilus", "hummingbot"):
        exit_record = json.loads((run_dir / platform / "exit.json").read_text())
        assert exit_record["stopped_by_user"], platform
        assert exit_record["returncode"] != -signal.SIGKILL, platform  # stopped within the grace period, not killed
        events = read_journal(run_dir / platform).events
        assert (events["code"] == "interrupted").any(), platform
        assert (run_dir / platform / EVENTS_PARQUET).exists(), platform
    text = (run_dir / "report.md").read_text()
    assert "Stopped early by the user (Ctrl-C)" in text
    assert "crashed" not in text.split("## Stability")[1].split("##")[0].replace("| crashed | no | no |", "")
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert all(p["stability"]["stopped_by_user"] and not p["stability"]["crashed"] for p in metrics["platforms"].values())


@pytest.mark.slow
@pytest.mark.parametrize("platform", ["nautilus", "hummingbot"])
def test_ctrl_c_in_a_replay_is_journaled_and_the_journal_closed(platform, tmp_path):
    demo = write_demo(tmp_path / "demo", DemoParams(hours=72.0))
    out = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, "-m", "evaluator.cli", "run", "--platform", platform, "--mode", "replay", "--quotes", str(demo.quotes),
         "--signals", str(demo.signals), "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    journal = out / platform / "events.jsonl"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not (journal.exists() and '"order_filled"' in journal.read_text()):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED, stderr
    events = read_journal(out / platform).events
    assert events["code"].eq("interrupted").sum() == 1 and events["reason"].eq(INTERRUPTED_REASON).sum() == 1
    assert (out / platform / EVENTS_PARQUET).exists()


def test_runtime_faults_are_stamped_when_fired_and_end_with_the_run(small_demo, tmp_path, monkeypatch):
    firing = threading.Event()
    began: list[int] = []
    finished: list[str] = []

    def slow_action(supervisor, spec):  # like a broker restart: seconds between start and end
        began.append(time.time_ns())
        firing.set()
        time.sleep(0.3)
        finished.append(spec.column)
        return "acted"

    monkeypatch.setitem(RUNTIME_FAULTS, "garbage-signal", slow_action)
    records = []
    due_now, due_later = Fault("garbage-signal", "hummingbot", 0.001), Fault("garbage-signal", "hummingbot", 0.9)
    faults = RuntimeFaults([due_now, due_later], columns_of(options(small_demo, tmp_path)), 100.0, records.append)
    faults.start(supervisor=None)
    assert firing.wait(10)
    faults.settle()  # the run ends while the first fault still acts; the second is not due for 90 s
    assert finished == ["hummingbot"] and len(records) == 1
    assert records[0].at_wall_ns <= began[0]  # when it struck, not when its action returned
