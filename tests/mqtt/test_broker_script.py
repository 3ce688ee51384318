"""scripts/mqtt/broker.sh: loopback only, a password generated at start (never stored in clear for the
broker), anonymous clients refused, restart keeps the credentials, stop forgets them."""

from __future__ import annotations

import asyncio
import json
import stat
import subprocess

import aiomqtt
import pytest

from shared_signals.transport.broker import CONFIG_FILE, PASSWORD_FILE, MosquittoBroker, free_port, mosquitto_available
from shared_signals.transport.mqtt.connection import CONNECTION_FILE, LOOPBACK, read_address
from tests.mqtt.conftest import NOT_INSTALLED

NOT_RUNNING = 3
CONNECT_TIMEOUT_S = 3


def broker_sh(repo_root, folder, port, action):
    return subprocess.run(
        ["bash", str(repo_root / "scripts" / "mqtt" / "broker.sh"), action, "--dir", str(folder), "--port", str(port)],
        capture_output=True, text=True, timeout=60,
    )


async def _connect(port: int, username: str | None, password: str | None) -> None:
    async with aiomqtt.Client(LOOPBACK, port, username=username, password=password, timeout=CONNECT_TIMEOUT_S):
        pass


def test_start_status_restart_stop(repo_root, tmp_path):
    if not mosquitto_available():
        pytest.skip(NOT_INSTALLED)
    folder, port = tmp_path / "broker", free_port()
    try:
        started = broker_sh(repo_root, folder, port, "start")
        assert started.returncode == 0 and f"{LOOPBACK}:{port}" in started.stdout, started.stderr
        assert broker_sh(repo_root, folder, port, "status").returncode == 0
        address = read_address(folder)
        assert stat.S_IMODE((folder / CONNECTION_FILE).stat().st_mode) == 0o600
        assert address.password not in (folder / PASSWORD_FILE).read_text()  # mosquitto_passwd hashed it
        config = (folder / CONFIG_FILE).read_text()
        assert f"listener {port} {LOOPBACK}" in config and "allow_anonymous false" in config
        asyncio.run(_connect(port, address.username, address.password))
        for username, password in ((None, None), (address.username, "wrong")):
            with pytest.raises(aiomqtt.MqttError, match="Not authorized"):
                asyncio.run(_connect(port, username, password))

        assert broker_sh(repo_root, folder, port, "restart").returncode == 0
        assert read_address(folder) == address  # same credentials after a restart
        asyncio.run(_connect(port, address.username, address.password))

        stopped = broker_sh(repo_root, folder, port, "stop")
        assert stopped.returncode == 0 and "stopped" in stopped.stdout
        status = broker_sh(repo_root, folder, port, "status")
        assert status.returncode == NOT_RUNNING and "not running" in status.stdout
        assert not (folder / CONNECTION_FILE).exists() and not (folder / PASSWORD_FILE).exists()
        assert address.password not in json.dumps(started.stdout + started.stderr + stopped.stdout)
    finally:
        MosquittoBroker(folder, port).stop()
