"""Scalability with several instruments: each platform runs one process per instrument, all at
once under one supervisor, on deterministic demo data for each instrument.

This measures the process-per-instrument deployment (one bot per pair, as Hummingbot is usually
run). Hosting every instrument in one Nautilus node is not what it measures, and the report says so.
Each instrument's run folder is a complete run with its own report; the combined figures add the
platform's processes up.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pandas as pd

from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.reference import reference_for
from evaluator.report.build import Report, build_report
from shared_signals.contract.layout import WRITTEN_BY_RUN
from evaluator.report.figures import fmt, percent, table
from evaluator.report.markdown import STOPPED_EARLY_NOTE
from evaluator.harness.preflight import preflight
from evaluator.harness.run_inputs import read_run_inputs
from evaluator.harness.run_both import Supervised, describe_inputs, supervise, write_inputs
from shared_signals.contract.spec import RunSpec
from evaluator.harness.supervisor import PlatformExit, SupervisorConfig
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.demo import DemoParams, write_demo
from shared_signals.errors import InputError
from shared_signals.instruments import canonical_symbol

DEMO_START_PRICES = {"BTCUSDT": 60_000.0, "ETHUSDT": 3_000.0, "SOLUSDT": 150.0, "BNBUSDT": 600.0}
"""Demo instruments and their starting prices."""
RISK_REFERENCE_PRICE = DEMO_START_PRICES["BTCUSDT"]
"""The absolute position cap (1 BTC by default) and the base-currency paper balance (1 BTC, the
inventory a spot short sells) are rescaled by this / the instrument's price, so every instrument has
the same cap and inventory in quote currency."""
SAMPLE_BUCKET_NS = NANOS_PER_SECOND
SCALE_REPORT = "scale_report.md"
SCALE_METRICS = "scale_metrics.json"


@dataclass(frozen=True)
class PlatformScale:
    platform: str
    instruments: int
    processes_completed: int
    quotes: int
    wall_s: float
    """Longest wall time among the platform's processes."""
    combined_quotes_per_s: float
    peak_combined_rss_mb: float
    mean_combined_cpu_pct: float
    orders: int
    min_accuracy_share: float
    """The worst instrument's share of the signals it sent orders for that it filled as decided."""


def for_instrument(template: RunSpec, symbol: str, start_price: float) -> RunSpec:
    """``template`` for one instrument: position cap and base inventory worth what 1 BTC is worth."""
    scale = RISK_REFERENCE_PRICE / start_price
    core = template.core
    core = replace(core, risk=replace(core.risk, max_position_qty=core.risk.max_position_qty * scale))
    return replace(template, instrument=symbol, core=core, starting_base=template.starting_base * scale)


