"""``poc-eval``: the command line of the harness. Each sub-command lives in ``evaluator.commands``."""

from __future__ import annotations

import argparse
import logging
import sys

from rich.logging import RichHandler

from evaluator.commands import COMMANDS
from evaluator.commands.exit_codes import EXIT_INTERRUPTED, EXIT_USER_ERROR
from evaluator.console import err
from shared_signals.errors import InputError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="poc-eval",
        description="Run one quantile signal through NautilusTrader and Hummingbot in paper mode and compare them.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err, show_path=False)],
    )
    try:
        return int(args.handler(args) or 0)
    except InputError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
