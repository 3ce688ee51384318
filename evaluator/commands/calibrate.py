"""``poc-eval calibrate``: inject known venue fill delays and check the harness measures them."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evaluator.analysis.calibration import TOLERANCE_MS, TOLERANCE_SHARE
from evaluator.commands.exit_codes import supervised_exit_code
from evaluator.commands.run import new_run_id
from evaluator.console import out
from evaluator.durations import duration_arg
from evaluator.harness.calibrate import CALIBRATION_JSON, calibrate
from shared_signals.contract.layout import claim_run_folder
from shared_signals.contract.process import EXIT_FAILED
from shared_signals.contract.spec import RunSpec

DEFAULT_DELAYS = ("2500ms", "5s")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "calibrate",
        help="inject known delays into both platforms and check the measured delays match (exit 1 if not)",
        description="Runs both platforms in replay on four hours of demo data without a delay, then once per --delays "
        "value at each injection point, one at a time: the venue fill delay (Nautilus' LatencyModel, Hummingbot's "
        "TRADE_EXECUTION_DELAY; measured order → fill) and the signal delivery delay (Hummingbot's provider publishes "
        "late, Nautilus' strategy holds the signal back; measured signal → receipt). It prints injected against "
        "measured per stage and platform. A measured "
        f"shift more than {TOLERANCE_SHARE:.0%} or {TOLERANCE_MS:g} ms from the injected one, after the venue's stated "
        "quantisation (the quote grid; whole ticks, one at least), fails.",
    )
    parser.add_argument("--delays", nargs="+", type=duration_arg, default=[duration_arg(d) for d in DEFAULT_DELAYS],
                        help="delays to inject at each point, e.g. 2500ms 5s (default: " + " ".join(DEFAULT_DELAYS) + ")")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report root (default reports/)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    run_id = new_run_id()
    root = claim_run_folder(args.out / f"{run_id}-calibration")
    template = RunSpec(platform="nautilus", mode="replay", quotes=Path(), signals=Path(), run_dir=root, run_id=run_id)
    rows, exits = calibrate(template, sorted(set(args.delays)))
    table = Table(title="market time (ms): injected, expected after the platform's quantisation, measured shift over "
                  "the baseline (median) and its worst miss; fill: order → fill, delivery: signal → receipt")
    for column in ("stage", "platform", "injected", "expected", "measured", "miss", "n", "result"):
        table.add_column(column, justify="left" if column in ("stage", "platform", "result") else "right", no_wrap=True)
    for r in rows:
        table.add_row(r.stage, r.platform, f"{r.injected_ms:,.0f}", f"{r.expected_shift_ms:,.0f}", f"{r.measured_shift_p50_ms:,.1f}",
                      f"{r.worst_miss_ms:,.3f}", str(r.fills), "[green]pass[/]" if r.passed else "[red]FAIL[/]")
    out.print(table)
    out.print(f"figures: [bold]{root / CALIBRATION_JSON}[/]; each run's report under {root}")
    crashed = supervised_exit_code(exits.values())
    return crashed or (0 if rows and all(r.passed for r in rows) else EXIT_FAILED)
