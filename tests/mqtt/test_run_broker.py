"""A run with an MQTT column needs nothing started by hand: with no broker of the project's running it
starts its own Mosquitto, and nothing of it (process, folder, password) outlives the run, whether the
run ends, is stopped with Ctrl-C or the harness is killed. ``--broker`` uses a running broker instead."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from evaluator.analysis.metrics.transport import transport_figures
from evaluator.cli import main
from evaluator.commands.broker_options import PASSWORD_ENV, USERNAME_ENV
from shared_signals.contract.record import read_record
from shared_signals.contract.spec import read_spec
from shared_signals.transport.broker import free_port, mosquitto_available
from shared_signals.transport.mqtt.connection import BROKER_DIR_ENV, read_address
from tests.mqtt.conftest import NOT_INSTALLED, column_run

GONE_WITHIN_S = 60.0
"""Generous: a loaded 2-core machine; Ctrl-C also waits for the platforms to stop and the report."""
POLL_S = 0.1


@pytest.fixture(autouse=True)
def _needs_mosquitto():
    if not mosquitto_available():
        pytest.skip(NOT_INSTALLED)


def _cli(command: str, small_demo, out: Path, *extra: str, mode: str = "replay") -> list[str]:
    platform = ["--platform", "hummingbot"] if command == "run" else ["--platforms", "hummingbot"]
    return [sys.executable, "-m", "evaluator.cli", command, *platform, "--transport", "mqtt", "--mode", mode,
            "--quotes", str(small_demo.quotes), "--signals", str(small_demo.signals), "--out", str(out), *extra]


def _environment(**changes: str) -> dict[str, str]:
    return {**os.environ, **changes}


def _mosquittos(folder: Path) -> list[psutil.Process]:
    """Live mosquitto processes whose configuration is in ``folder`` (other brokers on the machine are not the run's)."""
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "mosquitto" and str(folder) in " ".join(process.info["cmdline"] or ()) and not _gone(process):
            found.append(process)
    return found


def _run_folder(out: Path, command: str) -> Path:
    return out if command == "run" else next(out.iterdir())


def _column_folder_setting(run_dir: Path) -> Path:
    return Path(read_spec(run_dir / "hummingbot" / "spec.json").settings["mqtt"]["broker_dir"])


@pytest.mark.parametrize("command", ["run", "run-both"])
def test_a_run_with_no_broker_starts_its_own_and_leaves_nothing(tmp_path, small_demo, broker, command):
    broker.stop(forget=False)  # a project broker folder whose broker is down: the run must not rely on it
    out = tmp_path / "out"
    result = subprocess.run(_cli(command, small_demo, out), capture_output=True, text=True, timeout=300,
                            env=_environment(**{BROKER_DIR_ENV: str(broker.folder)}))
    assert result.returncode == 0, result.stderr
    run_dir = _run_folder(out, command)
    folder = _column_folder_setting(run_dir)
    assert folder != broker.folder and not folder.exists()  # its own folder, removed with the password and client.json
    if command == "run-both":
        record = read_record(run_dir)
        assert record.broker.kind == "embedded" and Path(record.broker.folder) == folder
        assert record.broker.endpoint != f"127.0.0.1:{broker.port}"
        assert "a Mosquitto the run started for itself" in (run_dir / "report.md").read_text()
        figures = transport_figures(column_run(read_spec(run_dir / "hummingbot" / "spec.json")))
        assert figures.published > 0 and (figures.received, figures.lost) == (figures.published, 0)
    else:
        events = (run_dir / "hummingbot" / "events.jsonl").read_text()
        assert events.count('"message_received"') > 0
    assert _mosquittos(folder) == []  # no broker left running


def _live(small_demo, out: Path) -> subprocess.Popen:
    """A live comparison far longer than the test: it ends only by the signal the test sends."""
    command = _cli("run-both", small_demo, out, "--speed", "1", "--duration", "30m", mode="live")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=_environment(**{BROKER_DIR_ENV: str(out.parent / "no-project-broker")}))


def _wait_for_platform_and_broker(harness: subprocess.Popen) -> tuple[psutil.Process, list[psutil.Process]]:
    """The harness's own Mosquitto and every process under the harness, once a platform runs beside it."""
    deadline = time.monotonic() + GONE_WITHIN_S
    while time.monotonic() < deadline:
        assert harness.poll() is None, "the harness exited before its platforms ran"
        family = psutil.Process(harness.pid).children(recursive=True)
        mosquitto = [p for p in family if p.name() == "mosquitto"]
        if mosquitto and any("poc_hummingbot" in " ".join(p.cmdline()) for p in family):
            return mosquitto[0], family
        time.sleep(POLL_S)
    raise AssertionError("no platform and broker under the harness")


