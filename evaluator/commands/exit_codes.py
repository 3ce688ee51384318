"""The exit codes of ``poc-eval`` (the run contract's, so a platform process and the CLI agree) and
the code of a supervised run."""

from __future__ import annotations

from collections.abc import Iterable

from evaluator.harness.supervisor import PlatformExit
from shared_signals.contract.process import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USER_ERROR

EXIT_PLATFORM_CRASHED = EXIT_FAILED
__all__ = ["EXIT_INTERRUPTED", "EXIT_PLATFORM_CRASHED", "EXIT_USER_ERROR", "supervised_exit_code"]


def supervised_exit_code(exits: Iterable[PlatformExit]) -> int:
    """A run the user stopped is interrupted even though its report was written; a crash is a failure."""
    exits = list(exits)
    if any(e.stopped_by_user for e in exits):
        return EXIT_INTERRUPTED
    return EXIT_PLATFORM_CRASHED if any(e.crashed for e in exits) else 0
