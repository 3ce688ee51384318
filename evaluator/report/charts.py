"""PNG charts of a run: latency CDF, RSS and CPU over time, equity curves, the PnL attribution of each
column against the baseline, the wall-clock stages. Each column in the colour its run recorded.
Deterministic output."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from evaluator.analysis.metrics.stages import stage_names  # noqa: E402
from evaluator.analysis.pipeline import Analysis  # noqa: E402
from evaluator.report.costs import ATTRIBUTION_CHART, attribution_lines  # noqa: E402
from evaluator.report.figures import STAGES_CHART  # noqa: E402
from shared_signals.config import NANOS_PER_HOUR, NANOS_PER_MINUTE  # noqa: E402

CHART_DIR = "charts"
DPI = 100
SIZE = (8, 4.5)
PNG_METADATA = {"Software": None}
TRANSPORT_CHART = "transport_latency_cdf.png"
VARIANT_STYLES = ("-", "--", "-.", ":")
"""Line styles of a platform's columns in turn: a variant shares its platform's colour."""


def column_styles(analysis: Analysis) -> dict[str, dict]:
    """Each column's colour (its platform's) and line style (its place among that platform's columns)."""
    seen: dict[str, int] = {}
    styles = {}
    for record in analysis.run.record.columns:
        k = seen.get(record.platform, 0)
        seen[record.platform] = k + 1
        styles[record.name] = {"color": record.colour, "linestyle": VARIANT_STYLES[k % len(VARIANT_STYLES)]}
    return styles


def plot_cdf(ax: plt.Axes, values: np.ndarray, **style) -> int:
    """Empirical CDF of the positive ``values`` as a step line; returns how many were drawn."""
    values = np.sort(values[values > 0])
    if values.size:
        ax.step(values, np.arange(1, values.size + 1) / values.size, where="post", **style)
    return int(values.size)


def legend_or_no_data(ax: plt.Axes, **options) -> None:
    if ax.get_legend_handles_labels()[0]:
        ax.legend(**options)
    else:
        ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center", color="grey")


def save_figure(fig: plt.Figure, path: Path) -> Path:
    """PNG without a software stamp, so the same data gives the same bytes."""
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, metadata=PNG_METADATA)
    plt.close(fig)
    return path


def latency_cdf(analysis: Analysis, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=SIZE)
    styles = column_styles(analysis)
    for name, m in analysis.figures.columns.items():
        values = m.latencies["to_order_ms"].dropna().to_numpy(dtype=float)
        plot_cdf(ax, values, label=f"{name} (n={int((values > 0).sum())})", **styles[name])
    ax.set_xscale("log")
    ax.set_xlabel("signal → order submitted (ms, log scale)")
    ax.set_ylabel("share of signals")
    ax.set_title("Latency CDF")
    ax.grid(True, which="both", alpha=0.3)
    legend_or_no_data(ax, loc="lower right")
    return save_figure(fig, path)


def resources_over_time(analysis: Analysis, path: Path) -> Path:
    fig, (rss_ax, cpu_ax) = plt.subplots(2, 1, figsize=(SIZE[0], SIZE[1] * 1.4), sharex=True)
    styles = column_styles(analysis)
    for name, run_column in analysis.run.columns.items():
        samples = run_column.resources
        if samples.empty:
            continue
        minutes = (samples["wall_ns"] - samples["wall_ns"].iloc[0]) / NANOS_PER_MINUTE
        rss_ax.plot(minutes, samples["rss_mb"], label=name, **styles[name])
        slope = analysis.figures.columns[name].memory.per_wall_hour.slope
        if len(samples) > 2 and np.isfinite(slope):
            fit = np.polyfit(minutes.to_numpy(dtype=float), samples["rss_mb"].to_numpy(dtype=float), 1)
            rss_ax.plot(minutes, np.polyval(fit, minutes), ":", color=styles[name]["color"], alpha=0.6,
                        label=f"{name} fit {slope:+.1f} MB per wall hour")
        cpu_ax.plot(minutes, samples["cpu_pct"], label=name, **styles[name])
    rss_ax.set_ylabel("RSS (MB)")
    rss_ax.set_title("Memory and CPU of each column's process tree")
    cpu_ax.set_ylabel("CPU (% of one core)")
    cpu_ax.set_xlabel("wall time since start (min)")
    for ax in (rss_ax, cpu_ax):
        ax.grid(True, alpha=0.3)
        legend_or_no_data(ax, loc="upper left")
    return save_figure(fig, path)


MAX_PLOTTED_POINTS = 4_000
"""Points drawn per curve: a chart a few hundred pixels wide shows no more, and a three-year curve on
the one-minute mark grid (1.6 million points) takes seconds to draw."""


