"""How a number reads in sentences and tables: one formatter for every sentence and table of the report."""

from __future__ import annotations

import math
from typing import Any


def fmt(value: Any, digits: int = 2) -> str:
    """How a number appears in the report: fixed decimals, thousands separators, n/a for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def level_words(level: float) -> str:
    """A confidence level as the report names it: '95%'."""
    return f"{fmt(100 * level, 0)}%"


def percent(share: float) -> str:
    """A 0-1 share as the report shows it: '97.50%', or 'n/a'."""
    return "n/a" if share is None or math.isnan(share) else fmt(share * 100) + "%"
