"""The signal transport in the report: a section when a run used MQTT, and the file-vs-MQTT comparison
(``poc-eval compare-transports``) with one chart of both latency CDFs."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt

from evaluator.analysis.evaluation import Evaluation
from evaluator.analysis.metrics.transport import TransportFigures
from shared_signals.contract.spec import MQTT
from evaluator.report.charts import legend_or_no_data, plot_cdf, save_figure
from evaluator.report.figures import fmt, table
from shared_signals.config import NANOS_PER_MS

TRANSPORT_CHART = "transport_latency_cdf.png"
COLORS = {"file": "#2ca02c", "mqtt": "#9467bd"}
CHART_SIZE = (8, 4.5)
ONE_TICK_SLACK = 1.05
"""Received → submitted counts as "within one tick" up to the tick plus 5% (scheduling jitter)."""


def _stats(label: str, stats) -> list[list[str]]:
    return [[f"{label} {q} (ms)", fmt(getattr(stats, f"{q}_ms"))] for q in ("p50", "p99", "max")]


def settings_line(figures: TransportFigures) -> str:
    s = figures.settings
    if figures.name != MQTT:
        return "the file `latest_signal.json`, written atomically by the provider, read by the strategy on every tick"
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


def transport_rows(figures: TransportFigures, tick_ms: float | None) -> list[list[str]]:
    rows = [
        ["signals published", fmt(figures.published)], ["received", fmt(figures.received)], ["lost", fmt(figures.lost)],
        ["duplicate deliveries", fmt(figures.duplicates)],
        ["published while the broker was away (delivered)", f"{figures.held} ({figures.held_received})"],
        *_stats("published → received", figures.to_received), *_stats("received → order submitted", figures.received_to_order),
        *_stats("published → order submitted", figures.to_order),
    ]
    if tick_ms:
        within = within_one_tick(figures, tick_ms)
        rows.append(["received → submitted within one tick", "n/a" if within is None else ("yes" if within else "no")])
    return rows


def within_one_tick(figures: TransportFigures, tick_ms: float) -> bool | None:
    worst = figures.received_to_order.max_ms
    return None if math.isnan(worst) else worst <= tick_ms * ONE_TICK_SLACK


def _tick_ms(evaluation: Evaluation) -> float | None:
    spec = evaluation.run.spec
    return spec.tick_size_ns / NANOS_PER_MS if spec.mode == "live" else None


def transport_section(evaluation: Evaluation) -> str:
    """``## Signal transport`` for a run in which a platform received its signals over MQTT; else ''."""
    used = {name: m.transport for name, m in evaluation.platforms.items() if m.transport is not None and m.transport.name == MQTT}
    if not used:
        return ""
    parts = ["## Signal transport"]
    tick_ms = _tick_ms(evaluation)
    for name, figures in used.items():
        parts.append(f"**{name}** received its signals over {settings_line(figures)}.")
        parts.append(table(["figure", "value"], transport_rows(figures, tick_ms)))
        parts.append(outcome_line(figures))
    parts.append(
        "Received = the MQTT message's arrival in the strategy process (journal `message_received`); lost = published "
        "(`signal_published`) and never received; a duplicate is a second arrival of a signal already received."
    )
    return "\n\n".join(parts)


# ---- the comparison ------------------------------------------------------------------------------


def comparison_chart(runs: dict[str, Evaluation], path: Path) -> Path:
    """Both transports' CDFs in one chart: published → received (solid) and → order submitted (dashed)."""
    fig, ax = plt.subplots(figsize=CHART_SIZE)
    for name, evaluation in runs.items():
        metrics = evaluation.transported()
        if metrics is None:
            continue
        for column, style, label in (("to_received_ms", "-", "published → received"), ("to_order_ms", "--", "published → order")):
            values = metrics.transport.latencies[column].dropna().to_numpy(dtype=float)
            plot_cdf(ax, values, linestyle=style, color=COLORS.get(name), label=f"{name}: {label} (n={int((values > 0).sum())})")
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms, log scale)")
    ax.set_ylabel("share of signals")
    ax.set_title("Signal transport: file vs MQTT, same inputs, same invocation")
    ax.grid(True, which="both", alpha=0.3)
    legend_or_no_data(ax, loc="center", fontsize="small")
    return save_figure(fig, path)


def comparison_markdown(runs: dict[str, Evaluation], extra: dict[str, dict], chart: str) -> str:
    """The side-by-side table of the transports; ``extra[name]`` adds measured rows (e.g. broker CPU)."""
    names = list(runs)
    metrics = {name: runs[name].transported() for name in names}
    first = runs[names[0]].run.spec

    def row(label: str, get) -> list[str]:
        return [label, *(get(metrics[n], n) if metrics[n] is not None else "n/a" for n in names)]

    rows = [
        row("signals published", lambda m, n: fmt(m.transport.published)),
        row("received", lambda m, n: fmt(m.transport.received)),
        row("lost", lambda m, n: fmt(m.transport.lost)),
        row("duplicate deliveries", lambda m, n: fmt(m.transport.duplicates)),
        *[row(f"published → received {q} (ms)", lambda m, n, q=q: fmt(getattr(m.transport.to_received, f"{q}_ms"))) for q in ("p50", "p99", "max")],
        *[row(f"received → order {q} (ms)", lambda m, n, q=q: fmt(getattr(m.transport.received_to_order, f"{q}_ms"))) for q in ("p50", "p99", "max")],
        *[row(f"published → order {q} (ms)", lambda m, n, q=q: fmt(getattr(m.transport.to_order, f"{q}_ms"))) for q in ("p50", "p99")],
        row("fills", lambda m, n: fmt(m.trading.trades)),
        row("Hummingbot + provider mean CPU (% of one core)", lambda m, n: fmt(m.resources.mean_cpu_pct)),
        row("Hummingbot + provider peak CPU (% of one core)", lambda m, n: fmt(m.resources.peak_cpu_pct)),
        row("Hummingbot + provider peak RSS (MB)", lambda m, n: fmt(m.resources.peak_rss_mb)),
        row("broker mean CPU (% of one core)", lambda m, n: fmt(extra.get(n, {}).get("broker_cpu_pct"))),
    ]
    tick = first.tick_size_ns / NANOS_PER_MS
    lines = [
        "# Signal transport: file vs MQTT",
        f"Hummingbot's provider → strategy link, both transports run one after the other in one invocation on the same "
        f"inputs ({first.mode} mode, speed {first.speed or 'max'}, tick {fmt(tick, 0)} ms). Each run's "
        "full report: " + ", ".join(f"[{n}]({n}/report.md)" for n in names) + ".",
        "\n".join(f"- **{n}**: {settings_line(metrics[n].transport)}." for n in names if metrics[n] is not None),
        table(["figure", *names], rows),
        f"![latency CDFs of both transports]({chart})",
        "\n".join(f"- {n}: {outcome_line(metrics[n].transport)}" for n in names if metrics[n] is not None),
        "Received: the file is read on the strategy's tick, so a signal waits for the next tick before it is received; "
        "an MQTT message is received the moment it arrives (its own client thread), and waits for the next tick only to "
        "be acted on. Published → order is what a trader feels; the broker's CPU is outside the Hummingbot process tree "
        "and is listed on its own.",
    ]
    return "\n\n".join(line for line in lines if line) + "\n"
