"""The signal transport in the report: for every column whose signals came from a provider (over the
file or MQTT), published → received → order, lost and duplicate messages, side by side, with one
chart of their latency CDFs."""

from __future__ import annotations

import math

from evaluator.analysis.metrics.transport import TransportFigures
from evaluator.analysis.pipeline import Analysis
from evaluator.report.charts import TRANSPORT_CHART
from evaluator.report.figures import table
from evaluator.report.numbers import fmt
from shared_signals.contract.modes import LIVE
from shared_signals.contract.record import ColumnRecord
from shared_signals.transport.kinds import MQTT

BROKER_WORDS = {
    "embedded": "a Mosquitto the run started for itself on {endpoint} (the project's configuration, a fresh password) "
                "and stopped when its platforms had",
    "project": "the project's long-lived Mosquitto on {endpoint} (scripts/mqtt/broker.sh)",
    "given": "the running broker --broker named, {endpoint}",
}
"""Which broker served the MQTT columns, by :class:`~shared_signals.contract.record.BrokerFacts` kind."""
ONE_TICK_SLACK = 1.05
"""Received → submitted counts as "within one tick" up to the tick plus 5% (scheduling jitter)."""


def settings_line(figures: TransportFigures) -> str:
    s = figures.settings
    if figures.name != MQTT:
        return "the signal file, written atomically by the provider, read by the strategy on every tick"
    return (
        f"MQTT on Mosquitto at {s.get('broker', '?')}, topic `{s.get('topic', '?')}`, QoS {s.get('qos')}, "
        f"retain {'on' if s.get('retain') else 'off'}; {s.get('session', '')}"
    )


def outcome_line(figures: TransportFigures) -> str:
    """Lost or delivered, in words: what the report must say after a broker fault."""
    parts = [f"{figures.received} of {figures.published} published signals reached the strategy"]
    parts.append(f"{figures.lost} lost" + (f" ({', '.join(figures.lost_ids[:5])}{'…' if figures.lost > 5 else ''})" if figures.lost else ""))
    parts.append(f"{figures.duplicates} duplicate deliveries (refused by signal_id)")
    if figures.held:
        qos = figures.settings.get("qos")
        fate = "held by the provider and resent after reconnecting" if qos else "dropped (QoS 0)"
        parts.append(
            f"{figures.held} published while the broker was unreachable: {fate}; "
            f"{figures.held_received} of them delivered, {figures.held - figures.held_received} lost"
        )
    outages = {role: n for role, n in figures.outages.items() if n}
    if outages:
        parts.append("connection lost " + ", ".join(
            f"{n}x by the {role} (longest reconnect {fmt(figures.reconnect_s[role])} s)" for role, n in outages.items()
        ))
    return "; ".join(parts) + "."


def within_one_tick(figures: TransportFigures, tick_ms: float) -> bool | None:
    worst = figures.received_to_order.max_ms
    return None if math.isnan(worst) else worst <= tick_ms * ONE_TICK_SLACK


def _tick_row(used: dict[str, TransportFigures], records: dict[str, ColumnRecord]) -> list[str]:
    cells = []
    for name, figures in used.items():
        tick_s = records[name].tick_s
        within = None if tick_s is None else within_one_tick(figures, tick_s * 1000)
        cells.append("n/a" if within is None else ("yes" if within else "no"))
    return ["received → submitted within one tick", *cells]


def transport_section(analysis: Analysis) -> str:
    """``## Signal transport`` for a run in which a column took its signals from a provider; else ''."""
    used = {n: m.transport for n, m in analysis.figures.columns.items() if m.transport is not None}
    if not used:
        return ""
    records = {c.name: c for c in analysis.run.record.columns}

    def row(label: str, get) -> list[str]:
        return [label, *(get(f) for f in used.values())]

    stats = [("published → received", "to_received"), ("received → order submitted", "received_to_order"),
             ("published → order submitted", "to_order")]
    rows = [
        row("transport", lambda f: f.name), row("signals published", lambda f: fmt(f.published)),
        row("received", lambda f: fmt(f.received)), row("lost", lambda f: fmt(f.lost)),
        row("duplicate deliveries", lambda f: fmt(f.duplicates)),
        row("published while the broker was away (delivered)", lambda f: f"{f.held} ({f.held_received})"),
        *[row(f"{label} {q} (ms)", lambda f, a=attr, q=q: fmt(getattr(getattr(f, a), f"{q}_ms")))
          for label, attr in stats for q in ("p50", "p99", "max")],
    ]
    if analysis.run.spec.mode == LIVE:
        rows.append(_tick_row(used, records))
    harness = analysis.run.record.harness
    parts = [
        "## Signal transport",
        "How each provider-fed column's signals reached its strategy:\n"
        + "\n".join(f"- **{n}**: {settings_line(f)}." for n, f in used.items()),
        table(["figure", *used], rows),
        f"![latency CDFs of the transports](charts/{TRANSPORT_CHART})",
        "\n".join(f"- {n}: {outcome_line(f)}" for n, f in used.items()),
        "Received = for MQTT the message's arrival in the strategy process (journal `message_received`, its own client "
        "thread), for the file the tick that read it; lost = published (`signal_published`) and never received; a "
        "duplicate is a second arrival of a signal already received. Published → order is what a trader feels.",
    ]
    broker = analysis.run.record.broker
    if broker is not None:
        parts.append(f"The broker: {BROKER_WORDS[broker.kind].format(endpoint=broker.endpoint)}.")
    if harness is not None and harness.broker_cpu_pct is not None:
        parts.append(f"The MQTT broker, outside every column's process tree, used {fmt(harness.broker_cpu_pct)}% of one "
                     "core over the run.")
    return "\n\n".join(parts)
