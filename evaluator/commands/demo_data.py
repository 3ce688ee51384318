"""``poc-eval demo-data``: writes deterministic demo quotes and signals."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from evaluator.console import out
from shared_signals.demo import DemoParams, write_demo


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "demo-data",
        help="write demo BTCUSDT quotes (1 s) and signals (5 min) as parquet",
        description="Writes quotes.parquet and signals.parquet. Demo signals, not alpha: "
        "momentum of past bar returns with a normal spread. Same seed → byte-identical files.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    parser.add_argument("--hours", type=float, default=DemoParams().hours, help="market hours to generate (default 24)")
    parser.add_argument("--seed", type=int, default=DemoParams().seed, help="random seed (default 7)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if args.hours <= 0:
        raise SystemExit("poc-eval demo-data: error: --hours must be positive")
    files = write_demo(args.out, DemoParams(hours=args.hours, seed=args.seed))
    table = Table(title="demo data", show_header=True)
    table.add_column("file")
    table.add_column("bytes", justify="right")
    for path in (files.quotes, files.signals):
        table.add_row(str(path), f"{path.stat().st_size:,}")
    out.print(table)
    return 0
