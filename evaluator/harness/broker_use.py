"""Whether a comparison needs the MQTT broker, and what the broker cost while it ran.

A column needs the broker when its platform takes signals from a provider and the column's transport
setting (the field its registry entry names) is MQTT. The broker runs outside every platform's
process tree, so its CPU is measured on its own, around the supervised run.
"""

from __future__ import annotations

import psutil

from evaluator.harness.comparison import Columns
from shared_signals.contract.platforms import REGISTRY
from shared_signals.transport.broker import MosquittoBroker, check_reachable
from shared_signals.transport.kinds import MQTT
from shared_signals.transport.mqtt.connection import default_broker_dir


def uses_broker(columns: Columns) -> list[str]:
    """The columns whose signals go through the broker."""
    found = []
    for spec in columns.specs:
        provider = REGISTRY[spec.platform].provider
        if provider is not None and spec.settings.get(provider.transport_field) == MQTT:
            found.append(spec.column)
    return found


def _cpu_s(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return None
    return times.user + times.system


class BrokerUse:
    """The running broker's CPU seconds from now on."""

    def __init__(self) -> None:
        self._pid = MosquittoBroker(default_broker_dir()).running_pid()
        self._start = _cpu_s(self._pid)

    def cpu_pct(self, wall_s: float) -> float | None:
        end = _cpu_s(self._pid)
        if self._start is None or end is None:
            return None
        return 100.0 * (end - self._start) / max(wall_s, 1e-9)


def check_broker(columns: Columns) -> BrokerUse | None:
    """Before a supervised run: when a column sends its signals over MQTT the broker must answer, or the
    run stops now with one line instead of a crashed platform later."""
    if not uses_broker(columns):
        return None
    check_reachable()
    return BrokerUse()
