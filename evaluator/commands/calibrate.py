"""``poc-eval calibrate``: inject known delays into every column and check the harness measures them."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evaluator.analysis.calibration import TOLERANCE_MS, TOLERANCE_SHARE
from evaluator.commands.columns import add_column_options
from evaluator.commands.exit_codes import supervised_exit_code
from evaluator.commands.inputs import add_setting_options, check_inputs
from shared_signals.contract.run_info import new_run_id
from evaluator.console import out
from shared_signals.durations import duration_arg
from evaluator.harness.calibrate import CALIBRATION_DEMO, CALIBRATION_JSON, calibrate
from shared_signals.config import NANOS_PER_MINUTE
from shared_signals.contract.layout import claim_run_folder
from shared_signals.contract.modes import REPLAY
from shared_signals.contract.process import EXIT_FAILED
from shared_signals.errors import InputError

DEFAULT_DELAYS = ("2500ms", "5s")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "calibrate",
        help="inject known delays into every column and check the measured delays match (exit 1 if not)",
        description="Runs every column in replay on four hours of demo data without a delay, then once per --delays "
        "value at each injection point, one at a time: the venue fill delay (each platform's own venue delay; measured "
        "order → fill) and the signal delivery delay (a provider publishes late, an in-process strategy holds the "
        "signal back; measured signal → receipt). It prints injected against measured per stage and column. A measured "
        f"shift more than {TOLERANCE_SHARE:.0%} or {TOLERANCE_MS:g} ms from the injected one, after the platform's stated "
        "quantisation (the quote grid; whole ticks, one at least), fails.",
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
    bar_ns = CALIBRATION_DEMO.bar_minutes * NANOS_PER_MINUTE
    if delays[-1] >= bar_ns:
        raise InputError(f"--delays: {delays[-1] / NANOS_PER_MINUTE:g} min is out of range: each delay must be shorter than "
                         f"the calibration data's {CALIBRATION_DEMO.bar_minutes}-minute signal bar, or no signal would be in force")
    columns = check_inputs(args, (None, None), args.out / f"{run_id}-calibration", run_id).columns
    root = claim_run_folder(columns.baseline_spec.run_dir)
    rows, exits = calibrate(columns, delays)
    table = Table(title="market time (ms): injected, expected after the platform's quantisation, measured shift over "
                  "the baseline (median) and its worst miss; fill: order → fill, delivery: signal → receipt")
    for column in ("stage", "column", "injected", "expected", "measured", "miss", "n", "result"):
        table.add_column(column, justify="left" if column in ("stage", "column", "result") else "right", no_wrap=True)
    for r in rows:
        table.add_row(r.stage, r.column, f"{r.injected_ms:,.0f}", f"{r.expected_shift_ms:,.0f}", f"{r.measured_shift_p50_ms:,.1f}",
                      f"{r.worst_miss_ms:,.3f}", str(r.fills), "[green]pass[/]" if r.passed else "[red]FAIL[/]")
    out.print(table)
    out.print(f"figures: [bold]{root / CALIBRATION_JSON}[/]; each run's report under {root}")
    crashed = supervised_exit_code(exits.values())
    return crashed or (0 if rows and all(r.passed for r in rows) else EXIT_FAILED)