def combined_resources(reports: list[Report], platform: str) -> tuple[float, float]:
    """Peak RSS and mean CPU of a platform's processes added up per one-second bucket."""
    frames = []
    for report in reports:
        samples = report.evaluation.run.platforms[platform].resources
        if len(samples):
            frames.append(samples.assign(bucket=samples["wall_ns"] // SAMPLE_BUCKET_NS).groupby("bucket")[["rss_mb", "cpu_pct"]].mean())
    if not frames:
        return float("nan"), float("nan")
    total = pd.concat(frames).groupby(level=0).sum()
    return float(total["rss_mb"].max()), float(total["cpu_pct"].mean())


def platform_scale(reports: list[Report], platform: str) -> PlatformScale:
    metrics = [r.evaluation.platforms[platform] for r in reports]
    quotes = sum(m.scalability.quotes for m in metrics)
    wall = max((m.scalability.wall_s for m in metrics), default=float("nan"))
    rss, cpu = combined_resources(reports, platform)
    return PlatformScale(
        platform=platform,
        instruments=len(reports),
        processes_completed=sum(m.stability.completed for m in metrics),
        quotes=quotes,
        wall_s=wall,
        combined_quotes_per_s=quotes / wall if wall and wall > 0 else float("nan"),
        peak_combined_rss_mb=rss,
        mean_combined_cpu_pct=cpu,
        orders=sum(m.trading.trades for m in metrics),
        min_accuracy_share=min((m.accuracy.decided_share for m in metrics), default=float("nan")),
    )


def run_scale(
    instruments: list[str], platforms: list[str], template: RunSpec, demo: DemoParams,
    config: SupervisorConfig = SupervisorConfig(),
) -> tuple[Path, dict[str, PlatformScale], dict[str, PlatformExit]]:
    """Runs every (platform, instrument) pair at once on ``demo``'s data for each instrument and writes
    the combined report into ``template.run_dir``; returns it, the figures per platform and how each
    process ended."""
    symbols = [canonical_symbol(i) for i in instruments]
    unknown = [s for s in symbols if s not in DEMO_START_PRICES]
    if unknown:
        raise InputError(f"no demo data for {', '.join(unknown)}: choose from {', '.join(DEMO_START_PRICES)}")
    for symbol in symbols:
        preflight(for_instrument(template, symbol, DEMO_START_PRICES[symbol]), platforms)
    root = template.run_dir
    runs = []
    inputs: dict[str, dict] = {}
    for k, symbol in enumerate(symbols):
        price = DEMO_START_PRICES[symbol]
        data = replace(demo, seed=demo.seed + k, instrument=symbol, start_price=price,
                       mean_size=demo.mean_size * RISK_REFERENCE_PRICE / price)
        files = write_demo(root / "inputs" / symbol, data)
        base = replace(for_instrument(template, symbol, price), quotes=files.quotes, signals=files.signals, run_dir=root / symbol)
        base.run_dir.mkdir(parents=True, exist_ok=True)
        checked = read_run_inputs(base)
        span = checked.quotes
        inputs[symbol] = describe_inputs(base, checked)
        write_inputs(base.run_dir, inputs[symbol])
        runs += [replace(base, platform=p) for p in platforms]
    supervised = supervise(runs, config, span)  # every instrument's demo covers the same hours
    for symbol in symbols:
        write_inputs(root / symbol, {**inputs[symbol], **supervised.facts()})
    for symbol in symbols:
        reference_for(RunFolder.load(root / symbol), WRITTEN_BY_RUN)
    reports = [build_report(root / symbol) for symbol in symbols]
    scales = {p: platform_scale(reports, p) for p in platforms}
    document = {"instruments": symbols, "mode": template.mode, "harness": supervised.facts(),
                "platforms": {p: asdict(s) for p, s in scales.items()}}
    (root / SCALE_METRICS).write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    (root / SCALE_REPORT).write_text(render_scale(symbols, template, scales, supervised), encoding="utf-8")
    return root, scales, supervised.exits


def render_scale(symbols: list[str], template: RunSpec, scales: dict[str, PlatformScale], supervised: Supervised) -> str:
    names = list(scales)
    rows = [
        ("instruments (one process each)", lambda s: fmt(s.instruments)),
        ("processes that completed", lambda s: fmt(s.processes_completed)),
        ("quotes, all instruments", lambda s: fmt(s.quotes)),
        ("wall time, slowest process (s)", lambda s: fmt(s.wall_s)),
        ("combined quotes per second", lambda s: fmt(s.combined_quotes_per_s, 0)),
        ("peak combined RSS (MB)", lambda s: fmt(s.peak_combined_rss_mb)),
        ("mean combined CPU (% of one core)", lambda s: fmt(s.mean_combined_cpu_pct)),
        ("orders, all instruments", lambda s: fmt(s.orders)),
        ("worst instrument: filled as decided", lambda s: percent(s.min_accuracy_share)),
    ]
    links = "\n".join(f"- {s}: [{s}/report.md]({s}/report.md)" for s in symbols)
    paragraphs = [
        f"# Scalability with {len(symbols)} instruments ({', '.join(symbols)})",
        *([STOPPED_EARLY_NOTE] if supervised.interrupted else []),
        f"Mode {template.mode}; every platform ran one process per instrument, all {len(symbols) * len(names)} at once "
        "on this machine, each on its own deterministic demo data. This measures the process-per-instrument "
        "deployment; several instruments inside one Nautilus node or one Hummingbot clock were not measured.",
        table(["figure", *names], [[label, *(get(scales[n]) for n in names)] for label, get in rows]),
        f"The harness supervised them for {fmt(supervised.wall_s)} s, using "
        f"{fmt(supervised.supervisor_cpu_pct)}% of one core (resource sampling {fmt(supervised.sampling_cpu_pct, 3)}%).",
        f"Per-instrument reports:\n{links}",
    ]
    return "\n\n".join(paragraphs) + "\n"
