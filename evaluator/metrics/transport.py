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

from evaluator.metrics.latency import LatencyStats, summarize
from evaluator.run_folder import PlatformRecord
from shared_signals.config import NANOS_PER_MS
from poc_hummingbot.signal_source import CONNECTION_LOST, DROPPED, HELD, PROVIDER_ROLE, RECONNECTED, RESENT, STRATEGY_ROLE
from poc_hummingbot.transport import FILE, MQTT

ROLES = (PROVIDER_ROLE, STRATEGY_ROLE)


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


def transport_name(record: PlatformRecord) -> str:
    section = (record.info or {}).get("transport")
    return str(section.get("name", FILE)) if isinstance(section, dict) else FILE


def _first_wall(events: pd.DataFrame, kinds: tuple[str, ...]) -> pd.Series:
    rows = events[events["kind"].isin(kinds) & events["signal_id"].notna()]
    return rows.groupby("signal_id")["wall_ns"].min()


def _notices(notices: pd.Series, role: str, what: str) -> pd.Series:
    return notices[notices.str.startswith(f"{role}: {what}")]


def _reconnect_seconds(texts: pd.Series, role: str) -> float:
    seconds = texts.str.removeprefix(f"{role}: {RECONNECTED} ").str.removesuffix(" s")
    values = pd.to_numeric(seconds, errors="coerce").dropna()
    return float(values.max()) if len(values) else 0.0


def transport_figures(record: PlatformRecord) -> TransportFigures | None:
    """The figures of a platform whose signals came from a provider (Hummingbot); None otherwise."""
    events = record.events
    published_rows = events[(events["kind"] == "signal_published") & events["signal_id"].notna()]
    if published_rows.empty:
        return None
    name = transport_name(record)
    arrivals = ("message_received",) if name == MQTT else ("signal_received", "signal_skipped")
    published = published_rows.groupby("signal_id")["wall_ns"].min()
    received = _first_wall(events, arrivals)
    submitted = _first_wall(events, ("order_submitted",))
    frame = pd.DataFrame({"published_ns": published, "received_ns": received, "submitted_ns": submitted})
    frame = frame[frame["published_ns"].notna()].sort_values("published_ns")
    frame["to_received_ms"] = (frame["received_ns"] - frame["published_ns"]) / NANOS_PER_MS
    frame["received_to_order_ms"] = (frame["submitted_ns"] - frame["received_ns"]) / NANOS_PER_MS
    frame["to_order_ms"] = (frame["submitted_ns"] - frame["published_ns"]) / NANOS_PER_MS

    arrival_counts = events[(events["kind"] == "message_received") & events["signal_id"].notna()].groupby("signal_id").size()
    reasons = published_rows.groupby("signal_id")["reason"].first().fillna("").astype(str)
    held_ids = reasons[reasons.str.contains(HELD) | reasons.str.endswith(DROPPED)].index
    lost_ids = tuple(frame.index[frame["received_ns"].isna()])
    notices = events.loc[events["kind"] == "transport", "reason"].dropna().astype(str)
    return TransportFigures(
        name=name,
        settings=(record.info or {}).get("transport") or {"name": name},
        published=len(frame),
        received=int(frame["received_ns"].notna().sum()),
        lost=len(lost_ids),
        duplicates=int((arrival_counts - 1).clip(lower=0).sum()),
        held=len(held_ids),
        held_received=int(frame.loc[frame.index.intersection(held_ids), "received_ns"].notna().sum()),
        resent=int(notices.str.endswith(RESENT).sum()),
        outages={role: len(_notices(notices, role, CONNECTION_LOST)) for role in ROLES},
        reconnect_s={role: _reconnect_seconds(_notices(notices, role, RECONNECTED), role) for role in ROLES},
        to_received=summarize(frame["to_received_ms"]),
        received_to_order=summarize(frame["received_to_order_ms"]),
        to_order=summarize(frame["to_order_ms"]),
        latencies=frame,
        lost_ids=lost_ids,
    )
