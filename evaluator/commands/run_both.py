"""``poc-eval run-both``: both platforms side by side, then the report."""

from __future__ import annotations

import argparse

from evaluator.console import err

EXIT_NOT_YET = 3


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run-both", help="run both platforms on the same inputs and write the report")
    parser.add_argument("--mode", choices=("replay", "live"), default="replay")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    err.print("[yellow]not yet:[/] run-both arrives with the evaluator (issue 5); the platform POCs come first.")
    return EXIT_NOT_YET
