"""Each platform's own refusal of what it cannot run, asked before any platform starts.

A run one platform would refuse must be the user's one line, not a crash the report scores against
that platform while the others trade on. Each registry entry names its check (``preflight``); they
import no platform SDK, so asking costs the harness nothing it would measure.
"""

from __future__ import annotations

from collections.abc import Iterable

from evaluator.harness.platform_code import load
from shared_signals.contract.platforms import REGISTRY
from shared_signals.contract.spec import RunSpec
from shared_signals.errors import InputError


def preflight(specs: Iterable[RunSpec]) -> None:
    """Every column's platform on its spec; the first refusal is an ``InputError`` (naming the variant
    when the column is one)."""
    for spec in specs:
        try:
            load(REGISTRY[spec.platform].preflight)(spec)
        except InputError as exc:
            if spec.column == spec.platform or exc.what.startswith(f"{spec.column}:"):
                raise
            raise InputError(f"variant {spec.column}: {exc.what}", exc.file) from None
