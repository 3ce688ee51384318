"""Where the evaluator reaches a platform's code: only through the names its registry entry gives
(``module:attribute``), imported when needed. The evaluator itself imports no platform package, so a
new platform needs no line here, and the analysis and the report never load one."""

from __future__ import annotations

import importlib
from typing import Any

from shared_signals.contract.platforms import PlatformEntry


def load(reference: str) -> Any:
    """The attribute a registry entry names as ``module:attribute``."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


def settings_type(entry: PlatformEntry) -> type | None:
    """The platform's own settings type (its module imports no platform SDK), or None."""
    return None if entry.settings is None else load(entry.settings)
