"""Ranges of settings, stated once where each setting is defined and checked when it is built.

A dataclass field declared with :func:`bounded` carries its :class:`Range`; a ``Literal`` type
names its allowed values, as ``bool`` does (true or false, nothing else). :func:`check_fields` (called from ``__post_init__``) refuses a value of
the wrong type or outside its range with one :class:`InputError` line naming the setting and the
range, the way NautilusTrader's constrained config types refuse a bad config when it is built.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from typing import Any, Literal, get_args, get_origin, get_type_hints

from shared_signals.errors import InputError

RANGE_KEY = "range"
BOOLEAN = (False, True)
"""The values of a ``bool`` field: only these (not 0, 1 or a word), as a ``Literal``'s."""


@dataclass(frozen=True, slots=True)
class Range:
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    integer: bool = False

    def contains(self, value: float) -> bool:
        """NaN is never in range; +inf only when there is no upper bound (an unlimited setting)."""
        if not math.isfinite(value) and not (value == math.inf and self.lt is None and self.le is None):
            return False
        return (
            (self.gt is None or value > self.gt)
            and (self.ge is None or value >= self.ge)
            and (self.lt is None or value < self.lt)
            and (self.le is None or value <= self.le)
        )

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a number"
        low = f"> {self.gt:g}" if self.gt is not None else f">= {self.ge:g}" if self.ge is not None else ""
        high = f"< {self.lt:g}" if self.lt is not None else f"<= {self.le:g}" if self.le is not None else ""
        return " and ".join(part for part in (f"{kind} {low}".strip(), high) if part)


def bounded(default: Any = MISSING, *, default_factory: Any = MISSING, **limits: Any) -> Any:
    """A dataclass field whose values must lie in ``Range(**limits)``."""
    return field(default=default, default_factory=default_factory, metadata={RANGE_KEY: Range(**limits)})


@cache
def _rules(cls: type) -> tuple[tuple[str, Range | None, tuple | None], ...]:
    hints = get_type_hints(cls)
    rules = []
    for item in fields(cls):
        hint = hints[item.name]
        options = get_args(hint) if get_origin(hint) is Literal else BOOLEAN if hint is bool else None
        limits = item.metadata.get(RANGE_KEY)
        if options is not None or limits is not None:
            rules.append((item.name, limits, options))
    return tuple(rules)


def is_number(value: Any, integer: bool = False) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) if integer else isinstance(value, (int, float))


def check_value(name: str, value: Any, limits: Range) -> None:
    """One value against its range; ``name`` is how the user knows the setting."""
    if not is_number(value, limits.integer) or not limits.contains(value):
        raise InputError(f"setting {name} = {value!r} is out of range: must be {limits.describe()}")


def check_fields(obj: Any) -> None:
    """Every bounded, ``Literal`` or ``bool`` field of the dataclass ``obj``; None passes (an unset
    option), but for a ``bool``."""
    owner = type(obj).__name__
    for name, limits, options in _rules(type(obj)):
        value = getattr(obj, name)
        if value is None and options is not BOOLEAN:
            continue
        if options is not None and (value not in options or (options is BOOLEAN and not isinstance(value, bool))):
            raise InputError(f"setting {owner}.{name} = {value!r} is not one of {', '.join(map(str, options))}")
        if limits is not None:
            check_value(f"{owner}.{name}", value, limits)
