"""``poc-eval scale``: every column on several instruments at once, one process per instrument."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evaluator.commands.exit_codes import supervised_exit_code
from evaluator.commands.columns import add_column_options
from evaluator.commands.inputs import add_clock_options, add_setting_options, check_inputs
from shared_signals.contract.run_info import new_run_id
from evaluator.console import out
from evaluator.harness.scale import DEMO_START_PRICES, SCALE_REPORT, run_scale
from evaluator.report.numbers import fmt, percent
from shared_signals.contract.layout import claim_run_folder
from shared_signals.demo import DemoParams

DEFAULT_INSTRUMENTS = ("BTCUSDT", "ETHUSDT", "SOLUSDT")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "scale",
        help="run every column on several instruments at once (one process per instrument) and report the totals",
        description="Generates demo data for each instrument (" + ", ".join(DEMO_START_PRICES) + "), runs every "
        "column × instrument process at once under one supervisor, writes a report per instrument and "
        f"OUT/<run-id>/{SCALE_REPORT} with the combined figures.",
    )
    parser.add_argument("--instruments", nargs="+", default=list(DEFAULT_INSTRUMENTS), help="instruments (default: BTCUSDT ETHUSDT SOLUSDT)")
    parser.add_argument("--hours", type=float, default=24.0, help="hours of demo market data per instrument (default 24)")
    add_clock_options(parser)
    add_setting_options(parser)
    add_column_options(parser)
    parser.set_defaults(instrument=None)  # one per --instruments
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report root (default reports/)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    demo = DemoParams(hours=args.hours)
    run_id = new_run_id()
    columns = check_inputs(args, (None, None), args.out / f"{run_id}-scale", run_id).columns
    claim_run_folder(columns.baseline_spec.run_dir)
    root, scales, exits = run_scale(args.instruments, columns, demo)
    table = Table(title=f"{len(args.instruments)} instruments, one process each")
    table.add_column("figure")
    for name in scales:
        table.add_column(name, justify="right")
    for label, get in (
        ("combined quotes/s", lambda s: fmt(s.combined_quotes_per_s, 0)),
        ("peak combined RSS (MB)", lambda s: fmt(s.peak_combined_rss_mb)),
        ("mean combined CPU (%)", lambda s: fmt(s.mean_combined_cpu_pct)),
        ("orders", lambda s: fmt(s.orders)),
        ("worst instrument accuracy", lambda s: percent(s.min_accuracy_share)),
    ):
        table.add_row(label, *(get(s) for s in scales.values()))
    out.print(table)
    out.print(f"report: [bold]{root / SCALE_REPORT}[/]")
    return supervised_exit_code(exits.values())
