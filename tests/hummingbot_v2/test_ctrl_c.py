"""Ctrl-C of a live V2 run once a position is open, as a user types it (``run``, and ``run-both`` whose
harness forwards the stop), in the offline namespace: the run stops, the executor's position is closed by
the orchestrator's stop and journaled ``end_of_run``, the journal is closed and reads cleanly, the exit
code says interrupted, and no broker, password file or child process is left."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from evaluator.commands.exit_codes import EXIT_INTERRUPTED
from shared_signals.contract.codes import INTERRUPTED_REASON, ErrorKind, ExitCause
from shared_signals.contract.journal import read_journal
from shared_signals.contract.layout import EVENTS_PARQUET
from shared_signals.contract.spec import read_spec
from shared_signals.transport.broker import mosquitto_available
from tests.hummingbot_v2.offline import NETNS, environment, offline, run_command

pytestmark = pytest.mark.slow

WAIT_S = 120.0
"""Generous, for a loaded 2-core machine: until the first fill, and until the run has stopped."""


def _journal(out: Path) -> Path | None:
    return next(out.glob("**/hummingbot-v2/events.jsonl"), None)


def _gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.parametrize("command", ["run", "run-both"])
def test_ctrl_c_closes_the_open_position_and_leaves_nothing(tmp_path, command):
    if not NETNS or not mosquitto_available():
        pytest.skip("needs root with unshare and mosquitto")
    out = tmp_path / "out"
    harness = subprocess.Popen(offline(run_command(tmp_path, command, 600, out)), env=environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    family: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline and not ((j := _journal(out)) is not None and '"order_filled"' in j.read_text()):
            assert harness.poll() is None, harness.stderr.read()[-3000:]
            time.sleep(0.1)
        family = psutil.Process(harness.pid).children(recursive=True)  # the platform process, its provider, the broker
        harness.send_signal(signal.SIGINT)  # to the harness alone (run-both forwards it to the platform)
        _, stderr = harness.communicate(timeout=WAIT_S)
    finally:
        if harness.poll() is None:
            harness.kill()
            harness.wait()
    assert harness.returncode == EXIT_INTERRUPTED, stderr[-3000:]
    folder = _journal(out).parent
    events = read_journal(folder).events
    assert (folder / EVENTS_PARQUET).exists()  # the journal was closed, not cut off
    fills = events[events["kind"] == "order_filled"]
    assert fills["code"].isna().sum() == 1 and list(fills["code"].dropna()) == [ExitCause.END_OF_RUN]  # the one open position, closed
    assert abs(fills["position_after"].iloc[-1]) < 1e-9 and abs(events[events["kind"] == "heartbeat"]["position_after"].iloc[-1]) < 1e-9
    errors = events[events["kind"] == "error"]
    assert list(errors["code"]) == [ErrorKind.INTERRUPTED] and errors["reason"].iloc[0] == INTERRUPTED_REASON, errors[["code", "reason"]]
    if command == "run-both":
        exit_record = json.loads((folder / "exit.json").read_text())
        assert exit_record["stopped_by_user"] and exit_record["returncode"] != -signal.SIGKILL  # within the harness's grace
        assert "Stopped early by the user (Ctrl-C)" in (folder.parent / "report.md").read_text()
    broker = Path(read_spec(folder / "spec.json").settings["mqtt"]["broker_dir"])
    assert broker.name.startswith("q50-mqtt-run-") and not broker.exists()  # the run's own broker folder, password gone
    assert not [p for p in psutil.process_iter(["cmdline"]) if str(broker) in " ".join(p.info["cmdline"] or [])]
    assert family and all(_gone(p) for p in family)
