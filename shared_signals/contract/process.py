"""A platform's own process: ``python -m <platform module> SPEC_FILE``, as the supervisor starts it.

The exit codes are part of the contract: the supervisor and the CLI read them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from shared_signals.contract.spec import RunResult, RunSpec, read_spec, write_result
from shared_signals.errors import InputError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as a shell reports Ctrl-C."""
USAGE = "usage: python -m {module} SPEC_FILE (a run spec, as the supervisor writes it)"


def run_and_record(runner: Callable[[RunSpec], RunResult], spec: RunSpec) -> RunResult:
    """Runs ``spec`` with ``runner`` and records its result beside the journal."""
    result = runner(spec)
    write_result(result)
    return result


def platform_main(module: str, runner: Callable[[RunSpec], RunResult], argv: Sequence[str] | None = None) -> int:
    """The platform process: one spec file in, a journal and ``result.json`` out, the contract's exit
    code back. A user mistake is one line on stderr and exit 2, never a traceback."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print(USAGE.format(module=module), file=sys.stderr)
        return EXIT_USER_ERROR
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        result = run_and_record(runner, read_spec(Path(args[0])))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"{result.platform}: {result.quotes} quotes, {result.orders} orders, {result.fills} fills, {result.wall_s:.2f} s")
    return EXIT_OK
