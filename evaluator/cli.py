"""``poc-eval``: the command line of the harness. Each sub-command lives in ``evaluator.commands``."""

from __future__ import annotations

import argparse
import errno
import logging
import sys

from rich.logging import RichHandler

from evaluator.commands import COMMANDS
from evaluator.commands.exit_codes import EXIT_INTERRUPTED, EXIT_USER_ERROR
from evaluator.commands.one_line import OneLineParser
from evaluator.console import err
from shared_signals.contract.platforms import REGISTRY
from shared_signals.errors import InputError


USER_PATH_ERRORS = (NotADirectoryError, PermissionError, FileExistsError)
USER_FILESYSTEM_ERRORS = frozenset({errno.EROFS, errno.ENOSPC, errno.EDQUOT})
"""An ``--out`` that is a file or not writable, a read-only or full file system: the user's to fix,
one line and exit 2, not a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="poc-eval",
        description=f"Run one quantile signal through the platforms {', '.join(REGISTRY)} (and named "
        "variants of them) in paper mode and compare them.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        logging.basicConfig(
            level=logging.DEBUG if args.verbose else logging.WARNING,
            format="%(message)s",
            handlers=[RichHandler(console=err, show_path=False)],
        )
        return int(args.handler(args) or 0)
    except InputError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return EXIT_USER_ERROR
    except OSError as exc:
        if not isinstance(exc, USER_PATH_ERRORS) and exc.errno not in USER_FILESYSTEM_ERRORS:
            raise
        err.print(f"[bold red]error:[/] {exc.filename}: cannot write there ({exc.strerror})", highlight=False, soft_wrap=True)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
