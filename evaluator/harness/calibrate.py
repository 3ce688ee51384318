"""``poc-eval calibrate``'s runs: on each calibration data set (the demo grid, and sparse quotes with
gaps), the same replay of every column once without a delay and once per delay at each injection
point (venue fill, signal delivery), each delay injected through the run spec as a user would (so
through each platform's own mechanism), then each run checked against the rules
(:mod:`evaluator.analysis.calibration`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pandas as pd

from evaluator.analysis.calibration import DELIVERY_STAGE, FILL_STAGE, ActsAt, CalibrationRow, delivery_row, fill_row
from evaluator.analysis.run_folder import RunFolder
from evaluator.harness.comparison import Columns
from evaluator.harness.run_both import run_both
from evaluator.harness.supervisor import PlatformExit, SupervisorConfig
from shared_signals.config import NANOS_PER_MINUTE, NANOS_PER_MS, NANOS_PER_SECOND
from shared_signals.contract.record import ColumnRecord
from shared_signals.demo import DemoParams, write_demo


@dataclass(frozen=True)
class CalibrationData:
    name: str
    """Its folder under the calibration's root, and its name in the rows."""
    params: DemoParams


CALIBRATION_DATA = (
    CalibrationData("demo-grid", DemoParams(hours=4.0, seed=21)),
    CalibrationData("sparse-gaps", DemoParams(hours=240.0, seed=3, quote_interval_s=900, bar_minutes=60, gaps=True)),
)
"""Four hours of 1 s quotes and 5-minute signals (some twenty fills per column and run), and ten days of
15-minute quotes with hourly signals, a weekend close and random outages, like a qlib user's export
(some fifty fills): a few seconds per run each."""
CALIBRATION_JSON = "calibration.json"
STAGE_FOLDERS = {FILL_STAGE: "fill-delay", DELIVERY_STAGE: "signal-delay"}


def acts_at(column: ColumnRecord, quotes_ns: pd.Index) -> ActsAt:
    """When a column acts on a signal: on each quote, or on each tick of its clock from the first quote."""
    if column.acts_on == "quotes":
        return ActsAt(quotes_ns=quotes_ns.to_numpy())
    return ActsAt(first_ns=int(quotes_ns[0]), tick_ns=round(column.tick_s * NANOS_PER_SECOND))


def injected(columns: Columns, stage: str, delay_ns: int) -> Columns:
    """``columns`` with ``delay_ns`` injected at ``stage``'s injection point."""
    if stage == FILL_STAGE:
        return replace(columns, specs=tuple(replace(s, venue=replace(s.venue, fill_delay_s=delay_ns / NANOS_PER_SECOND))
                                            for s in columns.specs))
    return columns.with_shared(signal_delay_ns=delay_ns)


def on_data(columns: Columns, data: CalibrationData, root: Path, delays_ns: list[int],
            run: Callable[[Columns, Path], RunFolder]) -> list[CalibrationRow]:
    """Every run on one data set, written under ``root``, and their rows. The signals' tolerance is their bar."""
    files = write_demo(root / "inputs", data.params)
    core = columns.baseline_spec.core
    tolerance = replace(core.loader, tolerance_ns=data.params.bar_minutes * NANOS_PER_MINUTE)
    base = columns.with_shared(quotes=files.quotes, signals=files.signals, core=replace(core, loader=tolerance),
                               tolerance_from="signal_bar")
    quotes_ns = pd.DatetimeIndex(pd.read_parquet(files.quotes, columns=["timestamp"])["timestamp"]).as_unit("ns").asi8
    moments = {c.name: acts_at(c, pd.Index(quotes_ns)) for c in columns.records}
    baseline = run(base, root / "baseline")
    rows: list[CalibrationRow] = []
    for stage in (FILL_STAGE, DELIVERY_STAGE):
        runs = {0: baseline}
        for delay_ns in delays_ns:
            runs[delay_ns] = run(injected(base, stage, delay_ns), root / f"{STAGE_FOLDERS[stage]}-{delay_ns // NANOS_PER_MS}ms")
        for delay_ns, folder in runs.items():
            for name in columns.names:
                events = folder.columns[name].events
                rows.append(fill_row(data.name, name, delay_ns, events, folder.touch) if stage == FILL_STAGE
                            else delivery_row(data.name, name, delay_ns, events, folder.schedule, moments[name]))
    return rows


def calibrate(
    columns: Columns, delays_ns: list[int], config: SupervisorConfig = SupervisorConfig()
) -> tuple[list[CalibrationRow], dict[str, PlatformExit]]:
    """Runs, on each calibration data set, the baseline, then each of ``delays_ns`` at each injection
    point, one at a time, into the columns' run folder; writes and returns the rows."""
    root = columns.baseline_spec.run_dir
    exits: dict[str, PlatformExit] = {}

    def run(plan: Columns, folder: Path) -> RunFolder:
        report, run_exits = run_both(plan.with_shared(run_dir=folder), config)
        exits.update({f"{name} ({folder.relative_to(root)})": e for name, e in run_exits.items()})
        return report.analysis.run

    rows = [row for data in CALIBRATION_DATA for row in on_data(columns, data, root / data.name, delays_ns, run)]
    (root / CALIBRATION_JSON).write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n", encoding="utf-8")
    return rows, exits
