"""What the strategy's tick takes from its transport: payloads (:class:`Delivery`) and, for MQTT,
connection changes (:class:`Notice`). The strategy validates and journals them the same way
whichever transport brought them; only the source differs.
"""

from __future__ import annotations

from typing import NamedTuple

from poc_hummingbot.signal_file import SignalFileReader

NOTHING: tuple = ()
CONNECTION_LOST = "connection lost"
RECONNECTED = "reconnected after"
RESENT = "resent after reconnect"
HELD = "held for resend"
DROPPED = "dropped"
"""The words of the ``transport`` notices and of the provider's ``signal_published`` reasons, which the
evaluator counts: each notice reads ``<role>: <what>``."""
PROVIDER_ROLE = "provider"
STRATEGY_ROLE = "strategy"


class Delivery(NamedTuple):
    data: bytes
    arrived_ns: int | None
    """Wall time the transport handed the bytes to this process (MQTT: journaled as ``message_received``);
    None for the file, which the tick reads itself (its ``signal_received`` is the arrival)."""
    note: str | None = None
    """How it came, for the journal: e.g. ``mqtt qos 1``."""


class Notice(NamedTuple):
    """A change of the transport's connection (lost, reconnected, a held message resent): journaled as ``transport``."""

    wall_ns: int
    text: str
    signal_id: str | None = None


class FileSignalSource:
    """``latest_signal.json`` polled on the tick: one delivery per new version of the file."""

    unit = "signal file"

    def __init__(self, reader: SignalFileReader) -> None:
        self._reader = reader

    def take(self) -> tuple[Delivery, ...]:
        raw = self._reader.poll()
        return NOTHING if raw is None else (Delivery(raw, None),)

    def close(self) -> None:
        """Nothing to release: the reader opens and closes the file on each poll."""
