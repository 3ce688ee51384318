"""The MQTT broker of one run, so a run with an MQTT column needs nothing started by hand.

Which broker: the one ``--broker`` names; else the project's long-lived one (``scripts/mqtt/broker.sh``)
when it runs; else a Mosquitto started for this run alone, from the project's config, on a free port of
127.0.0.1 with a fresh password, its files in a private temporary folder. Every MQTT column reads the
broker's address and credentials from ``client.json`` in the folder its spec names (the settings field
its registry entry gives), never from a command line or the environment. A folder the run made is
removed when the run ends (its broker stopped first), on Ctrl-C and on an exception too; a watchdog
process (:mod:`shared_signals.transport.broker_watch`) does the same if the harness is killed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from evaluator.harness.broker_use import BrokerUse, needs_broker, uses_broker
from evaluator.harness.comparison import Columns
from shared_signals.contract.platforms import REGISTRY
from shared_signals.contract.record import BrokerFacts, BrokerKind
from shared_signals.contract.spec import RunSpec
from shared_signals.errors import InputError
from shared_signals.transport import broker_watch
from shared_signals.transport.broker import INSTALL_HINT, MosquittoBroker, free_port, mosquitto_available, port_open
from shared_signals.transport.mqtt.connection import BrokerAddress, default_broker_dir, read_address, write_address

FOLDER_PREFIX = "q50-mqtt-run-"
WATCH_STOP_S = 5.0


def _with_value(tree: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """A copy of nested ``tree`` with the field at ``dotted`` (``mqtt.broker_dir``) set to ``value``."""
    head, _, rest = dotted.partition(".")
    inner = tree.get(head) if isinstance(tree.get(head), dict) else {}
    return {**tree, head: _with_value(inner, rest, value) if rest else value}


def _watchdog(folder: Path) -> subprocess.Popen:
    """The watchdog of ``folder``, in its own session so a Ctrl-C at the terminal leaves the cleanup to
    the harness."""
    return subprocess.Popen(
        [sys.executable, "-I", broker_watch.__file__, str(folder), str(os.getpid())],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


class RunBroker:
    """The broker the run's MQTT columns use, and what the run made for it (a folder, a Mosquitto, a watchdog)."""

    def __init__(self, kind: BrokerKind, address: BrokerAddress, folder: Path, watchdog: subprocess.Popen | None = None,
                 mosquitto: MosquittoBroker | None = None) -> None:
        self.facts = BrokerFacts(kind=kind, endpoint=address.endpoint, folder=str(folder))
        self.folder = folder
        self.use = BrokerUse(folder)
        self._watchdog = watchdog
        self._mosquitto = mosquitto

    def serve(self, spec: RunSpec) -> RunSpec:
        """``spec`` reading this broker's folder, when its signals go through MQTT; else unchanged."""
        if not needs_broker(spec):
            return spec
        field = REGISTRY[spec.platform].provider.broker_field
        return replace(spec, settings=_with_value(spec.settings, field, str(self.folder)))

    def serve_columns(self, columns: Columns) -> Columns:
        return replace(columns, specs=tuple(self.serve(s) for s in columns.specs))

    def close(self) -> None:
        """Stops the broker the run started and removes the folder it made; a no-op for the project's."""
        if self._watchdog is None:
            return
        if self._mosquitto is not None:
            self._mosquitto.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
        self._watchdog.terminate()
        self._watchdog.wait(WATCH_STOP_S)


def _private_folder() -> tuple[Path, subprocess.Popen]:
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
    return folder, _watchdog(folder)


def _given(address: BrokerAddress) -> RunBroker:
    """``--broker``: its address and credentials in a ``client.json`` of the run's own (mode 0600)."""
    if not port_open(address.port, address.host):
        raise InputError(f"--broker {address.endpoint}: no MQTT broker answers there")
    folder, watchdog = _private_folder()
    write_address(folder, address)
    return RunBroker("given", address, folder, watchdog)


def _project() -> RunBroker | None:
    """The broker of ``scripts/mqtt/broker.sh`` (its folder ``$Q50_MQTT_DIR`` or the default), when it runs and answers."""
    folder = default_broker_dir()
    if MosquittoBroker(folder).running_pid() is None:
        return None
    try:
        address = read_address(folder)
    except InputError:
        return None
    return RunBroker("project", address, folder) if port_open(address.port, address.host) else None


def _embedded() -> RunBroker:
    """A Mosquitto for this run: the watchdog guards its folder before the broker exists."""
    if not mosquitto_available():
        raise InputError(f"an MQTT column needs Mosquitto, which is not installed: {INSTALL_HINT}")
    folder, watchdog = _private_folder()
    mosquitto = MosquittoBroker(folder, free_port())
    try:
        address = mosquitto.start()
    except BaseException:
        mosquitto.stop()
        shutil.rmtree(folder, ignore_errors=True)
        watchdog.terminate()
        raise
    return RunBroker("embedded", address, folder, watchdog, mosquitto)


@contextmanager
def broker_for(columns: Columns) -> Iterator[RunBroker | None]:
    """The run's broker while the block runs (None when no column uses MQTT), cleaned up after it."""
    if not uses_broker(columns):
        yield None
        return
    broker = _given(columns.broker) if columns.broker is not None else (_project() or _embedded())
    try:
        yield broker
    finally:
        broker.close()
