"""``poc-eval demo-data``: writes deterministic demo quotes and signals."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evaluator.console import out
from shared_signals.durations import duration_arg
from shared_signals.config import NANOS_PER_HOUR, NANOS_PER_MINUTE, NANOS_PER_SECOND
from shared_signals.demo import DemoParams, write_demo
from shared_signals.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    defaults = DemoParams()
    parser = sub.add_parser(
        "demo-data",
        help="write demo BTCUSDT quotes (1 s) and signals (5 min) as parquet, or data shaped like yours",
        description="Writes quotes.parquet and signals.parquet. Demo signals, not alpha: momentum of past bar "
        "returns with a normal spread. Same options and seed → byte-identical files. Data like a qlib user's: "
        "--quote-interval 15m --bar 1h --length 365d, or --quote-interval 1m --bar 1h --length 1095d.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    parser.add_argument("--length", type=duration_arg, default=None,
                        help=f"market time to generate, e.g. 24h, 90d, 365d (default {defaults.hours:g}h)")
    parser.add_argument("--hours", type=float, default=None, help="the same in hours (kept for scripts; --length wins)")
    parser.add_argument("--quote-interval", type=duration_arg, default=defaults.quote_interval_s * NANOS_PER_SECOND,
                        help=f"time between quotes, whole seconds, e.g. 1s, 15m (default {defaults.quote_interval_s}s)")
    parser.add_argument("--bar", type=duration_arg, default=defaults.bar_minutes * NANOS_PER_MINUTE,
                        help=f"the signal bar, whole minutes, e.g. 5m, 1h (default {defaults.bar_minutes}m)")
    parser.add_argument("--seed", type=int, default=defaults.seed, help=f"random seed (default {defaults.seed})")
    parser.add_argument("--gaps", action="store_true",
                        help="quotes with holes like a real export's: weekend closes (Friday 21:00 to Sunday 22:00 UTC) "
                        "and random outages of 1-12 hours, seeded")
    parser.set_defaults(handler=handle)


def whole(nanos: int, unit_ns: int, option: str) -> int:
    if nanos % unit_ns:
        raise InputError(f"{option} must be a whole number of {'seconds' if unit_ns == NANOS_PER_SECOND else 'minutes'}")
    return nanos // unit_ns


def handle(args: argparse.Namespace) -> int:
    hours = args.length / NANOS_PER_HOUR if args.length is not None else args.hours if args.hours is not None else DemoParams().hours
    params = DemoParams(
        hours=hours, seed=args.seed, quote_interval_s=whole(args.quote_interval, NANOS_PER_SECOND, "--quote-interval"),
        bar_minutes=whole(args.bar, NANOS_PER_MINUTE, "--bar"), gaps=args.gaps,
    )
    files = write_demo(args.out, params)
    table = Table(title="demo data", show_header=True)
    table.add_column("file")
    table.add_column("bytes", justify="right")
    for path in (files.quotes, files.signals):
        table.add_row(str(path), f"{path.stat().st_size:,}")
    out.print(table)
    return 0
