"""``poc-eval calibrate``'s runs: the same short replay of every column once without a delay and once
per delay at each injection point (venue fill, signal delivery), on demo data with a regular quote
grid, then the comparison of what was measured with what was injected
(:mod:`evaluator.analysis.calibration`). What each column's platform rounds a delay to comes from
its registry entry's clock."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from evaluator.analysis.calibration import (
    DELIVERY_STAGE,
    FILL_STAGE,
    CalibrationRow,
    Quantisation,
    calibration_rows,
    fill_delays_ms,
    receipt_delays_ms,
)
from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.comparison import Columns
from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import PlatformExit, SupervisorConfig
from shared_signals.config import NANOS_PER_MS, NANOS_PER_SECOND
from shared_signals.contract.record import ColumnRecord
from shared_signals.demo import DemoParams, write_demo

CALIBRATION_DEMO = DemoParams(hours=4.0, seed=21)
"""Four hours of 1 s quotes and 5-minute signals: some twenty fills per column and run, a few seconds each."""
CALIBRATION_JSON = "calibration.json"
STAGE_FOLDERS = {FILL_STAGE: "fill-delay", DELIVERY_STAGE: "signal-delay"}


def quantisation(column: ColumnRecord, quote_interval_ns: int, stage: str) -> Quantisation:
    """A column's rounding of an injected delay at ``stage``, stated exactly: a platform that acts on
    quotes rounds up to the quote grid, one that acts on ticks to whole ticks (and a fill may take a
    tick at least)."""
    if column.acts_on == "quotes":
        return Quantisation(grid_ns=quote_interval_ns)
    tick_ns = round(column.tick_s * NANOS_PER_SECOND)
    return Quantisation(grid_ns=tick_ns, at_least_ns=tick_ns if stage == FILL_STAGE and column.fill_takes_a_tick else 0)


def injected(columns: Columns, stage: str, delay_ns: int) -> Columns:
    """``columns`` with ``delay_ns`` injected at ``stage``'s injection point."""
    if stage == FILL_STAGE:
        return Columns(tuple(replace(s, venue=replace(s.venue, fill_delay_s=delay_ns / NANOS_PER_SECOND)) for s in columns.specs),
                       columns.records, columns.baseline)
    return columns.with_shared(signal_delay_ns=delay_ns)


def calibrate(
    columns: Columns, delays_ns: list[int], config: SupervisorConfig = SupervisorConfig()
) -> tuple[list[CalibrationRow], dict[str, PlatformExit]]:
    """Runs the baseline, then each of ``delays_ns`` at each injection point, one at a time, into the
    columns' run folder; writes and returns the rows."""
    root = columns.baseline_spec.run_dir
    files = write_demo(root / "inputs", CALIBRATION_DEMO)
    base = columns.with_shared(quotes=files.quotes, signals=files.signals)
    exits: dict[str, PlatformExit] = {}

    def run(plan: Columns, label: str) -> RunFolder:
        report, run_exits = run_both(plan.with_shared(run_dir=root / label), config)
        exits.update({f"{name} ({label})": e for name, e in run_exits.items()})
        return report.analysis.run

    baseline = run(base, "baseline")
    measures = {FILL_STAGE: lambda r, c: fill_delays_ms(r.columns[c].events),
                DELIVERY_STAGE: lambda r, c: receipt_delays_ms(r.columns[c].events, r.schedule)}
    rows: list[CalibrationRow] = []
    quote_interval_ns = CALIBRATION_DEMO.quote_interval_s * NANOS_PER_SECOND
    names = columns.names
    for stage, measure in measures.items():
        measured = {0: {c: measure(baseline, c) for c in names}}
        for delay_ns in delays_ns:
            folder = run(injected(base, stage, delay_ns), f"{STAGE_FOLDERS[stage]}-{delay_ns // NANOS_PER_MS}ms")
            measured[delay_ns] = {c: measure(folder, c) for c in names}
        rows += calibration_rows(stage, measured, {c.name: quantisation(c, quote_interval_ns, stage) for c in columns.records})
    (root / CALIBRATION_JSON).write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n", encoding="utf-8")
    return rows, exits
