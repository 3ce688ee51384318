"""``poc-eval complexity``: the integration-complexity table on its own."""

from __future__ import annotations

import argparse

from rich.table import Table

from evaluator.console import out
from evaluator.analysis.evaluation import code_complexity
from shared_signals.contract.platforms import PLATFORM_NAMES
from evaluator.report.figures import fmt
from evaluator.settings import load_settings

ROWS = (
    ("files", "files"), ("source lines (SLOC)", "sloc"), ("mean cyclomatic complexity", "cc_mean"),
    ("max cyclomatic complexity", "cc_max"), ("platform names imported", "platform_names"),
    ("platform call sites", "platform_calls"), ("config knobs", "config_knobs"), ("setup steps", "setup_steps"),
    ("install time (s)", "install_s"),
)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("complexity", help="print the integration-complexity table of both POC packages")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    settings = load_settings()
    figures = {name: code_complexity(name, settings) for name in PLATFORM_NAMES}
    table = Table(title="integration complexity (radon, AST)")
    table.add_column("figure")
    for name in figures:
        table.add_column(name, justify="right")
    for label, attr in ROWS:
        table.add_row(label, *(fmt(getattr(figures[n], attr)) for n in figures))
    out.print(table)
    return 0
