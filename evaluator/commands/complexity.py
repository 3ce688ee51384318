"""``poc-eval complexity``: the integration-complexity table of every registered platform on its own."""

from __future__ import annotations

import argparse

from rich.table import Table

from evaluator.console import out
from evaluator.harness.complexity import platform_complexity
from evaluator.report.numbers import fmt
from shared_signals.contract.platforms import PLATFORM_NAMES

ROWS = (
    ("files", lambda c: c.files), ("source lines (SLOC)", lambda c: c.sloc), ("mean cyclomatic complexity", lambda c: c.cc_mean),
    ("max cyclomatic complexity", lambda c: c.cc_max), ("platform names imported", lambda c: c.platform_names),
    ("platform call sites", lambda c: c.platform_calls), ("config knobs", lambda c: c.config_knobs),
    ("setup steps", lambda c: len(c.setup_steps)), ("install time (s)", lambda c: c.install_s),
)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("complexity", help="print the integration-complexity table of every POC package")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    figures = {name: platform_complexity(name) for name in PLATFORM_NAMES}
    table = Table(title="integration complexity (radon, AST)")
    table.add_column("figure")
    for name in figures:
        table.add_column(name, justify="right")
    for label, get in ROWS:
        table.add_row(label, *(fmt(get(figures[n])) for n in figures))
    out.print(table)
    return 0
