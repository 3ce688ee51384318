"""Comparisons built in a test the way the command line builds them (``Columns.of``: each column's
settings completed from its platform's defaults and checked, the records the report reads, the
baseline every pairwise figure is measured against)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from evaluator.harness.comparison import Columns
from shared_signals.contract.spec import RunSpec

BOTH = ("nautilus", "hummingbot")


def column_spec(base: RunSpec, name: str, platform: str | None = None, settings: dict[str, Any] | None = None) -> RunSpec:
    """``base`` as the column ``name`` (a platform, or a variant of ``platform``) changing ``settings``."""
    return replace(base, platform=platform or name, column=name, settings=settings or {})


def columns_of(base: RunSpec, names: tuple[str, ...] = BOTH, baseline: str | None = None,
               settings: dict[str, dict[str, Any]] | None = None) -> Columns:
    """The platforms ``names`` side by side on ``base``; ``settings`` per platform name."""
    return Columns.of([column_spec(base, name, settings=(settings or {}).get(name)) for name in names], baseline)

