"""``poc-eval validate``: what a run would be given, checked by the same layer, without running."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from rich.table import Table

from evaluator.commands.inputs import add_input_options, check_inputs
from evaluator.console import out
from evaluator.report.markdown import SOURCE_WORDS
from shared_signals.bar import duration_words
from shared_signals.config import NANOS_PER_SECOND
from shared_signals.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "validate",
        help="check signal and/or quote files and the settings of a run; one line per problem, exit 2 if unusable",
        description="Takes the options of run-both and checks everything given with the same rules, in the same "
        "order, as a run would, then summarises it without running anything.",
    )
    add_input_options(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if args.signals is None and args.quotes is None:
        raise InputError("nothing to check: give --signals and/or --quotes")
    checked = check_inputs(args, (args.quotes, args.signals), Path(), "validate")
    table = Table(title="inputs", show_header=True)
    for column in ("file", "rows", "from", "to", "detail"):
        table.add_column(column)
    spec = checked.spec
    if checked.signals is not None:
        index = checked.signals.frame.index
        sides = checked.signals.frame["side"].value_counts().to_dict()
        detail = (f"{checked.signals.symbol}; buy {sides.get(1, 0)}, sell {sides.get(0, 0)}, hold {sides.get(-1, 0)}; "
                  f"each in force for {duration_words(spec.core.loader.tolerance_ns)} ({SOURCE_WORDS[spec.tolerance_from]})")
        table.add_row(str(args.signals), f"{len(checked.signals):,}", str(index[0]), str(index[-1]), detail)
    if checked.quotes is not None:
        first, last = (pd.Timestamp(ns, tz="UTC") for ns in (checked.quotes.first_ns, checked.quotes.last_ns))
        limit = duration_words(round(spec.core.risk.max_quote_age_s * NANOS_PER_SECOND))
        table.add_row(str(args.quotes), f"{checked.quotes.rows:,}", str(first), str(last),
                      f"bid/ask prices and sizes; no order against a quote {limit} old ({SOURCE_WORDS[spec.max_quote_age_from]})")
    out.print(table)
    if checked.overlap is not None:
        out.print(f"{checked.overlap.in_quote_span:,} of {checked.overlap.signals:,} signals are in force while there are quotes")
    out.print(f"settings within their ranges; {', '.join(checked.columns.names)} can run {spec.instrument}")
    return 0
