"""The one offline live V2 run the tests of its journal share (it takes minutes: run once per session)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psutil
import pytest

from shared_signals.contract.journal import read_journal
from shared_signals.contract.spec import RunSpec, read_spec
from shared_signals.transport.broker import mosquitto_available
from tests.hummingbot_v2.offline import MARKET_S, NETNS, SPEED, environment, offline, run_command


@dataclass(frozen=True)
class OfflineRun:
    spec: RunSpec
    events: pd.DataFrame
    folder: Path
    """The column's folder (``spec.json``, ``run.json``, ``timeline.json``, the journal)."""


@pytest.fixture(scope="session")
def offline_run(tmp_path_factory) -> OfflineRun:
    """``poc-eval run`` as a user types it, in the namespace: no broker runs there, so the run starts its
    own on loopback and must leave nothing behind."""
    if not NETNS or not mosquitto_available():
        pytest.skip("needs root with unshare and mosquitto")
    folder = tmp_path_factory.mktemp("v2")
    command = run_command(folder, "run", MARKET_S / SPEED + 20, folder / "run")
    done = subprocess.run(offline(command), env=environment(), capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    spec = read_spec(folder / "run" / "hummingbot-v2" / "spec.json")
    broker = spec.settings["mqtt"]["broker_dir"]  # the run's own: no other broker answers in the namespace
    assert Path(broker).name.startswith("q50-mqtt-run-") and not Path(broker).exists()  # stopped, its password file gone
    assert not [p for p in psutil.process_iter(["cmdline"]) if broker in " ".join(p.info["cmdline"] or [])]
    return OfflineRun(spec, read_journal(spec.platform_dir).events, Path(spec.platform_dir))
