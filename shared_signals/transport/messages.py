"""What a strategy's tick takes from its transport: payloads (:class:`Delivery`) and, for MQTT,
connection changes (:class:`Notice`). A strategy validates and journals them the same way whichever
transport brought them; only the source differs."""

from __future__ import annotations

from typing import NamedTuple

from shared_signals.contract.codes import NoticeKind

NOTHING: tuple = ()


class Delivery(NamedTuple):
    data: bytes
    arrived_ns: int | None
    """Wall time the transport handed the bytes to this process (MQTT: journaled as ``message_received``);
    None for a file, which the tick reads itself (its ``signal_received`` is the arrival)."""
    note: str | None = None
    """How it came, for the journal: e.g. ``mqtt qos 1``."""


class Notice(NamedTuple):
    """A change of the transport's connection (lost, reconnected, a held message resent): journaled as
    ``transport`` by the process whose client saw it, with ``code`` the fact and ``text`` for people."""

    wall_ns: int
    code: NoticeKind
    text: str
    signal_id: str | None = None
