"""``poc-eval validate``: checks signal and quote files the way a run would, without running."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import get_args

import pandas as pd
from rich.table import Table

from evaluator.console import out
from evaluator.durations import duration_arg
from shared_signals.config import DuplicatePolicy, LoaderParams
from shared_signals.loader import load_signals
from shared_signals.quotes import quote_span
from shared_signals.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "validate",
        help="check signal and/or quote files; one line per problem, exit 2 if unusable",
        description="Loads the files with the same rules as a run and summarises them.",
    )
    parser.add_argument("--signals", type=Path, help="signal file (.pkl, .parquet or .csv)")
    parser.add_argument("--quotes", type=Path, help="quote file (.parquet)")
    parser.add_argument("--instrument", default=None, help="instrument to select, e.g. BTCUSDT, BTC-USDT")
    parser.add_argument(
        "--duplicates", choices=get_args(DuplicatePolicy), default=LoaderParams().duplicates,
        help="what to do with two signals at the same time (default: error)",
    )
    parser.add_argument("--tolerance", type=duration_arg, default=LoaderParams().tolerance_ns,
                        help="how long a signal stays in force, e.g. 5m, 1h (default 5m)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if args.signals is None and args.quotes is None:
        raise InputError("nothing to check: give --signals and/or --quotes")
    table = Table(title="inputs", show_header=True)
    for column in ("file", "rows", "from", "to", "detail"):
        table.add_column(column)
    if args.signals is not None:
        signals = load_signals(
            args.signals, args.instrument, LoaderParams(tolerance_ns=args.tolerance, duplicates=args.duplicates)
        )
        index = signals.frame.index
        sides = signals.frame["side"].value_counts().to_dict()
        detail = f"{signals.symbol}; buy {sides.get(1, 0)}, sell {sides.get(0, 0)}, hold {sides.get(-1, 0)}"
        table.add_row(str(args.signals), f"{len(signals):,}", str(index[0]), str(index[-1]), detail)
    if args.quotes is not None:
        span = quote_span(args.quotes)
        first, last = (pd.Timestamp(ns, tz="UTC") for ns in (span.first_ns, span.last_ns))
        table.add_row(str(args.quotes), f"{span.rows:,}", str(first), str(last), "bid/ask prices and sizes")
    out.print(table)
    return 0
