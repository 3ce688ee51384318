"""Where the broker listens and how to log in: ``client.json`` in the broker folder.

``poc-eval broker start`` writes it (mode 0600) with the password it generated; the provider and the
strategy read it. Only the folder's path travels on command lines and into ``run.json``: the password
stays in that file and in memory, never in a journal, report or log.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from shared_signals.errors import InputError

BROKER_DIR_ENV = "Q50_MQTT_DIR"
"""Overrides the default broker folder (the tests point it at their own broker)."""
DEFAULT_BROKER_DIR_NAME = "q50-poc-mqtt"
CONNECTION_FILE = "client.json"
LOOPBACK = "127.0.0.1"
PRIVATE_FILE_MODE = 0o600


def default_broker_dir() -> Path:
    """``$Q50_MQTT_DIR``, else ``$TMPDIR/q50-poc-mqtt``: the folder ``scripts/mqtt/broker.sh`` uses too."""
    configured = os.environ.get(BROKER_DIR_ENV)
    return Path(configured) if configured else Path(tempfile.gettempdir()) / DEFAULT_BROKER_DIR_NAME


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    username: str
    password: str = field(repr=False)
    """Kept out of ``repr`` so a log line or traceback showing the address cannot show it."""

    @property
    def endpoint(self) -> str:
        return f"{self.host}:{self.port}"


def write_private(path: Path, text: str) -> None:
    """Creates or replaces ``path`` readable by its owner only (the mode is set before any byte is written)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def write_address(folder: Path, address: BrokerAddress) -> Path:
    target = Path(folder) / CONNECTION_FILE
    record = {"host": address.host, "port": address.port, "username": address.username, "password": address.password}
    write_private(target, json.dumps(record) + "\n")
    return target


def read_address(folder: Path) -> BrokerAddress:
    """The broker of ``folder``; :class:`InputError` when none was started there."""
    path = Path(folder) / CONNECTION_FILE
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return BrokerAddress(str(record["host"]), int(record["port"]), str(record["username"]), str(record["password"]))
    except FileNotFoundError:
        raise InputError("no MQTT broker started here: run scripts/mqtt/broker.sh start", path) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError("unreadable broker connection file: restart the broker (scripts/mqtt/broker.sh restart)", path) from None
