"""How the signals travelled from Hummingbot's provider to its strategy: per signal, published →
received → order submitted, and the messages lost or duplicated on the way.

"Received" is when the payload reached the strategy process: for MQTT the arrival of the message
(``message_received``, stamped by the client thread, before any tick); for the file the tick that
read the new file (its ``signal_received`` or ``signal_skipped``: the file is read only on ticks). A
signal is *lost* when it was published and never received; a *duplicate* is a second arrival of a
signal already received (QoS 1 redelivery). A signal published while the broker was away is
*held* (QoS 1: resent after reconnecting) or *dropped* (QoS 0); whether it then arrived is counted
from the strategy's journal, not from the provider's hopes.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import pandas as pd

from evaluator.analysis.metrics.latency import LatencyStats, summarize
from evaluator.analysis.run_folder import ColumnRun
from shared_signals.config import NANOS_PER_MS, NANOS_PER_SECOND
from shared_signals.contract.codes import UNDELIVERED, Component, EventKind, NoticeKind
from shared_signals.transport.kinds import FILE, MQTT

ROLES = tuple(Component)


@dataclass(frozen=True)
class TransportFigures:
    name: str
    """``file`` or ``mqtt``."""
    settings: dict
    """``run.json``'s transport section (QoS, retain, topic, broker; never credentials)."""
    published: int
    received: int
    lost: int
    duplicates: int
    deliveries: dict[str, int]
    """Publications per delivery outcome (written, acknowledged, sent, held, dropped)."""
    held: int
    """Published while the broker was unreachable: held for resend (QoS 1) or dropped (QoS 0)."""
    held_received: int
    """Of those, how many reached the strategy after all."""
    resent: int
    outages: dict[str, int]
    """Connection losses per role (provider, strategy)."""
    reconnect_s: dict[str, float]
    """Longest time to reconnect per role."""
    to_received: LatencyStats
    received_to_order: LatencyStats
    to_order: LatencyStats
    latencies: pd.DataFrame
    """Per signal: published_ns, received_ns, submitted_ns and the three gaps in ms."""
    lost_ids: tuple[str, ...]

    def to_dict(self) -> dict:
        """Plain JSON values (no per-signal table; NaN as None)."""
        def plain(value):
            if isinstance(value, LatencyStats):
                return {k: plain(v) for k, v in asdict(value).items()}
            if isinstance(value, float) and math.isnan(value):
                return None
            return list(value) if isinstance(value, tuple) else value

        return {item.name: plain(getattr(self, item.name)) for item in fields(self) if item.name != "latencies"}


def transport_name(record: ColumnRun) -> str:
    return str(record.transport.get("name", FILE))


def _first_wall(events: pd.DataFrame, kinds: tuple[str, ...]) -> pd.Series:
    rows = events[events["kind"].isin(kinds) & events["signal_id"].notna()]
    return rows.groupby("signal_id")["wall_ns"].min()


def _longest_reconnect_s(notices: pd.DataFrame) -> float:
    """Longest time from a ``connection_lost`` to the ``reconnected`` that followed it, in one process."""
    longest = 0.0
    lost_ns = None
    for row in notices.sort_values("wall_ns").itertuples():
        if row.code == NoticeKind.CONNECTION_LOST and lost_ns is None:
            lost_ns = row.wall_ns
        elif row.code == NoticeKind.RECONNECTED and lost_ns is not None:
            longest = max(longest, (row.wall_ns - lost_ns) / NANOS_PER_SECOND)
            lost_ns = None
    return longest


def transport_figures(record: ColumnRun) -> TransportFigures | None:
    """The figures of a column whose signals came from a provider; None otherwise."""
    events = record.events
    published_rows = events[(events["kind"] == EventKind.SIGNAL_PUBLISHED) & events["signal_id"].notna()]
    if published_rows.empty:
        return None
    name = transport_name(record)
    arrivals = (EventKind.MESSAGE_RECEIVED,) if name == MQTT else (EventKind.SIGNAL_RECEIVED, EventKind.SIGNAL_SKIPPED)
    published = published_rows.groupby("signal_id")["wall_ns"].min()
    received = _first_wall(events, arrivals)
    submitted = _first_wall(events, (EventKind.ORDER_SUBMITTED,))
    frame = pd.DataFrame({"published_ns": published, "received_ns": received, "submitted_ns": submitted})
    frame = frame[frame["published_ns"].notna()].sort_values("published_ns")
    frame["to_received_ms"] = (frame["received_ns"] - frame["published_ns"]) / NANOS_PER_MS
    frame["received_to_order_ms"] = (frame["submitted_ns"] - frame["received_ns"]) / NANOS_PER_MS
    frame["to_order_ms"] = (frame["submitted_ns"] - frame["published_ns"]) / NANOS_PER_MS

    arrival_counts = events[(events["kind"] == EventKind.MESSAGE_RECEIVED) & events["signal_id"].notna()].groupby("signal_id").size()
    deliveries = published_rows.groupby("signal_id")["code"].first()
    held_ids = deliveries[deliveries.isin(UNDELIVERED)].index
    lost_ids = tuple(frame.index[frame["received_ns"].isna()])
    notices = events[events["kind"] == EventKind.TRANSPORT]
    by_role = {role: notices[notices["component"] == role] for role in ROLES}
    return TransportFigures(
        name=name,
        settings=record.transport or {"name": name},
        published=len(frame),
        received=int(frame["received_ns"].notna().sum()),
        lost=len(lost_ids),
        duplicates=int((arrival_counts - 1).clip(lower=0).sum()),
        deliveries={str(k): int(v) for k, v in sorted(deliveries.fillna("unknown").value_counts().items())},
        held=len(held_ids),
        held_received=int(frame.loc[frame.index.intersection(held_ids), "received_ns"].notna().sum()),
        resent=int((notices["code"] == NoticeKind.RESENT).sum()),
        outages={str(role): int((rows["code"] == NoticeKind.CONNECTION_LOST).sum()) for role, rows in by_role.items()},
        reconnect_s={str(role): _longest_reconnect_s(rows) for role, rows in by_role.items()},
        to_received=summarize(frame["to_received_ms"]),
        received_to_order=summarize(frame["received_to_order_ms"]),
        to_order=summarize(frame["to_order_ms"]),
        latencies=frame,
        lost_ids=lost_ids,
    )
