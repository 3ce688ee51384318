"""Scalability with several instruments: each column runs one process per instrument, all at once
under one supervisor, on deterministic demo data for each instrument.

This measures the process-per-instrument deployment (one bot per pair). Hosting every instrument in
one platform process is not what it measures, and the report says so.
Each instrument's run folder is a complete run with its own report; the combined figures add each
column's processes up.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import msgspec
import pandas as pd

from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.comparison import Columns
from evaluator.harness.run_broker import broker_for
from evaluator.harness.complexity import platform_complexity
from evaluator.harness.preflight import preflight
from evaluator.harness.reference import reference_for
from evaluator.harness.run_both import Supervised, measured, run_record, supervise
from evaluator.harness.run_inputs import read_run_inputs
from evaluator.report.build import Report, build_report
from evaluator.report.figures import table
from evaluator.report.markdown import STOPPED_EARLY_NOTE
from evaluator.report.numbers import fmt, percent
from shared_signals.contract.layout import WRITTEN_BY_RUN
from shared_signals.contract.record import write_record
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
class ColumnScale:
    column: str
    instruments: int
    processes_completed: int
    quotes: int
    wall_s: float
    """Longest wall time among the column's processes."""
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


def combined_resources(reports: list[Report], column: str) -> tuple[float, float]:
    """Peak RSS and mean CPU of a column's processes added up per one-second bucket."""
    frames = []
    for report in reports:
        samples = report.analysis.run.columns[column].resources
        if len(samples):
            frames.append(samples.assign(bucket=samples["wall_ns"] // SAMPLE_BUCKET_NS).groupby("bucket")[["rss_mb", "cpu_pct"]].mean())
    if not frames:
        return float("nan"), float("nan")
    total = pd.concat(frames).groupby(level=0).sum()
    return float(total["rss_mb"].max()), float(total["cpu_pct"].mean())


def column_scale(reports: list[Report], column: str) -> ColumnScale:
    metrics = [r.analysis.figures.columns[column] for r in reports]
    quotes = sum(m.scalability.quotes for m in metrics)
    wall = max((m.scalability.wall_s for m in metrics), default=float("nan"))
    rss, cpu = combined_resources(reports, column)
    return ColumnScale(
        column=column,
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


def _for_instrument(columns: Columns, symbol: str, start_price: float) -> Columns:
    return replace(columns, specs=tuple(for_instrument(s, symbol, start_price) for s in columns.specs))


def run_scale(
    instruments: list[str], columns: Columns, demo: DemoParams, config: SupervisorConfig = SupervisorConfig(),
) -> tuple[Path, dict[str, ColumnScale], dict[str, PlatformExit]]:
    """Runs every (column, instrument) pair at once on ``demo``'s data for each instrument and writes
    the combined report into the columns' run folder; returns it, the figures per column and how each
    process ended."""
    symbols = [canonical_symbol(i) for i in instruments]
    unknown = [s for s in symbols if s not in DEMO_START_PRICES]
    if unknown:
        raise InputError(f"no demo data for {', '.join(unknown)}: choose from {', '.join(DEMO_START_PRICES)}")
    twice = sorted({s for s in symbols if symbols.count(s) > 1})
    if twice:
        raise InputError(f"--instruments names {', '.join(twice)} twice: two processes would write one journal")
    for symbol in symbols:
        preflight(_for_instrument(columns, symbol, DEMO_START_PRICES[symbol]).specs)
    root = columns.baseline_spec.run_dir
    runs = []
    records = {}
    for k, symbol in enumerate(symbols):
        price = DEMO_START_PRICES[symbol]
        data = replace(demo, seed=demo.seed + k, instrument=symbol, start_price=price,
                       mean_size=demo.mean_size * RISK_REFERENCE_PRICE / price)
        files = write_demo(root / "inputs" / symbol, data)
        plan = _for_instrument(columns, symbol, price).with_shared(quotes=files.quotes, signals=files.signals, run_dir=root / symbol)
        plan.baseline_spec.run_dir.mkdir(parents=True, exist_ok=True)
        checked = read_run_inputs(plan.baseline_spec)
        span = checked.quotes
        records[symbol] = run_record(plan, checked)
        write_record(root / symbol, records[symbol])
        runs += list(plan.specs)
    with broker_for(columns) as broker:
        served = runs if broker is None else [broker.serve(r) for r in runs]
        supervised = supervise(served, config, span, None, None if broker is None else broker.use)  # every instrument's demo covers the same hours
    complexity = {p: platform_complexity(p) for p in {s.platform for s in columns.specs}}
    for symbol in symbols:
        write_record(root / symbol, measured(records[symbol], supervised, complexity))
        reference_for(RunFolder.load(root / symbol), WRITTEN_BY_RUN)
    reports = [build_report(root / symbol) for symbol in symbols]
    scales = {c: column_scale(reports, c) for c in columns.names}
    document = {"instruments": symbols, "mode": columns.baseline_spec.mode, "harness": msgspec.to_builtins(supervised.harness),
                "columns": {c: asdict(s) for c, s in scales.items()}}
    (root / SCALE_METRICS).write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    (root / SCALE_REPORT).write_text(render_scale(symbols, columns.baseline_spec, scales, supervised), encoding="utf-8")
    return root, scales, supervised.exits


def render_scale(symbols: list[str], template: RunSpec, scales: dict[str, ColumnScale], supervised: Supervised) -> str:
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
        f"Mode {template.mode}; every column ran one process per instrument, all {len(symbols) * len(names)} at once "
        "on this machine, each on its own deterministic demo data. This measures the process-per-instrument "
        "deployment; several instruments inside one platform process were not measured.",
        table(["figure", *names], [[label, *(get(scales[n]) for n in names)] for label, get in rows]),
        f"The harness supervised them for {fmt(supervised.harness.wall_s)} s, using "
        f"{fmt(supervised.harness.supervisor_cpu_pct)}% of one core (resource sampling {fmt(supervised.harness.sampling_cpu_pct, 3)}%).",
        f"Per-instrument reports:\n{links}",
    ]
    return "\n\n".join(paragraphs) + "\n"