def thinned(curve: pd.DataFrame) -> pd.DataFrame:
    """Every k-th point (and the last), at most ``MAX_PLOTTED_POINTS``: for drawing only."""
    step = -(-len(curve) // MAX_PLOTTED_POINTS)
    return curve if step <= 1 else pd.concat([curve.iloc[::step], curve.iloc[[-1]]])


def equity_curves(analysis: Analysis, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=SIZE)
    styles = column_styles(analysis)
    start = None
    for name, m in analysis.figures.columns.items():
        reference_style = {**styles[name], "alpha": 0.5, "linewidth": 0.8}
        for label, curve, style in ((name, m.trading.equity, styles[name]),
                                    (f"reference ({name} venue model)", m.reference_trading.equity, reference_style)):
            if curve.empty:
                continue
            start = curve["ts_ns"].iloc[0] if start is None else start
            curve = thinned(curve)
            hours = (curve["ts_ns"] - start) / NANOS_PER_HOUR
            ax.plot(hours, curve["equity"], label=label, **style)
    ax.set_xlabel("market time (h)")
    ax.set_ylabel("equity (USDT)")
    ax.set_title("Equity curves: columns and the reference replay of the shared decision")
    ax.grid(True, alpha=0.3)
    legend_or_no_data(ax, loc="best", fontsize="small")
    return save_figure(fig, path)


def attribution_bars(analysis: Analysis, path: Path) -> Path:
    """One row per column against the baseline: the parts of the PnL difference as bars (which part
    moves it, and which way), and the holding part accumulated over market time (when holding
    different positions cost or paid)."""
    found = [p.attribution for p in analysis.pairs if p.attribution is not None]
    rows = max(1, len(found))
    fig, axes = plt.subplots(rows, 2, figsize=(SIZE[0] * 1.6, SIZE[1] * rows), squeeze=False)
    for (bars, path_ax), attribution in zip(axes, found or [None], strict=True):
        if attribution is None:
            bars.set_title("no attribution (needs two columns and mark prices)")
            path_ax.set_axis_off()
            continue
        lines = attribution_lines(attribution)
        labels, values = [label for label, _ in lines], [usdt for _, usdt in lines]
        bars.barh(range(len(values)), values, color=["#2ca02c" if v >= 0 else "#d62728" for v in values])
        bars.set_yticks(range(len(values)), labels, fontsize="small")
        bars.axvline(0.0, color="black", linewidth=0.8)
        bars.invert_yaxis()
        bars.set_xlabel("USDT")
        bars.set_title(f"{attribution.first} − {attribution.second}: {attribution.difference:,.2f} USDT by part")
        bars.grid(True, axis="x", alpha=0.3)
        holding = thinned(attribution.holding)
        hours = (holding["ts_ns"] - holding["ts_ns"].iloc[0]) / NANOS_PER_HOUR if len(holding) else holding["ts_ns"]
        path_ax.plot(hours, holding["usdt"], color="black", linewidth=1.0)
        path_ax.axhline(0.0, color="grey", linewidth=0.8)
        path_ax.set_xlabel("market time (h)")
        path_ax.set_ylabel("USDT")
        path_ax.set_title("holding part, accumulated over time")
        path_ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return save_figure(fig, path)


def stage_bars(analysis: Analysis, path: Path) -> Path:
    """One bar per column, its p50 stages stacked: where a signal's wall time goes."""
    fig, ax = plt.subplots(figsize=SIZE)
    columns = analysis.figures.columns
    names = list(columns)
    order = stage_names([m.stages for m in columns.values()])
    found = {n: columns[n].stages.by_name for n in names}
    palette = plt.get_cmap("tab10")
    left = np.zeros(len(names))
    for i, stage in enumerate(order):
        widths = np.array([found[n][stage].p50_ms if stage in found[n] else 0.0 for n in names])
        ax.barh(range(len(names)), widths, left=left, label=stage, color=palette(i % 10))
        left += widths
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("p50 wall time per stage (ms, stacked)")
    ax.set_title("Where the time goes, from the provider's hand-off to the fill")
    ax.grid(True, axis="x", alpha=0.3)
    legend_or_no_data(ax, loc="best", fontsize="small")
    fig.tight_layout()
    return save_figure(fig, path)


def transport_chart(analysis: Analysis, path: Path) -> Path | None:
    """Every provider-fed column's CDFs in one chart: published → received (solid) and → order submitted
    (dashed); None when no column took its signals from a provider."""
    used = {n: m.transport for n, m in analysis.figures.columns.items() if m.transport is not None}
    if not used:
        return None
    palette = plt.get_cmap("tab10")  # columns of one platform share its colour elsewhere; here each needs its own
    fig, ax = plt.subplots(figsize=SIZE)
    for i, (name, transport) in enumerate(used.items()):
        for column, style, label in (("to_received_ms", "-", "published → received"), ("to_order_ms", "--", "published → order")):
            values = transport.latencies[column].dropna().to_numpy(dtype=float)
            plot_cdf(ax, values, linestyle=style, color=palette(i % 10),
                     label=f"{name} ({transport.name}): {label} (n={int((values > 0).sum())})")
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms, log scale)")
    ax.set_ylabel("share of signals")
    ax.set_title("Signal transport: provider → strategy → order")
    ax.grid(True, which="both", alpha=0.3)
    legend_or_no_data(ax, loc="center", fontsize="small")
    return save_figure(fig, path)


def write_charts(analysis: Analysis, report_dir: Path) -> dict[str, Path]:
    folder = report_dir / CHART_DIR
    folder.mkdir(parents=True, exist_ok=True)
    charts = {
        "latency_cdf": latency_cdf(analysis, folder / "latency_cdf.png"),
        "resources": resources_over_time(analysis, folder / "resources.png"),
        "equity": equity_curves(analysis, folder / "equity.png"),
        "attribution": attribution_bars(analysis, folder / ATTRIBUTION_CHART),
        "stages": stage_bars(analysis, folder / STAGES_CHART),
    }
    transported = transport_chart(analysis, folder / TRANSPORT_CHART)
    return charts if transported is None else {**charts, "transport": transported}
