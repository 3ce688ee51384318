"""Whether a comparison needs the MQTT broker, and what the broker cost while it ran.

A column needs the broker when its platform takes signals from a provider and the column's transport
setting (the field its registry entry names) is MQTT. The broker runs outside every platform's
process tree, so its CPU is measured on its own, around the supervised run.
"""

from __future__ import annotations

from pathlib import Path

import psutil

from evaluator.harness.comparison import Columns
from shared_signals.contract.platforms import REGISTRY
from shared_signals.contract.spec import RunSpec
from shared_signals.transport.broker import MosquittoBroker
from shared_signals.transport.kinds import MQTT
from shared_signals.transport.mqtt.connection import default_broker_dir


def needs_broker(spec: RunSpec) -> bool:
    provider = REGISTRY[spec.platform].provider
    return provider is not None and spec.settings.get(provider.transport_field) == MQTT


def broker_folder(spec: RunSpec) -> Path:
    """The folder of the broker ``spec`` reads (its registry's broker field), else the default one."""
    provider = REGISTRY[spec.platform].provider
    tree: object = spec.settings
    for part in ([] if provider is None else provider.broker_field.split(".")):
        tree = tree.get(part) if isinstance(tree, dict) else None
    return Path(tree) if isinstance(tree, str) else default_broker_dir()


def uses_broker(columns: Columns) -> list[str]:
    """The columns whose signals go through the broker."""
    return [spec.column for spec in columns.specs if needs_broker(spec)]


def _cpu_s(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return None
    return times.user + times.system


class BrokerUse:
    """The CPU seconds, from now on, of the broker running from ``folder`` (none for one this machine did not start)."""

    def __init__(self, folder: Path) -> None:
        self._pid = MosquittoBroker(folder).running_pid()
        self._start = _cpu_s(self._pid)

    def cpu_pct(self, wall_s: float) -> float | None:
        end = _cpu_s(self._pid)
        if self._start is None or end is None:
            return None
        return 100.0 * (end - self._start) / max(wall_s, 1e-9)
