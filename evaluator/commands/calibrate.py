"""``poc-eval calibrate``: inject known delays into every column and check the harness measures them."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evaluator.analysis.calibration import TOLERANCE_MS
from evaluator.commands.columns import add_column_options
from evaluator.commands.exit_codes import supervised_exit_code
from evaluator.commands.inputs import add_setting_options, check_inputs
from shared_signals.contract.run_info import new_run_id
from evaluator.console import out
from shared_signals.durations import duration_arg
from evaluator.harness.calibrate import CALIBRATION_DATA, CALIBRATION_JSON, CalibrationData, calibrate
from shared_signals.config import NANOS_PER_MINUTE
from shared_signals.contract.layout import claim_run_folder
from shared_signals.contract.modes import REPLAY
from shared_signals.contract.process import EXIT_FAILED
from shared_signals.errors import InputError

DEFAULT_DELAYS = ("2500ms", "5s")


def data_words(data: CalibrationData) -> str:
    """A calibration data set as the output names it: its span, quote spacing, signal bar and gaps."""
    p = data.params
    spacing = f"{p.quote_interval_s} s" if p.quote_interval_s < 60 else f"{p.quote_interval_s // 60}-minute"
    gaps = ", with a weekend close and random outages" if p.gaps else ", no gaps"
    return f"{data.name}: {p.hours:g} h of {spacing} quotes, {p.bar_minutes}-minute signals{gaps}"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "calibrate",
        help="inject known delays into every column and check the measured delays match (exit 1 if not)",
        description="Runs every column in replay on two demo data sets (four hours of 1 s quotes with 5-minute "
        "signals; ten days of 15-minute quotes with hourly signals and gaps), each without a delay, then once per "
        "--delays value at each injection point, one at a time: the venue fill delay (each platform's own venue "
        "delay; measured order → fill) and the signal delivery delay (a provider publishes late, an in-process "
        "strategy holds the signal back; measured signal → receipt). Every run, the one without a delay included, is "
        "checked against the rules: each fill exactly the fill delay after its order, at the touch of the quote in "
        "force then; each signal received at the platform's first quote or tick at or after its time plus the "
        f"delivery delay. A miss of more than {TOLERANCE_MS:g} ms, or a fill off that touch, fails.",
    )
    parser.add_argument("--delays", nargs="+", type=duration_arg, default=[duration_arg(d) for d in DEFAULT_DELAYS],
                        help="delays to inject at each point, e.g. 2500ms 5s (default: " + " ".join(DEFAULT_DELAYS) + ")")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report root (default reports/)")
    add_setting_options(parser)
    add_column_options(parser)
    parser.set_defaults(handler=handle, mode=REPLAY, speed=None, duration=None, instrument=None)


def handle(args: argparse.Namespace) -> int:
    run_id = new_run_id()
    delays = sorted(set(args.delays))
    bar_minutes = min(data.params.bar_minutes for data in CALIBRATION_DATA)
    if delays[-1] >= bar_minutes * NANOS_PER_MINUTE:
        raise InputError(f"--delays: {delays[-1] / NANOS_PER_MINUTE:g} min is out of range: each delay must be shorter than "
                         f"the calibration data's {bar_minutes}-minute signal bar, or no signal would be in force")
    columns = check_inputs(args, (None, None), args.out / f"{run_id}-calibration", run_id).columns
    root = claim_run_folder(columns.baseline_spec.run_dir)
    rows, exits = calibrate(columns, delays)
    table = Table(title="market time (ms): injected, what the rule expects (median over the signals), measured (median), "
                  "the worst miss, fills off the touch in force; fill: order → fill, delivery: signal → receipt")
    for column in ("data", "stage", "column", "injected", "expected", "measured", "miss", "off touch", "n", "result"):
        table.add_column(column, justify="left" if column in ("data", "stage", "column", "result") else "right", no_wrap=True)
    for r in rows:
        table.add_row(r.data, r.stage, r.column, f"{r.injected_ms:,.0f}", f"{r.expected_p50_ms:,.1f}", f"{r.measured_p50_ms:,.1f}",
                      f"{r.worst_miss_ms:,.3f}", str(r.off_touch), str(r.count), "[green]pass[/]" if r.passed else "[red]FAIL[/]")
    out.print(table)
    for data in CALIBRATION_DATA:
        out.print(f"data {data_words(data)}")
    out.print(f"figures: [bold]{root / CALIBRATION_JSON}[/]; each run's report under {root}")
    crashed = supervised_exit_code(exits.values())
    return crashed or (0 if rows and all(r.passed for r in rows) else EXIT_FAILED)
