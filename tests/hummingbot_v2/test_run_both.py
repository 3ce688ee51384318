"""The issue's command with the V2 column: ``run-both --mode live --platforms nautilus hummingbot
hummingbot-v2 --speed 30 --duration 90s`` on the demo day, against a broker of the project's own started for
the test (until a run starts its own). Its report has the three columns; a replay request for V2 is
refused in one line, exit 2, before anything starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared_signals.transport.broker import MosquittoBroker, free_port, mosquitto_available
from shared_signals.transport.mqtt.connection import BROKER_DIR_ENV

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ("nautilus", "hummingbot", "hummingbot-v2")


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evaluator.cli", *args], env=env, capture_output=True, text=True, timeout=600)


def test_replay_is_refused_in_one_line(tmp_path):
    done = _cli("run-both", "--mode", "replay", "--platforms", "hummingbot-v2", "--out", str(tmp_path),
                env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "live mode only" in lines[0] and "wall-clock" in lines[0], done.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
def test_three_columns_live(tmp_path):
    if not mosquitto_available():
        pytest.skip("mosquitto is not installed")
    broker = MosquittoBroker(tmp_path / "broker", free_port())
    env = {**os.environ, "PYTHONPATH": str(ROOT), BROKER_DIR_ENV: str(broker.folder)}
    broker.start()
    try:
        done = _cli("run-both", "--mode", "live", "--platforms", *COLUMNS, "--speed", "30", "--duration", "90s",
                    "--out", str(tmp_path / "out"), env=env)
    finally:
        broker.stop()
    assert done.returncode == 0, done.stderr[-3000:]
    (run_dir,) = (tmp_path / "out").iterdir()
    for column in COLUMNS:
        result = json.loads((run_dir / column / "result.json").read_text())
        assert result["platform"] == column and result["fills"] > 0
    v2 = json.loads((run_dir / "hummingbot-v2" / "run.json").read_text())
    assert "PositionExecutor" in v2["platform"]["framework"]
    report = (run_dir / "report.md").read_text()
    assert all(f"| {column} " in report or f"{column} |" in report for column in COLUMNS)
    assert "### Agreement: nautilus and hummingbot-v2" in report
