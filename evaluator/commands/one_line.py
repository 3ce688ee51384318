"""The parser every ``poc-eval`` command line goes through (the sweep parses each cell's with it too)."""

from __future__ import annotations

import argparse
from typing import NoReturn

from shared_signals.errors import InputError


class OneLineParser(argparse.ArgumentParser):
    """A mistyped option is the user's one line and exit 2, like every other refusal; ``--help``
    still shows the usage."""

    def error(self, message: str) -> NoReturn:
        raise InputError(f"{message} ({self.prog} --help lists the options)")