def _gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_the_runs_broker_ends_with_the_harness(tmp_path, small_demo, how):
    harness = _live(small_demo, tmp_path / "out")
    family: list[psutil.Process] = []
    try:
        mosquitto, family = _wait_for_platform_and_broker(harness)
        folder = Path(mosquitto.cmdline()[-1]).parent  # mosquitto -c FOLDER/mosquitto.conf
        assert (folder / "client.json").exists()
        harness.send_signal(how)
        deadline = time.monotonic() + GONE_WITHIN_S
        while not (_gone(mosquitto) and not folder.exists()) and time.monotonic() < deadline:
            time.sleep(POLL_S)
        assert _gone(mosquitto), "the run's broker outlived the harness"
        assert not folder.exists(), "the run's broker folder (password, client.json) outlived the harness"
    finally:
        harness.kill()
        harness.wait()
        for process in family:  # the platforms stop on their own once the harness is gone; never leave one behind
            if not _gone(process):
                process.kill()


def _credentials_file(tmp_path: Path, username: str, password: str, mode: int = 0o600) -> Path:
    path = tmp_path / "secret" / "broker.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"username": username, "password": password}))
    path.chmod(mode)
    return path


def _watch(harness: subprocess.Popen, password: str) -> tuple[set[int], list[str]]:
    """Until the harness exits: the mosquitto processes started under it, and every place the password
    showed up in a command line or the environment of a process under the harness."""
    started, leaks = set(), []
    while harness.poll() is None:
        for process in psutil.process_iter(["cmdline"]):
            if password in " ".join(process.info["cmdline"] or ()):
                leaks.append(f"command line of {process.pid}")
        try:
            family = psutil.Process(harness.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            break
        for child in family:
            try:
                started |= {child.pid} if child.name() == "mosquitto" else set()
                if password in "".join(child.environ().values()):
                    leaks.append(f"environment of {child.pid}")
            except psutil.Error:
                continue
        time.sleep(POLL_S)
    return started, leaks


@pytest.mark.parametrize("source", ["file", "environment"])
def test_broker_flag_uses_the_running_broker_and_keeps_its_password_out(tmp_path, small_demo, broker, source):
    address = read_address(broker.folder)
    out = tmp_path / "out"
    env = _environment(**{BROKER_DIR_ENV: str(tmp_path / "elsewhere")})  # not found as the project's: only --broker names it
    extra = ["--broker", address.endpoint]
    if source == "file":
        extra += ["--broker-credentials", str(_credentials_file(tmp_path, address.username, address.password))]
    else:
        env |= {USERNAME_ENV: address.username, PASSWORD_ENV: address.password}
    with (tmp_path / "harness.log").open("wb") as log:
        harness = subprocess.Popen(_cli("run-both", small_demo, out, *extra), stdout=log, stderr=log, env=env)
        started, leaks = _watch(harness, address.password)
    printed = (tmp_path / "harness.log").read_bytes()
    assert harness.wait() == 0, printed.decode()
    assert started == set() and broker.running_pid() is not None  # the given broker served the run: no second one
    assert leaks == []
    assert address.password.encode() not in printed

    run_dir = next(out.iterdir())
    record = read_record(run_dir)
    assert (record.broker.kind, record.broker.endpoint) == ("given", address.endpoint)
    assert not Path(record.broker.folder).exists()  # the run's copy of the credentials is gone
    figures = transport_figures(column_run(read_spec(run_dir / "hummingbot" / "spec.json")))
    assert figures.published > 0 and figures.received == figures.published
    for path in run_dir.rglob("*"):
        if path.is_file():
            assert address.password.encode() not in path.read_bytes(), path


def _one_line_error(capsys, argv: list[str]) -> str:
    code = main(argv)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("flags, words", [
    (["--broker", "localhost"], "expected HOST:PORT"),
    (["--broker", "127.0.0.1:99999"], "expected HOST:PORT"),
    (["--broker", "127.0.0.1:1883"], "needs credentials"),
    (["--broker-credentials", "x.json"], "is for --broker HOST:PORT"),
])
def test_bad_broker_flags_are_one_line(tmp_path, small_demo, capsys, monkeypatch, flags, words):
    monkeypatch.delenv(USERNAME_ENV, raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    line = _one_line_error(capsys, _cli("run-both", small_demo, tmp_path / "out", *flags)[3:])
    assert words in line and not (tmp_path / "out").exists()


def test_credentials_others_can_read_are_refused(tmp_path, small_demo, capsys):
    path = _credentials_file(tmp_path, "q50", "not-shown", mode=0o644)
    line = _one_line_error(capsys, _cli("run-both", small_demo, tmp_path / "out", "--broker", "127.0.0.1:1883",
                                        "--broker-credentials", str(path))[3:])
    assert "readable by others (mode 644)" in line and "not-shown" not in line


def test_a_given_broker_that_does_not_answer_is_one_line(tmp_path, small_demo, capsys):
    path = _credentials_file(tmp_path, "q50", "not-shown")
    port = free_port()
    line = _one_line_error(capsys, _cli("run-both", small_demo, tmp_path / "out", "--broker", f"127.0.0.1:{port}",
                                        "--broker-credentials", str(path))[3:])
    assert f"--broker 127.0.0.1:{port}: no MQTT broker answers there" in line
