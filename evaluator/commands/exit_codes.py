"""The exit codes of ``poc-eval``, in one place, and the code of a supervised run."""

from __future__ import annotations

from collections.abc import Iterable

from evaluator.supervisor import PlatformExit

EXIT_PLATFORM_CRASHED = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as a shell reports Ctrl-C."""


def supervised_exit_code(exits: Iterable[PlatformExit]) -> int:
    """A run the user stopped is interrupted even though its report was written; a crash is a failure."""
    exits = list(exits)
    if any(e.stopped_by_user for e in exits):
        return EXIT_INTERRUPTED
    return EXIT_PLATFORM_CRASHED if any(e.crashed for e in exits) else 0
