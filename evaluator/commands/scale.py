"""``poc-eval scale``: both platforms on several instruments at once, one process per instrument."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evaluator.commands.exit_codes import supervised_exit_code
from evaluator.commands.run import new_run_id
from evaluator.console import out
from evaluator.durations import duration_arg, speed_arg
from evaluator.report.figures import fmt, percent
from shared_signals.contract.platforms import PLATFORM_NAMES
from shared_signals.contract.spec import MODES, RunSpec
from evaluator.harness.scale import DEMO_START_PRICES, SCALE_REPORT, run_scale
from shared_signals.errors import InputError

DEFAULT_INSTRUMENTS = ("BTCUSDT", "ETHUSDT", "SOLUSDT")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "scale",
        help="run both platforms on several instruments at once (one process per instrument) and report the totals",
        description="Generates demo data for each instrument (" + ", ".join(DEMO_START_PRICES) + "), runs every "
        "platform × instrument process at once under one supervisor, writes a report per instrument and "
        f"OUT/<run-id>/{SCALE_REPORT} with the combined figures.",
    )
    parser.add_argument("--instruments", nargs="+", default=list(DEFAULT_INSTRUMENTS), help="instruments (default: BTCUSDT ETHUSDT SOLUSDT)")
    parser.add_argument("--mode", choices=MODES, default=MODES[0], help="replay (default) or live paper")
    parser.add_argument("--hours", type=float, default=24.0, help="hours of demo market data per instrument (default 24)")
    parser.add_argument("--speed", type=speed_arg, default=None, help="live mode: 1 = real time, N = N times faster, max (default)")
    parser.add_argument("--duration", type=duration_arg, default=None, help="live mode: stop after this wall time, e.g. 5m")
    parser.add_argument("--platforms", nargs="+", choices=PLATFORM_NAMES, default=list(PLATFORM_NAMES), help="which platforms (default both)")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="report root (default reports/)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if args.hours <= 0:
        raise InputError(f"--hours must be a positive number of hours, got {args.hours:g}")
    run_id = new_run_id()
    template = RunSpec(
        platform=args.platforms[0], mode=args.mode, quotes=Path(), signals=Path(), run_dir=args.out / f"{run_id}-scale",
        run_id=run_id, speed=args.speed, duration_ns=args.duration,
    )
    root, scales, exits = run_scale(args.instruments, args.platforms, template, args.hours)
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
